// Shared by leaf_amd64.s (System V) and leaf_windows_amd64.s (Microsoft
// x64): the thread table's hash and the slow path that claims an entry.

// HASH(key, dst, tmp) sets dst to the byte offset in threads of key's
// first entry: Fibonacci hashing, the top tableBits bits of key*2^64/phi.
#define HASH(key, dst, tmp) \
	MOVQ	$0x9E3779B97F4A7C15, tmp \
	MOVQ	key, dst \
	IMULQ	tmp, dst \
	SHRQ	$(64-const_tableBits), dst \
	SHLQ	$6, dst

#define MASK (((1<<const_tableBits)-1)*thread__size)

// CLAIM(E) is the slow path of a thread's record, at label claim. First
// it probes the thread's window for its own entry, up to the first never
// used one (entries are claimed in window order and never become unused
// again, so the thread's own entry cannot lie beyond it), and goes to
// record with E that entry. Else it claims the first entry of the window
// that is unused or released (const_released: its thread has exited) with
// a compare-and-swap, runs CLAIMED (a macro of the including file that may
// arrange the entry's release at thread exit, possibly empty) and goes to
// record; if no entry can be claimed it runs CALL_UNRECORDED (possibly
// empty) and goes to done. On entry AX is the key and R8 its offset; R9
// counts the entries left, R10 keeps the key for CMPXCHG.
#define CLAIM(E) \
claim: \
	MOVQ	AX, R10 \
	MOVL	$const_probes, R9 \
find: \
	LEAQ	·threads(SB), E \
	ADDQ	R8, E \
	MOVQ	thread_key(E), AX \
	CMPQ	AX, R10 \
	JEQ	record \
	TESTQ	AX, AX \
	JEQ	free \
	ADDQ	$thread__size, R8 \
	ANDQ	$MASK, R8 \
	DECL	R9 \
	JNZ	find \
free: \
	HASH(R10, R8, R9) \
	MOVL	$const_probes, R9 \
probe: \
	LEAQ	·threads(SB), E \
	ADDQ	R8, E \
	MOVQ	thread_key(E), AX \
	CMPQ	AX, $const_released \
	JHI	next \
	LOCK \
	CMPXCHGQ	R10, thread_key(E) \
	JEQ	claimed \
next: \
	ADDQ	$thread__size, R8 \
	ANDQ	$MASK, R8 \
	DECL	R9 \
	JNZ	probe \
	CALL_UNRECORDED \
	JMP	done \
claimed: \
	MOVB	$1, ·used(SB) \
	CLAIMED \
	JMP	record

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

// CLAIM(E) is the slow path of a thread's record, at label claim: probe
// the thread's window for its entry or a free one, claim a free one with a
// compare-and-swap and go to record with E the entry; if the window is
// full, run CALL_UNRECORDED (a macro of the including file, possibly
// empty) and go to done. On entry AX is the key and R8 its offset; R9
// counts the entries left, R10 keeps the key for CMPXCHG.
#define CLAIM(E) \
claim: \
	MOVL	$const_probes, R9 \
	MOVQ	AX, R10 \
probe: \
	LEAQ	·threads(SB), E \
	ADDQ	R8, E \
	MOVQ	thread_key(E), AX \
	CMPQ	AX, R10 \
	JEQ	record \
	TESTQ	AX, AX \
	JNE	next \
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
	JMP	record

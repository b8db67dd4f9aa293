package cparse

// wordFlags say what a reserved word is to the parser. One sorted table
// (words) holds them all, where separate maps would cost start-up code and
// a map lookup at each use.
type wordFlags uint16

const (
	// fKeyword: the word cannot be a declarator name (isKeyword).
	fKeyword wordFlags = 1 << iota
	// fStorage: a storage class or function specifier, accepted and
	// ignored on declarations except typedef.
	fStorage
	// fConst, fVolatile, fRestrict: a qualifier, with its GNU spellings.
	fConst
	fVolatile
	fRestrict
	// fIgnored: accepted wherever a qualifier may stand and ignored:
	// calling-convention and nullability annotations that do not change
	// the layout on 64-bit targets.
	fIgnored
	// fBase: a basic type specifier; wordInfo.base says which.
	fBase
	// fUnsupported: a type specifier that is refused (after the special
	// cases of declSpecs).
	fUnsupported
	// fOpaque: a built-in type name that becomes an Opaque type (or, for
	// the _FloatN aliases of float, double and long double, those types):
	// declarations using it parse, structs holding it get their layout,
	// and passing it by value is refused with the Opaque type's Note.
	fOpaque
	// fSizeof: sizeof and the alignof spellings of isKeyword, which do
	// not start a type.
	fSizeof

	fQual = fConst | fVolatile | fRestrict
)

// baseWord is one of the basic type specifiers that declSpecs counts.
type baseWord uint8

const (
	bVoid baseWord = iota
	bChar
	bShort
	bInt
	bLong
	bFloat
	bDouble
	bSigned
	bUnsigned
	bBool
	bInt128
	nBaseWords
)

type wordInfo struct {
	word  string
	flags wordFlags
	base  baseWord
}

const (
	kStorage     = fKeyword | fStorage
	kUnsupported = fKeyword | fUnsupported
	kBase        = fKeyword | fBase
)

// words is sorted by word (TestWordsSorted).
var words = [...]wordInfo{
	{"_Alignas", fKeyword, 0},
	{"_Alignof", fKeyword | fSizeof, 0},
	{"_Atomic", kUnsupported, 0},
	{"_BitInt", kUnsupported, 0},
	{"_Bool", kBase, bBool},
	{"_Complex", kUnsupported, 0},
	{"_Decimal128", kUnsupported | fOpaque, 0},
	{"_Decimal32", kUnsupported | fOpaque, 0},
	{"_Decimal64", kUnsupported | fOpaque, 0},
	{"_Float128", kUnsupported | fOpaque, 0},
	{"_Float16", kUnsupported | fOpaque, 0},
	{"_Float32", fOpaque, 0},
	{"_Float32x", fOpaque, 0},
	{"_Float64", fOpaque, 0},
	{"_Float64x", fOpaque, 0},
	{"_Imaginary", kUnsupported, 0},
	{"_Nonnull", fKeyword | fIgnored, 0},
	{"_Noreturn", kStorage, 0},
	{"_Null_unspecified", fKeyword | fIgnored, 0},
	{"_Nullable", fKeyword | fIgnored, 0},
	{"_Thread_local", kStorage, 0},
	{"__alignof__", fKeyword | fSizeof, 0},
	{"__asm", fKeyword, 0},
	{"__asm__", fKeyword, 0},
	{"__attribute", fKeyword, 0},
	{"__attribute__", fKeyword, 0},
	{"__builtin_va_list", kUnsupported | fOpaque, 0},
	{"__cdecl", fKeyword | fIgnored, 0},
	{"__complex__", kUnsupported, 0},
	{"__const", fKeyword | fConst, 0},
	{"__const__", fKeyword | fConst, 0},
	{"__declspec", fKeyword, 0},
	{"__extension__", fKeyword | fIgnored, 0},
	{"__fastcall", fKeyword | fIgnored, 0},
	{"__float128", kUnsupported | fOpaque, 0},
	{"__fp16", kUnsupported | fOpaque, 0},
	{"__inline", kStorage, 0},
	{"__inline__", kStorage, 0},
	{"__int128", kUnsupported, bInt128},
	{"__int128_t", kUnsupported | fOpaque, 0},
	{"__ptr64", fKeyword | fIgnored, 0},
	{"__restrict", fKeyword | fRestrict, 0},
	{"__restrict__", fKeyword | fRestrict, 0},
	{"__signed", kBase, bSigned},
	{"__signed__", kBase, bSigned},
	{"__stdcall", fKeyword | fIgnored, 0},
	{"__thread", kStorage, 0},
	{"__typeof", kUnsupported, 0},
	{"__typeof__", kUnsupported, 0},
	{"__uint128_t", kUnsupported | fOpaque, 0},
	{"__unaligned", fKeyword | fIgnored, 0},
	{"__volatile", fKeyword | fVolatile, 0},
	{"__volatile__", fKeyword | fVolatile, 0},
	{"_cdecl", fKeyword | fIgnored, 0},
	{"alignof", fKeyword | fSizeof, 0},
	{"asm", fKeyword, 0},
	{"auto", kStorage, 0},
	{"bool", kBase, bBool},
	{"char", kBase, bChar},
	{"const", fKeyword | fConst, 0},
	{"double", kBase, bDouble},
	{"enum", fKeyword, 0},
	{"extern", kStorage, 0},
	{"float", kBase, bFloat},
	{"inline", kStorage, 0},
	{"int", kBase, bInt},
	{"long", kBase, bLong},
	{"register", kStorage, 0},
	{"restrict", fKeyword | fRestrict, 0},
	{"short", kBase, bShort},
	{"signed", kBase, bSigned},
	{"sizeof", fKeyword | fSizeof, 0},
	{"static", kStorage, 0},
	{"struct", fKeyword, 0},
	{"typedef", kStorage, 0},
	{"typeof", kUnsupported, 0},
	{"union", fKeyword, 0},
	{"unsigned", kBase, bUnsigned},
	{"void", kBase, bVoid},
	{"volatile", fKeyword | fVolatile, 0},
}

// lookupWord returns the table entry of w (zero if w is not reserved).
// Like the token helpers (see peek), it is kept out of line.
//
//go:noinline
func lookupWord(w string) wordInfo {
	lo, hi := 0, len(words)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if words[m].word < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(words) && words[lo].word == w {
		return words[lo]
	}
	return wordInfo{}
}

// wordIs reports whether w has any of the flags f.
func wordIs(w string, f wordFlags) bool { return lookupWord(w).flags&f != 0 }

// isKeyword reports whether word cannot be a declarator name.
func isKeyword(word string) bool { return wordIs(word, fKeyword) }

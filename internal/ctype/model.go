package ctype

import (
	"runtime"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// BitfieldLayout selects the rules for placing bitfields.
type BitfieldLayout uint8

const (
	// GCCBitfields is the System V / AAPCS64 rule used by GCC and Clang on
	// Unix: a bitfield goes into the next free bits unless it would cross
	// a boundary of its declared type's alignment.
	GCCBitfields BitfieldLayout = iota
	// MSBitfields is the Microsoft rule (MSVC, and MinGW GCC's default
	// -mms-bitfields): consecutive bitfields share a storage unit only if
	// their declared types have the same size. Where MSVC cannot express a
	// construct (packed attributes, :0 in packed structs, enums wider than
	// int, empty structs) the layout follows MinGW GCC; see layoutMS.
	MSBitfields
)

// Model is a target data model.
type Model struct {
	Name                            string // "linux/amd64", "linux/arm64", "darwin/arm64", "darwin/amd64", "windows/amd64"
	PtrSize, LongSize               int
	LongDoubleSize, LongDoubleAlign int
	CharSigned                      bool
	WCharSize                       int
	WCharSigned                     bool
	Bitfields                       BitfieldLayout
	// AnonBitfieldAlign reports whether unnamed bitfields (including :0)
	// raise the alignment of the struct or union that holds them, as on
	// AAPCS64; a :0 raises it to its type's alignment even when packed.
	AnonBitfieldAlign bool
	// MaxVectorAlign caps the alignment of vector types (0: none, a vector
	// is aligned to its size): 16 on AAPCS64, as aarch64 gcc aligns them.
	MaxVectorAlign int
}

// The supported data models. WindowsAMD64 is the Microsoft x64 ABI as
// MinGW GCC (x86_64-w64-mingw32-gcc, the compiler the Windows tests run
// against) lays it out. It agrees with MSVC on everything MSVC can
// declare except long double, which is 16 bytes here and double with
// MSVC; GCC extensions follow GCC: enums wider than int widen to long
// long, packed attributes pack (an aligned typedef does not resist them),
// an empty struct has size 0.
var (
	LinuxAMD64 = &Model{Name: "linux/amd64", PtrSize: 8, LongSize: 8,
		LongDoubleSize: 16, LongDoubleAlign: 16, CharSigned: true,
		WCharSize: 4, WCharSigned: true}
	LinuxARM64 = &Model{Name: "linux/arm64", PtrSize: 8, LongSize: 8,
		LongDoubleSize: 16, LongDoubleAlign: 16, CharSigned: false,
		WCharSize: 4, WCharSigned: false, AnonBitfieldAlign: true, MaxVectorAlign: 16}
	DarwinAMD64 = &Model{Name: "darwin/amd64", PtrSize: 8, LongSize: 8,
		LongDoubleSize: 16, LongDoubleAlign: 16, CharSigned: true,
		WCharSize: 4, WCharSigned: true}
	DarwinARM64 = &Model{Name: "darwin/arm64", PtrSize: 8, LongSize: 8,
		LongDoubleSize: 8, LongDoubleAlign: 8, CharSigned: true,
		WCharSize: 4, WCharSigned: true}
	WindowsAMD64 = &Model{Name: "windows/amd64", PtrSize: 8, LongSize: 4,
		LongDoubleSize: 16, LongDoubleAlign: 16, CharSigned: true,
		WCharSize: 2, WCharSigned: false, Bitfields: MSBitfields}
)

// Models lists every supported data model.
var Models = []*Model{LinuxAMD64, LinuxARM64, DarwinAMD64, DarwinARM64, WindowsAMD64}

// ModelFor returns the data model for a GOOS/GOARCH pair, or nil.
func ModelFor(goos, goarch string) *Model {
	for _, m := range Models {
		if m.Name == goos+"/"+goarch {
			return m
		}
	}
	return nil
}

// Host returns the data model of the machine the program runs on; on a
// target without its own model it falls back to linux/amd64 (LP64).
//
//go:noinline
func Host() *Model {
	if m := ModelFor(runtime.GOOS, runtime.GOARCH); m != nil {
		return m
	}
	if runtime.GOARCH == "arm64" {
		return LinuxARM64
	}
	return LinuxAMD64
}

// String returns the model's name.
func (m *Model) String() string { return m.Name }

// Void returns the void type.
//
// The constructors of small types (and Host) are kept out of line: each
// builds a large Type, and copies inlined at their call sites cost the
// smallest program kilobytes for no speed that binding needs.
//
//go:noinline
func (m *Model) Void() *Type { return &Type{Kind: Void, Align: 1, Complete: false} }

// Bool returns _Bool.
//
//go:noinline
func (m *Model) Bool() *Type { return &Type{Kind: Bool, Size: 1, Align: 1, Complete: true} }

// Float returns float.
//
//go:noinline
func (m *Model) Float() *Type { return &Type{Kind: Float, Size: 4, Align: 4, Complete: true} }

// Double returns double.
//
//go:noinline
func (m *Model) Double() *Type { return &Type{Kind: Double, Size: 8, Align: 8, Complete: true} }

// LongDouble returns long double.
//
//go:noinline
func (m *Model) LongDouble() *Type {
	return &Type{Kind: LongDouble, Size: m.LongDoubleSize, Align: m.LongDoubleAlign, Complete: true}
}

// IntNames lists the canonical spellings accepted by Model.Int.
var IntNames = []string{
	"char", "signed char", "unsigned char", "short", "unsigned short",
	"int", "unsigned int", "long", "unsigned long", "long long",
	"unsigned long long", "wchar_t",
}

// IntInfo returns size and signedness of an integer type by its canonical
// spelling.
func (m *Model) IntInfo(name string) (size int, signed bool, ok bool) {
	switch name {
	case "char":
		return 1, m.CharSigned, true
	case "signed char":
		return 1, true, true
	case "unsigned char":
		return 1, false, true
	case "short":
		return 2, true, true
	case "unsigned short":
		return 2, false, true
	case "int":
		return 4, true, true
	case "unsigned int":
		return 4, false, true
	case "long":
		return m.LongSize, true, true
	case "unsigned long":
		return m.LongSize, false, true
	case "long long":
		return 8, true, true
	case "unsigned long long":
		return 8, false, true
	case "wchar_t":
		return m.WCharSize, m.WCharSigned, true
	}
	return 0, false, false
}

// Int returns the integer type with the canonical spelling name (one of
// IntNames). It panics on an unknown name.
func (m *Model) Int(name string) *Type {
	size, signed, ok := m.IntInfo(name)
	if !ok {
		panic("ctype: unknown integer type " + name)
	}
	return &Type{Kind: Int, Size: size, Align: size, Signed: signed, IntName: name, Complete: true}
}

// IntOfSize returns the standard integer type with the given size and
// signedness (char, short, int, or the shortest of long/long long).
func (m *Model) IntOfSize(size int, signed bool) *Type {
	names := map[int][2]string{1: {"unsigned char", "signed char"}, 2: {"unsigned short", "short"}, 4: {"unsigned int", "int"}}
	n, ok := names[size]
	if !ok {
		if m.LongSize == size {
			n = [2]string{"unsigned long", "long"}
		} else {
			n = [2]string{"unsigned long long", "long long"}
		}
	}
	if signed {
		return m.Int(n[1])
	}
	return m.Int(n[0])
}

// Pointer returns a pointer to elem.
//
//go:noinline
func (m *Model) Pointer(elem *Type) *Type {
	return &Type{Kind: Pointer, Size: m.PtrSize, Align: m.PtrSize, Elem: elem, Complete: true, depth: elem.depth + 1}
}

// maxObjectSize bounds the size of any type (1 TiB), so that layout
// arithmetic cannot overflow.
const maxObjectSize = 1 << 40

// Array returns an array of n elements of elem; n == -1 makes a flexible
// (unsized) array.
func (m *Model) Array(elem *Type, n int) (*Type, error) {
	switch {
	case elem.Kind == Void:
		return nil, errfmt.Errorf("array of void")
	case elem.Kind == Func:
		return nil, errfmt.Errorf("array of functions")
	case !elem.Complete:
		return nil, errfmt.Errorf("array of incomplete type %s", elem)
	case elem.Kind == Array && elem.Len < 0:
		return nil, errfmt.Errorf("array of flexible arrays")
	case n < -1:
		return nil, errfmt.Errorf("negative array size %d", n)
	case n > 0 && elem.Size > 0 && n > maxObjectSize/elem.Size:
		return nil, errfmt.Errorf("array of %d elements of %s is too large", n, elem)
	}
	size := 0
	if n > 0 {
		size = n * elem.Size
	}
	return &Type{Kind: Array, Size: size, Align: elem.Align, Elem: elem, Len: n, Complete: n >= 0, depth: elem.depth + 1}, nil
}

// Func returns the function type with the given result and parameters.
// Array and function parameters are adjusted to pointers as in C.
func (m *Model) Func(result *Type, params []Param, variadic bool) (*Type, error) {
	switch result.Kind {
	case Array:
		return nil, errfmt.Errorf("function returning an array")
	case Func:
		return nil, errfmt.Errorf("function returning a function")
	}
	ps := make([]Param, len(params))
	depth := result.depth
	for i, p := range params {
		t := p.Type
		switch t.Kind {
		case Void:
			return nil, errfmt.Errorf("parameter %d (%q) has type void", i+1, p.Name)
		case Array:
			t = m.Pointer(t.Elem).Qualified(t.Const, t.Volatile, t.Restrict)
		case Func:
			t = m.Pointer(t)
		}
		ps[i] = Param{Name: p.Name, Type: t}
		depth = max(depth, t.depth)
	}
	return &Type{Kind: Func, Align: 1, Result: result, Params: ps, Variadic: variadic, depth: depth + 1}, nil
}

// Enum returns a complete enum type with the given enumerators. The
// underlying type is int when every value fits, else unsigned int, else
// long (or long long) and its unsigned form, with GCC's sizes (MSVC would
// truncate wider values to int; MinGW widens them like this). GCC itself
// takes unsigned int when no value is negative; both are the same bits for
// every value such an enum has (package convert accepts either Go type).
func (m *Model) Enum(tag string, enumerators []Enumerator) *Type {
	lo, hi := int64(0), int64(0)
	for _, e := range enumerators {
		lo = min(lo, e.Value)
		hi = max(hi, e.Value)
	}
	var u *Type
	switch {
	case lo >= -1<<31 && hi <= 1<<31-1:
		u = m.Int("int")
	case lo >= 0 && hi <= 1<<32-1:
		u = m.Int("unsigned int")
	case m.LongSize == 8:
		u = m.Int("long")
		if lo >= 0 {
			u = m.Int("unsigned long")
		}
	default:
		u = m.Int("long long")
		if lo >= 0 {
			u = m.Int("unsigned long long")
		}
	}
	return &Type{Kind: Enum, Tag: tag, Size: u.Size, Align: u.Align, Signed: u.Signed,
		Elem: u, Complete: true, Enumerators: append([]Enumerator(nil), enumerators...)}
}

// PackedEnum returns an enum declared __attribute__((packed)): GCC gives
// it the smallest of char, short, int and long long that holds every
// value (unsigned if none is negative).
func (m *Model) PackedEnum(tag string, enumerators []Enumerator) *Type {
	lo, hi := int64(0), int64(0)
	for _, e := range enumerators {
		lo = min(lo, e.Value)
		hi = max(hi, e.Value)
	}
	size := 8
	for _, n := range []int{1, 2, 4} {
		bits := uint(n * 8)
		if lo >= 0 && uint64(hi) <= 1<<bits-1 || lo < 0 && lo >= -1<<(bits-1) && hi <= 1<<(bits-1)-1 {
			size = n
			break
		}
	}
	t := m.Enum(tag, enumerators)
	u := m.IntOfSize(size, lo < 0)
	t.Elem, t.Size, t.Align, t.Signed, t.Packed = u, u.Size, u.Align, u.Signed, true
	return t
}

// Incomplete returns a forward-declared (opaque) struct, union or enum.
// An incomplete enum has the size of int until it is completed.
func (m *Model) Incomplete(kind Kind, tag string) *Type {
	t := &Type{Kind: kind, Tag: tag, Align: 1}
	if kind == Enum {
		u := m.Int("int")
		t.Elem, t.Size, t.Align, t.Signed = u, u.Size, u.Align, true
	}
	return t
}

// Vector returns the GCC vector type of size bytes with elements of type
// elem (__attribute__((vector_size(size)))). elem must be an integer or
// floating type and size a power-of-two multiple of its size. The vector
// is aligned to its size, as GCC places it in structs (GCC's _Alignof
// reports at most 16 for larger vectors without -mavx, but __alignof__,
// offsets and sizes follow the full alignment), or to the model's
// MaxVectorAlign if that is less.
func (m *Model) Vector(elem *Type, size int) (*Type, error) {
	switch {
	case elem.Kind != Int && elem.Kind != Bool && elem.Kind != Float && elem.Kind != Double && elem.Kind != Enum && !elem.OpaqueArithmetic():
		return nil, errfmt.Errorf("vector_size needs an integer or floating element type, not %s", elem)
	case size <= 0 || size%elem.Size != 0:
		return nil, errfmt.Errorf("vector size %d is not a multiple of the size of %s (%d)", size, elem, elem.Size)
	case !isPow2(size / elem.Size):
		return nil, errfmt.Errorf("vector of %d elements of %s: the number of elements must be a power of 2", size/elem.Size, elem)
	case size > maxObjectSize:
		return nil, errfmt.Errorf("vector size %d is too large", size)
	}
	align := size
	if m.MaxVectorAlign > 0 && align > m.MaxVectorAlign {
		align = m.MaxVectorAlign
	}
	return &Type{Kind: Vector, Size: size, Align: align, Elem: elem, Len: size / elem.Size,
		Complete: true, depth: elem.depth + 1}, nil
}

// opaqueArithmetic are the spellings of the built-in arithmetic types the
// model keeps opaque (Kind Opaque: size and alignment only).
var opaqueArithmetic = map[string]bool{
	"_Float128": true, "__float128": true, "_Float16": true, "__fp16": true,
	"__int128": true, "unsigned __int128": true,
}

// OpaqueArithmetic reports whether t is one of the built-in arithmetic
// types the model keeps opaque (_Float16, _Float128, __int128, ...): GCC
// makes vectors and _Complex types of them, which the model keeps opaque
// too, laid out (x86's immintrin.h: typedef _Float16 __v8hf
// __attribute__((__vector_size__(16)))).
func (t *Type) OpaqueArithmetic() bool {
	return t.Kind == Opaque && opaqueArithmetic[t.IntName]
}

// Opaque returns a type of known size and alignment that the model does
// not otherwise support (see Kind Opaque): spelling is its C spelling and
// note why it is unsupported and where it was declared.
func (m *Model) Opaque(spelling string, size, align int, note string) *Type {
	return &Type{Kind: Opaque, IntName: spelling, Size: size, Align: align, Complete: true, Note: note}
}

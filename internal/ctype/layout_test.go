package ctype

import (
	"fmt"
	"strings"
	"testing"
)

// layoutOf spells a struct or union as "size N align N" followed by the
// offset in bits of each member that C can name.
func layoutOf(t *Type) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size %d align %d", t.Size, t.Align)
	for _, f := range t.Fields {
		if f.BitField && f.Name == "" {
			continue
		}
		fmt.Fprintf(&b, " %d", f.Offset*8+f.BitOffset)
	}
	return b.String()
}

// TestLayoutMS checks the Microsoft bit-field rules of the windows/amd64
// model on the cases where they differ from GCC's System V rules. The
// expected numbers are x86_64-w64-mingw32-gcc 12's (MinGW, whose default
// -mms-bitfields is the Microsoft layout), printed by sizeof, __alignof__,
// offsetof and by setting each bit-field in a zeroed object under wine;
// internal/cparse's TestLayoutMatchesCC checks hundreds more against the
// compiler itself in CI.
func TestLayoutMS(t *testing.T) {
	m := WindowsAMD64
	ch, sh, in, ll, ull := m.Int("char"), m.Int("short"), m.Int("int"), m.Int("long long"), m.Int("unsigned long long")
	mem := func(t *Type) Member { return Member{Name: "m", Type: t} }
	bits := func(t *Type, w int) Member { return Member{Name: "b", Type: t, BitField: true, BitSize: w} }
	anon := func(t *Type, w int) Member { return Member{Type: t, BitField: true, BitSize: w} }
	packedBits := func(t *Type, w int) Member {
		b := bits(t, w)
		b.Packed = true
		return b
	}
	for _, c := range []struct {
		name    string
		union   bool
		packed  bool
		members []Member
		want    string
	}{
		// A bit-field takes a unit of its declared type; the next one of
		// another size starts a new unit after the whole of the first.
		{"int a:3; char b", false, false, []Member{bits(in, 3), mem(ch)}, "size 8 align 4 0 32"},
		{"char x; int a:3; int b:29; char d", false, false, []Member{mem(ch), bits(in, 3), bits(in, 29), mem(ch)}, "size 12 align 4 0 32 35 64"},
		{"char a; long long b:40; int c:30", false, false, []Member{mem(ch), bits(ll, 40), bits(in, 30)}, "size 24 align 8 0 64 128"},
		{"short a:3; char b; short c:2", false, false, []Member{bits(sh, 3), mem(ch), bits(sh, 2)}, "size 6 align 2 0 16 32"},
		// A packed bit-field's unit is not aligned; when it is full the next
		// unit follows it directly, also for bit-fields that are not packed.
		{"char a; ull b:54 packed; ull :13; long long c:46", false, false,
			[]Member{mem(ch), packedBits(ull, 54), anon(ull, 13), bits(ll, 46)}, "size 24 align 8 0 8 85"},
		{"char a; int b:30 packed; int c:4; char d", false, false,
			[]Member{mem(ch), packedBits(in, 30), bits(in, 4), mem(ch)}, "size 12 align 4 0 8 40 72"},
		{"packed: char a; int b:30; int c:4; char d", false, true,
			[]Member{mem(ch), bits(in, 30), bits(in, 4), mem(ch)}, "size 10 align 1 0 8 40 72"},
		{"char a; int b:4 packed; int c:4 packed", false, false,
			[]Member{mem(ch), packedBits(in, 4), packedBits(in, 4)}, "size 5 align 1 0 8 12"},
		// :0 after a run of the same size ends it without realigning, after
		// one of another size aligns to its type, after anything else is
		// ignored; after a bit-field it raises the alignment even packed.
		{"char x; int a:3; int :0; char b", false, false, []Member{mem(ch), bits(in, 3), anon(in, 0), mem(ch)}, "size 12 align 4 0 32 64"},
		{"char x; char a:3; int :0; char b", false, false, []Member{mem(ch), bits(ch, 3), anon(in, 0), mem(ch)}, "size 8 align 4 0 8 32"},
		{"packed: char x; int a:3; int :0; char b", false, true, []Member{mem(ch), bits(in, 3), anon(in, 0), mem(ch)}, "size 8 align 4 0 8 40"},
		{"char x; int a:3 packed; long long :0; char b", false, false,
			[]Member{mem(ch), packedBits(in, 3), anon(ll, 0), mem(ch)}, "size 16 align 8 0 8 64"},
		{"char a; int :0; char b", false, false, []Member{mem(ch), anon(in, 0), mem(ch)}, "size 2 align 1 0 8"},
		{"short a:10; unsigned :0; short b:12; char c:6; long long :0", false, false,
			[]Member{bits(sh, 10), anon(m.Int("unsigned int"), 0), bits(sh, 12), bits(ch, 6), anon(ll, 0)}, "size 8 align 8 0 32 48"},
		// Unnamed bit-fields align like named ones.
		{"char a; int :4; char b", false, false, []Member{mem(ch), anon(in, 4), mem(ch)}, "size 12 align 4 0 64"},
		// In a union a bit-field takes the bytes of its width and the
		// alignment of its type, unless packed.
		{"union: char a; int :5", true, false, []Member{mem(ch), anon(in, 5)}, "size 4 align 4 0"},
		{"union: char a; long long b:3", true, false, []Member{mem(ch), bits(ll, 3)}, "size 8 align 8 0 0"},
		{"packed union: char a; int b:20", true, true, []Member{mem(ch), bits(in, 20)}, "size 3 align 1 0 0"},
		{"union: char a; int b:20 packed", true, false, []Member{mem(ch), packedBits(in, 20)}, "size 3 align 1 0 0"},
		{"union: char a; int :0", true, false, []Member{mem(ch), anon(in, 0)}, "size 1 align 1 0"},
		{"empty struct", false, false, nil, "size 0 align 1"},
	} {
		lay := m.Struct
		if c.union {
			lay = m.Union
		}
		for i := range c.members {
			if c.members[i].Name != "" {
				c.members[i].Name = fmt.Sprintf("f%d", i)
			}
		}
		ty, err := lay("", c.members, c.packed, 0)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := layoutOf(ty); got != c.want {
			t.Errorf("%s:\n\tgot  %s\n\twant %s", c.name, got, c.want)
		}
	}
}

// TestLayoutPack checks #pragma pack on each layout rule with the
// numbers of gcc 12 (linux/amd64), aarch64-linux-gnu-gcc 12 (linux/arm64)
// and x86_64-w64-mingw32-gcc 12 (windows/amd64, under wine) for
//
//	#pragma pack(2): struct { char a; int b; double c; long long d:40; int e:20; char f; }
//	#pragma pack(1): struct { char a; int b:3; int c:30; short :0; char d; long long e __attribute__((aligned(8))); }
//
// (struct P1 and P2 of internal/cparse's TestLayoutMatchesCC). The pack
// caps member alignment, aligned attributes included; GCC's bit-fields
// straddle their type's boundaries under it; an unnamed :0 still aligns
// an AAPCS64 struct to its type.
func TestLayoutPack(t *testing.T) {
	for _, c := range []struct {
		m      *Model
		p1, p2 string
	}{
		{LinuxAMD64, "size 24 align 2 0 16 48 112 152 176", "size 15 align 1 0 8 11 48 56"},
		{LinuxARM64, "size 24 align 2 0 16 48 112 152 176", "size 16 align 2 0 8 11 48 56"},
		{WindowsAMD64, "size 28 align 2 0 16 48 112 176 208", "size 18 align 1 0 8 40 72 80"},
	} {
		m := c.m
		ch, in, ll := m.Int("char"), m.Int("int"), m.Int("long long")
		p1 := []Member{{Name: "a", Type: ch}, {Name: "b", Type: in}, {Name: "c", Type: m.Double()},
			{Name: "d", Type: ll, BitField: true, BitSize: 40}, {Name: "e", Type: in, BitField: true, BitSize: 20}, {Name: "f", Type: ch}}
		p2 := []Member{{Name: "a", Type: ch}, {Name: "b", Type: in, BitField: true, BitSize: 3}, {Name: "c", Type: in, BitField: true, BitSize: 30},
			{Type: m.Int("short"), BitField: true}, {Name: "d", Type: ch}, {Name: "e", Type: ll, Aligned: 8}}
		for _, r := range []struct {
			members []Member
			pack    int
			want    string
		}{{p1, 2, c.p1}, {p2, 1, c.p2}} {
			ty, err := m.Record(Struct, "", r.members, RecordAttrs{Pack: r.pack})
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
			if got := layoutOf(ty); got != r.want {
				t.Errorf("%s, pack %d:\n\tgot  %s\n\twant %s", m, r.pack, got, r.want)
			}
		}
	}
	if _, err := LinuxAMD64.Record(Struct, "", nil, RecordAttrs{Pack: 3}); err == nil || err.Error() != "#pragma pack(3): the value must be 1, 2, 4, 8 or 16" {
		t.Errorf("pack 3: %v", err)
	}
	if _, err := LinuxAMD64.Record(Int, "", nil, RecordAttrs{}); err == nil {
		t.Error("a record of kind int was laid out")
	}
}

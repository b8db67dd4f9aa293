package ctype

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Member is an input to Struct/Union layout.
type Member struct {
	Name     string // "" for an anonymous struct/union member or an unnamed bitfield
	Type     *Type
	BitField bool
	BitSize  int
	Packed   bool // __attribute__((packed)) on the member
	Aligned  int  // __attribute__((aligned(N))) on the member; 0 = none
}

// Struct lays out a struct with the target's C compiler rules, including
// bitfields, packed and aligned attributes (aligned is the N of
// __attribute__((aligned(N))) on the struct, 0 for none).
func (m *Model) Struct(tag string, members []Member, packed bool, aligned int) (*Type, error) {
	return m.Record(Struct, tag, members, RecordAttrs{Packed: packed, Aligned: aligned})
}

// Union lays out a union; every member is at offset 0.
func (m *Model) Union(tag string, members []Member, packed bool, aligned int) (*Type, error) {
	return m.Record(Union, tag, members, RecordAttrs{Packed: packed, Aligned: aligned})
}

// RecordAttrs are what a struct or union definition says about its layout
// besides its members.
type RecordAttrs struct {
	Packed  bool // __attribute__((packed))
	Aligned int  // N of __attribute__((aligned(N))); 0 for none
	// Pack is the N of the #pragma pack(N) in force where the definition
	// ends; 0 for none. It caps the alignment of every member (aligned
	// attributes on members included, the struct's own not), and with GCC
	// rules lets bit-fields straddle their type's boundaries as packed
	// ones do.
	Pack int
}

// Record lays out a struct or union (kind) with the attributes a.
func (m *Model) Record(kind Kind, tag string, members []Member, a RecordAttrs) (*Type, error) {
	if kind != Struct && kind != Union {
		return nil, errfmt.Errorf("record of kind %s", kind)
	}
	if a.Pack != 0 && (!isPow2(a.Pack) || a.Pack > 16) {
		return nil, errfmt.Errorf("#pragma pack(%d): the value must be 1, 2, 4, 8 or 16", a.Pack)
	}
	return m.layout(kind, tag, members, a)
}

// capAlign is a capped by #pragma pack(pack) (0: no cap).
func capAlign(a, pack int) int {
	if pack > 0 && a > pack {
		return pack
	}
	return a
}

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

func roundUp(n, a int) int { return (n + a - 1) / a * a }

// memberNames collects the names a member brings into its struct: its own
// or, for an anonymous struct/union member, those of its fields.
func memberNames(mem Member, add func(string) error) error {
	if mem.Name != "" {
		return add(mem.Name)
	}
	if mem.BitField || (mem.Type.Kind != Struct && mem.Type.Kind != Union) {
		return nil
	}
	for _, f := range mem.Type.Fields {
		if err := memberNames(Member{Name: f.Name, Type: f.Type, BitField: f.BitField}, add); err != nil {
			return err
		}
	}
	return nil
}

func (m *Model) checkMembers(kind Kind, members []Member, aligned int) error {
	if aligned != 0 && !isPow2(aligned) {
		return errfmt.Errorf("requested alignment %d is not a power of 2", aligned)
	}
	seen := map[string]bool{}
	add := func(n string) error {
		if seen[n] {
			return errfmt.Errorf("duplicate member %q", n)
		}
		seen[n] = true
		return nil
	}
	named := false
	for i, mem := range members {
		t := mem.Type
		what := fmt.Sprintf("member %q", mem.Name)
		if mem.Name == "" {
			what = fmt.Sprintf("member %d", i+1)
		}
		if t == nil {
			return errfmt.Errorf("%s has no type", what)
		}
		if mem.Aligned != 0 && !isPow2(mem.Aligned) {
			return errfmt.Errorf("%s: requested alignment %d is not a power of 2", what, mem.Aligned)
		}
		switch {
		case t.Kind == Void:
			return errfmt.Errorf("%s has type void", what)
		case t.Kind == Func:
			return errfmt.Errorf("%s has function type %s", what, t)
		case t.Kind == Array && t.Len < 0:
			if kind == Union {
				return errfmt.Errorf("flexible array %s in a union", what)
			}
			if i != len(members)-1 {
				return errfmt.Errorf("flexible array %s is not at the end of the struct", what)
			}
			if !named {
				return errfmt.Errorf("flexible array %s in a struct with no named members", what)
			}
		case !t.Complete:
			return errfmt.Errorf("%s has incomplete type %s", what, t)
		}
		if mem.BitField {
			if !t.IsInteger() {
				return errfmt.Errorf("bitfield %s has non-integer type %s", what, t)
			}
			max := t.Size * 8
			if t.Kind == Bool {
				max = 1
			}
			switch {
			case mem.BitSize < 0:
				return errfmt.Errorf("bitfield %s has negative width %d", what, mem.BitSize)
			case mem.BitSize > max:
				return errfmt.Errorf("width %d of bitfield %s exceeds its type %s (%d bits)", mem.BitSize, what, t, max)
			case mem.BitSize == 0 && mem.Name != "":
				return errfmt.Errorf("zero width for bitfield %s", what)
			}
		} else if mem.Name == "" && t.Kind != Struct && t.Kind != Union {
			return errfmt.Errorf("%s has no name", what)
		}
		if err := memberNames(mem, add); err != nil {
			return err
		}
		if mem.Name != "" || (!mem.BitField && len(mem.Type.Fields) > 0) {
			named = true
		}
	}
	return nil
}

// fieldAlign is the alignment of a non-bitfield member.
func fieldAlign(mem Member, packed bool) int {
	a := mem.Type.Align
	if packed || mem.Packed {
		a = 1
		if mem.Aligned > 0 {
			a = mem.Aligned
		}
	} else if mem.Aligned > a {
		a = mem.Aligned
	}
	return a
}

func (m *Model) layout(kind Kind, tag string, members []Member, attrs RecordAttrs) (*Type, error) {
	packed, aligned := attrs.Packed, attrs.Aligned
	if err := m.checkMembers(kind, members, aligned); err != nil {
		return nil, err
	}
	var fields []Field
	var bits, align int
	if m.Bitfields == MSBitfields {
		fields, bits, align = m.layoutMS(kind, members, packed, attrs.Pack)
	} else {
		fields, bits, align = m.layoutGCC(kind, members, packed, attrs.Pack)
	}
	if aligned > align {
		align = aligned
	}
	size := roundUp(roundUp(bits, 8)/8, align)
	if size > maxObjectSize {
		return nil, errfmt.Errorf("%s is too large (%d bytes)", kind, size)
	}
	depth := 0
	for _, f := range fields {
		depth = max(depth, f.Type.depth+1)
	}
	return &Type{Kind: kind, Tag: tag, Size: size, Align: align, Fields: fields,
		Complete: true, Packed: packed, AlignAttr: aligned, Pack: attrs.Pack, depth: depth}, nil
}

// unitField fills the Offset/BitOffset of a bitfield at absolute bit
// position pos: Offset is the storage unit of its type containing pos.
func unitField(f *Field, pos int) {
	unit := max(f.Type.Size, 1)
	f.Offset = pos / 8 / unit * unit
	f.BitOffset = pos - f.Offset*8
}

// layoutGCC places members as GCC does on System V and AAPCS64 targets,
// under #pragma pack(pack) if pack is not 0. It returns the fields, the
// size in bits before the final rounding and the alignment.
func (m *Model) layoutGCC(kind Kind, members []Member, packed bool, pack int) ([]Field, int, int) {
	fields := make([]Field, len(members))
	pos, end, align := 0, 0, 1
	for i, mem := range members {
		t := mem.Type
		p := packed || mem.Packed
		f := Field{Name: mem.Name, Type: t, BitField: mem.BitField, BitSize: mem.BitSize, Packed: mem.Packed, Aligned: mem.Aligned}
		if kind == Union {
			pos = 0
		}
		if !mem.BitField {
			a := capAlign(fieldAlign(mem, packed), pack)
			pos = roundUp(pos, a*8)
			f.Offset = pos / 8
			pos += t.Size * 8
			align = max(align, a)
		} else {
			ta := t.Align * 8
			w := mem.BitSize
			switch {
			case w == 0:
				// :0 aligns the next field to its type, even when
				// packed; #pragma pack caps that.
				pos = roundUp(pos, capAlign(t.Align, pack)*8)
			case !p && pack == 0 && (pos%ta+w+ta-1)/ta > t.Size/t.Align:
				// It would span more units of its type's alignment than
				// the type itself has: move to the next boundary.
				pos = roundUp(pos, ta)
			}
			if mem.Aligned > 0 {
				pos = roundUp(pos, capAlign(mem.Aligned, pack)*8)
			}
			unitField(&f, pos)
			pos += w
			if mem.Name != "" || m.AnonBitfieldAlign {
				a := t.Align
				switch {
				case w == 0 && m.AnonBitfieldAlign:
					// On AAPCS64 an unnamed :0 keeps its type's
					// alignment, packed or under #pragma pack.
				case pack > 0:
					a = min(a, pack) // even when packed
				case p:
					// Packing makes a bit-field's alignment 1.
					a = 1
				}
				align = max(align, a, capAlign(mem.Aligned, pack))
			}
		}
		end = max(end, pos)
		fields[i] = f
	}
	return fields, end, align
}

// layoutMS places members as MinGW GCC does with its default
// -mms-bitfields, which is Microsoft's rule for bit-fields:
//   - consecutive bit-fields share a storage unit only while their declared
//     types have the same size; a bit-field that does not fit in what is left
//     of the unit starts the next unit, right after it;
//   - a run of bit-fields always uses up its whole unit, also at the end of
//     the struct;
//   - a new unit is aligned to its type (to a byte when the bit-field is
//     packed), and a packed run keeps its unaligned units;
//   - a :0 right after a bit-field ends the run, aligns the position to its
//     type only if its size differs from the run's, and raises the struct's
//     alignment to its type even when packed; anywhere else it is ignored;
//   - every bit-field that is not packed, named or not, raises the
//     alignment to its type;
//   - in a union a bit-field takes the bytes its width needs, and raises the
//     alignment to its type unless packed.
//
// It returns the fields, the size in bits before the final rounding and
// the alignment.
func (m *Model) layoutMS(kind Kind, members []Member, packed bool, pack int) ([]Field, int, int) {
	fields := make([]Field, len(members))
	pos, end, align := 0, 0, 1
	// The open run of bit-fields: the size of its declared type (0 when
	// there is none), where its current unit starts and the bits left in it.
	unit, unitStart, left := 0, 0, 0
	afterBits := false // the previous member is a bit-field of nonzero width
	for i, mem := range members {
		t := mem.Type
		f := Field{Name: mem.Name, Type: t, BitField: mem.BitField, BitSize: mem.BitSize, Packed: mem.Packed, Aligned: mem.Aligned}
		// A packed struct packs only members whose type is aligned to more
		// than a byte (which matters to :0 and aligned attributes).
		p := mem.Packed || packed && t.Align > 1
		switch {
		case !mem.BitField:
			a := capAlign(fieldAlign(mem, packed), pack)
			align = max(align, a)
			if kind == Union {
				pos = 0
			} else if unit != 0 {
				pos = unitStart + unit*8 // the run uses up its unit
			}
			unit = 0
			pos = roundUp(pos, a*8)
			f.Offset = pos / 8
			pos += t.Size * 8
		case kind == Union:
			if mem.BitSize > 0 && !p {
				align = max(align, capAlign(max(t.Align, mem.Aligned), pack))
			}
			pos = roundUp(mem.BitSize, 8)
		case mem.BitSize == 0:
			if afterBits {
				align = max(align, capAlign(max(t.Align, mem.Aligned), pack))
				pos = unitStart + unit*8
				if t.Size != unit {
					pos = roundUp(pos, capAlign(ta(t, p), pack)*8)
				}
			}
			unit = 0
			f.Offset = pos / 8
		default:
			if !p {
				align = max(align, capAlign(max(t.Align, mem.Aligned), pack))
			}
			if a := capAlign(mem.Aligned, pack); a > 0 && pos%(a*8) != 0 {
				// An aligned attribute moves the bit-field and ends the run.
				pos = roundUp(pos, a*8)
				unit = 0
			}
			switch {
			case unit == t.Size && left >= mem.BitSize:
				left -= mem.BitSize
			case unit == t.Size:
				// Out of bits: the next unit follows, not realigned.
				unitStart += unit * 8
				pos, left = unitStart, unit*8-mem.BitSize
			default:
				if unit != 0 {
					pos = unitStart + unit*8
				}
				pos = roundUp(pos, capAlign(ta(t, p), pack)*8)
				unit, unitStart, left = t.Size, pos, t.Size*8-mem.BitSize
			}
			f.Offset = unitStart / 8
			f.BitOffset = pos - unitStart
			pos += mem.BitSize
		}
		afterBits = mem.BitField && mem.BitSize > 0
		end = max(end, pos)
		fields[i] = f
	}
	if unit != 0 {
		end = max(end, unitStart+unit*8)
	}
	return fields, end, align
}

// ta is the alignment of a new bit-field unit of type t: a byte when the
// bit-field is packed.
func ta(t *Type, packed bool) int {
	if packed {
		return 1
	}
	return t.Align
}

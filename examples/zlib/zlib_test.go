//go:build !windows

package zlib

import (
	"bytes"
	gozlib "compress/zlib"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ffigen"
)

func mustLoad(t *testing.T) {
	t.Helper()
	if err := Load(); err != nil {
		t.Fatalf("Load: %v (install zlib1g)", err)
	}
}

// deflateAll compresses in with deflate through a Z_stream whose pointer
// members are uintptr: zlib leaves next_in one past the end of in, which
// a Go pointer field must never do.
func deflateAll(t *testing.T, in []byte, level int32) []byte {
	var s Z_stream
	if rc := DeflateInit_(&s, level, ZlibVersion(), int32(unsafe.Sizeof(s))); rc != Z_OK {
		t.Fatalf("deflateInit_ = %d", rc)
	}
	defer DeflateEnd(&s)
	out := make([]byte, DeflateBound(&s, uint64(len(in))))
	s.Next_in, s.Avail_in = uintptr(unsafe.Pointer(unsafe.SliceData(in))), uint32(len(in))
	s.Next_out, s.Avail_out = uintptr(unsafe.Pointer(&out[0])), uint32(len(out))
	rc := Deflate(&s, Z_FINISH)
	runtime.KeepAlive(in)
	runtime.KeepAlive(out)
	if rc != Z_STREAM_END {
		t.Fatalf("deflate = %d", rc)
	}
	if s.Total_in != uint64(len(in)) || s.Next_in != uintptr(unsafe.Pointer(unsafe.SliceData(in)))+uintptr(len(in)) {
		t.Errorf("deflate consumed %d of %d bytes", s.Total_in, len(in))
	}
	return out[:s.Total_out]
}

// inflateAll decompresses in into a buffer of n bytes, in small output
// chunks so that inflate is called many times on one stream.
func inflateAll(t *testing.T, in []byte, n int) []byte {
	var s Z_stream
	if rc := InflateInit_(&s, ZlibVersion(), int32(unsafe.Sizeof(s))); rc != Z_OK {
		t.Fatalf("inflateInit_ = %d", rc)
	}
	defer InflateEnd(&s)
	out := make([]byte, n)
	s.Next_in, s.Avail_in = uintptr(unsafe.Pointer(&in[0])), uint32(len(in))
	for done := 0; ; {
		chunk := min(1000, n-done)
		s.Next_out, s.Avail_out = uintptr(unsafe.Pointer(&out[done])), uint32(chunk)
		rc := Inflate(&s, Z_NO_FLUSH)
		runtime.GC() // the buffers are kept alive below, not by the uintptrs
		done = int(s.Total_out)
		if rc == Z_STREAM_END {
			break
		}
		if rc != Z_OK {
			t.Fatalf("inflate = %d after %d bytes", rc, done)
		}
	}
	runtime.KeepAlive(in)
	runtime.KeepAlive(out)
	return out[:s.Total_out]
}

func TestCompressRoundTrip(t *testing.T) {
	mustLoad(t)
	in := []byte(strings.Repeat("generated bindings, no cgo: ", 2000))
	for _, level := range []int32{Z_BEST_SPEED, Z_DEFAULT_COMPRESSION, Z_BEST_COMPRESSION} {
		z := deflateAll(t, in, level)
		if len(z) >= len(in)/10 {
			t.Errorf("level %d: %d bytes compressed to %d", level, len(in), len(z))
		}
		// Go's own zlib reads what C wrote...
		r, err := gozlib.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatal(err)
		}
		if back, err := io.ReadAll(r); err != nil || !bytes.Equal(back, in) {
			t.Fatalf("level %d: Go's zlib read %d bytes back (%v)", level, len(back), err)
		}
		// ...and C reads it back too.
		if back := inflateAll(t, z, len(in)); !bytes.Equal(back, in) {
			t.Fatalf("level %d: inflate gave %d bytes back", level, len(back))
		}
	}
	// C inflates what Go's zlib wrote.
	var b bytes.Buffer
	w := gozlib.NewWriter(&b)
	w.Write(in)
	w.Close()
	if back := inflateAll(t, b.Bytes(), len(in)); !bytes.Equal(back, in) {
		t.Fatal("inflate of Go's zlib output differs")
	}
}

func TestCrc32(t *testing.T) {
	mustLoad(t)
	data := []byte("The quick brown fox jumps over the lazy dog")
	if got, want := Crc32(0, &data[0], uint32(len(data))), uint64(crc32.ChecksumIEEE(data)); got != want {
		t.Errorf("crc32 = %#x, want %#x", got, want)
	}
	if v := ZlibVersion(); !strings.HasPrefix(v, "1.") {
		t.Errorf("zlibVersion() = %q", v)
	}
}

// TestRegenerate runs ffigen with the arguments of the go:generate line
// and checks that it writes zlib.go byte for byte.
func TestRegenerate(t *testing.T) {
	args, err := ffigen.GenerateArgs("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ffigen.ParseArgs(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ffigen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(c.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("regenerating %s gives different bytes (%d, was %d): run go generate", c.Out, len(got), len(want))
	}
}

// TestScope: the generated Scope declares the C types of the bindings, so
// ffi calls can name them (here Sizeof and Offsetof of z_stream, checked
// against the Go mirror).
func TestScope(t *testing.T) {
	sc, err := Scope()
	if err != nil {
		t.Fatal(err)
	}
	size, err := sc.Sizeof("z_stream")
	if err != nil || size != int(unsafe.Sizeof(Z_stream{})) {
		t.Errorf("Sizeof(z_stream) = %d, %v; the mirror has %d bytes", size, err, unsafe.Sizeof(Z_stream{}))
	}
	// z_streamp, a pointer typedef -include names, is declared too.
	if n, err := sc.Sizeof("z_streamp"); err != nil || n != int(unsafe.Sizeof(uintptr(0))) {
		t.Errorf("Sizeof(z_streamp) = %d, %v", n, err)
	}
	off, err := sc.Offsetof("z_stream", "avail_out")
	if err != nil || off != int(unsafe.Offsetof(Z_stream{}.Avail_out)) {
		t.Errorf("Offsetof(z_stream, avail_out) = %d, %v; the mirror has %d", off, err, unsafe.Offsetof(Z_stream{}.Avail_out))
	}
}

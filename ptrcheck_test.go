//go:build !windows

package ffi_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

// z_stream mirrors zlib's struct z_stream_s the tempting way: Go pointers
// for C's pointers. zlib leaves next_in one past the end of the input, so a
// collection may then find a bad pointer in the Go heap; FFICHECK=1 catches
// the mistake at the call.
type z_stream struct {
	next_in   *byte
	avail_in  uint32
	_         uint64 // total_in
	next_out  *byte
	avail_out uint32
	_         uint64     // total_out
	_         [5]uintptr // msg, state, zalloc, zfree, opaque: C's
	_         [3]uint64  // data_type (int, padded), adler, reserved
}

// zStream is the safe mirror: C's pointers as uintptr, which the garbage
// collector does not follow; the buffers they point to are pinned for as
// long as zlib holds them.
type zStream struct {
	nextIn   uintptr
	availIn  uint32
	_        uint64 // total_in
	nextOut  uintptr
	availOut uint32
	totalOut uint64
	_        [5]uintptr // msg, state, zalloc, zfree, opaque: C's
	_        [3]uint64  // data_type (int, padded), adler, reserved
}

func init() {
	helpers["zstream-go-pointer"] = func() {
		z, version := openZlib()
		var deflateInit func(strm *z_stream, level int32, version string, size int32) int32
		var deflate func(strm *z_stream, flush int32) int32
		bindZ(z, &deflateInit, "int deflateInit_(void *strm, int level, const char *version, int stream_size)")
		bindZ(z, &deflate, "int deflate(void *strm, int flush)")
		strm := new(z_stream)
		if rc := deflateInit(strm, 6, version, int32(unsafe.Sizeof(*strm))); rc != 0 {
			fmt.Println("deflateInit_:", rc)
			os.Exit(1)
		}
		in, out := []byte("hello hello hello"), make([]byte, 64)
		strm.next_in, strm.avail_in = &in[0], uint32(len(in))
		strm.next_out, strm.avail_out = &out[0], uint32(len(out))
		defer func() {
			err, _ := recover().(error)
			fmt.Println(err)
			os.Exit(0)
		}()
		deflate(strm, 4) // Z_FINISH
		fmt.Println("deflate returned")
		os.Exit(1)
	}
	helpers["zstream-uintptr"] = func() {
		z, version := openZlib()
		var deflateInit func(strm *zStream, level int32, version string, size int32) int32
		var deflate func(strm *zStream, flush int32) int32
		var deflateEnd func(strm *zStream) int32
		var uncompress func(dst []byte, dstLen *uint64, src []byte, srcLen uint64) int32
		bindZ(z, &deflateInit, "int deflateInit_(void *strm, int level, const char *version, int stream_size)")
		bindZ(z, &deflate, "int deflate(void *strm, int flush)")
		bindZ(z, &deflateEnd, "int deflateEnd(void *strm)")
		bindZ(z, &uncompress, "int uncompress(unsigned char *, unsigned long *, const unsigned char *, unsigned long)")
		strm := new(zStream)
		if rc := deflateInit(strm, 6, version, int32(unsafe.Sizeof(*strm))); rc != 0 {
			fmt.Println("deflateInit_:", rc)
			os.Exit(1)
		}
		in, out := bytes.Repeat([]byte("hello "), 1000), make([]byte, 1024)
		var pin runtime.Pinner // zlib holds the buffers across calls
		pin.Pin(&in[0])
		pin.Pin(&out[0])
		strm.nextIn, strm.availIn = uintptr(unsafe.Pointer(&in[0])), uint32(len(in))
		strm.nextOut, strm.availOut = uintptr(unsafe.Pointer(&out[0])), uint32(len(out))
		runtime.GC()
		if rc := deflate(strm, 4); rc != 1 { // Z_FINISH gives Z_STREAM_END
			fmt.Println("deflate:", rc)
			os.Exit(1)
		}
		n := strm.totalOut
		deflateEnd(strm)
		pin.Unpin()
		back := make([]byte, len(in))
		blen := uint64(len(back))
		if rc := uncompress(back, &blen, out[:n], n); rc != 0 || !bytes.Equal(back, in) {
			fmt.Println("uncompress:", rc)
			os.Exit(1)
		}
		fmt.Printf("ok: %d bytes to %d\n", len(in), n)
		os.Exit(0)
	}
}

func openZlib() (*ffi.Library, string) {
	z, err := ffi.Open("libz.so.1")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	var zlibVersion func() string
	bindZ(z, &zlibVersion, "const char *zlibVersion(void)")
	return z, zlibVersion()
}

func bindZ(z *ffi.Library, fnPtr any, decl string) {
	if err := z.Bind(fnPtr, decl); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}

// TestPointerCheckZStream: with FFICHECK=1, a z_stream mirror that holds a
// Go pointer is refused at the call, naming the field; the uintptr mirror
// passes and compresses.
func TestPointerCheckZStream(t *testing.T) {
	t.Setenv("FFICHECK", "1")
	code, out := runHelper(t, "zstream-go-pointer")
	for _, want := range []string{
		"ffi: call deflate: argument 1 (*ffi_test.z_stream): z_stream.next_in holds Go pointer 0x",
		"Go memory passed to C may not hold Go pointers",
		"[FFICHECK=1]",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, output %q, want %q", code, out, want)
		}
	}
	code, out = runHelper(t, "zstream-uintptr")
	if code != 0 || !strings.HasPrefix(out, "ok: 6000 bytes to ") {
		t.Errorf("uintptr mirror: exit %d, output %q", code, out)
	}
}

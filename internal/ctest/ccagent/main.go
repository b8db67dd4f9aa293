// Command ccagent runs the C compiler for test binaries that cannot run it
// themselves: Windows test binaries under wine, whose fixtures must be
// built by the Linux cross compiler. It watches a directory for requests
// written by package ctest (ID.args: compiler arguments separated by NUL,
// file names relative to the directory), runs the compiler in that
// directory, and answers with ID.out (the compiler's output) and ID.status
// ("ok" or the failure). It runs until killed.
//
//	ccagent -dir /tmp/agent -cc x86_64-w64-mingw32-gcc &
//	FFI_CTEST_AGENT='Z:\tmp\agent' wine ffi.test.exe
package main

import (
	"flag"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

func main() {
	dir := flag.String("dir", "", "directory watched for requests (required)")
	cc := flag.String("cc", "x86_64-w64-mingw32-gcc", "C compiler to run")
	extra := flag.String("extra", "-static", "space-separated arguments added to every compilation (-static: DLLs carry libgcc and winpthreads, which the loader would not find)")
	flag.Parse()
	if *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	for {
		reqs, err := filepath.Glob(filepath.Join(*dir, "*"+ctest.ArgsExt))
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range reqs {
			serve(*dir, *cc, strings.Fields(*extra), r)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// serve answers the request in file r.
func serve(dir, cc string, extra []string, r string) {
	data, err := os.ReadFile(r)
	if err != nil {
		log.Fatal(err)
	}
	os.Remove(r)
	base := strings.TrimSuffix(r, ctest.ArgsExt)
	cmd := exec.Command(cc, append(strings.Split(string(data), "\x00"), extra...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	status := "ok"
	if err != nil {
		status = cc + ": " + err.Error()
	}
	if err := os.WriteFile(base+ctest.OutExt, out, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(base+".stmp", []byte(status), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(base+".stmp", base+ctest.StatusExt); err != nil {
		log.Fatal(err)
	}
}

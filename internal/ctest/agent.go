package ctest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// AgentEnv names an environment variable holding a directory where a
// compile agent (ccagent) runs the C compiler for this process. Test
// binaries cross-compiled for Windows and run under wine cannot start the
// Linux cross compiler themselves; with AgentEnv set, fixtures are written
// into that directory and each compilation is a request the agent answers
// (see package ccagent). Required on Windows.
const AgentEnv = "FFI_CTEST_AGENT"

// Request files in the agent directory: the test writes ID.args (the
// compiler arguments, NUL-separated, file names relative to the
// directory); the agent writes ID.out (the compiler's output) and then
// ID.status ("ok" or the failure).
const (
	ArgsExt   = ".args"
	OutExt    = ".out"
	StatusExt = ".status"
)

var requests atomic.Int64

// agentTimeout bounds the wait for one compilation.
const agentTimeout = 5 * time.Minute

// askAgent has the agent in dir run the compiler with args.
func askAgent(dir string, args []string) ([]byte, error) {
	id := fmt.Sprintf("req-%d-%d", os.Getpid(), requests.Add(1))
	base := filepath.Join(dir, id)
	tmp := base + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(args, "\x00")), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, base+ArgsExt); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(agentTimeout)
	for {
		status, err := os.ReadFile(base + StatusExt)
		if err == nil {
			out, _ := os.ReadFile(base + OutExt)
			os.Remove(base + StatusExt)
			os.Remove(base + OutExt)
			if s := string(status); s != "ok" {
				return out, errors.New(s)
			}
			return out, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("no answer from the compile agent in %s after %v (is ccagent running?)", dir, agentTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

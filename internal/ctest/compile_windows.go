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

// agentDir is the compile agent's directory (AgentEnv).
func agentDir() string { return os.Getenv(AgentEnv) }

// compile has the compile agent run the C compiler with args in its
// directory, which must be dir.
func compile(dir string, args []string) ([]byte, error) {
	if agentDir() == "" {
		return nil, errors.New("ctest: on Windows the C compiler runs in a compile agent: set " + AgentEnv + " (see internal/ctest/ccagent)")
	}
	return askAgent(dir, args)
}

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

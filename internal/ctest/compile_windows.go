package ctest

import (
	"errors"
	"os"
)

// Fixture file names on this OS.
const (
	libSuffix = ".dll"
	exeSuffix = ".exe"
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

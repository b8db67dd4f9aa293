package ctest

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

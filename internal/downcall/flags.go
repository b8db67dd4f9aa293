package downcall

// FlagErrno in Frame.Flags makes the stub clear errno before the call and
// store it into Frame.Errno right after, on the thread that made the call.
const FlagErrno = 1

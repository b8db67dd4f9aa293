package gateway

func crosscall2Addr() uintptr

package zlib

// zlib.go is generated from the system's zlib.h (Debian: zlib1g-dev); the
// C compiler is needed only to regenerate it.
//go:generate go run github.com/seed5ca82032/ffi/cmd/ffigen -header zlib.h -lib libz.so.1 -package zlib -include "^(deflate|inflate|zlibVersion|crc32|Z_|z_stream)" -o zlib.go

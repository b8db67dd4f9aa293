// Byte offsets of the fields of downcall.Frame (frame.go). The tests parse
// this file and compare each value with unsafe.Offsetof.
#define FRAME_FN 0
#define FRAME_GPR 8
#define FRAME_FPR 56
#define FRAME_STACK 120
#define FRAME_NSTACK 128
#define FRAME_AL 136
#define FRAME_RETGPR 144
#define FRAME_RETFPR 160
#define FRAME_FLAGS 176
#define FRAME_ERRNO 184
#define FRAME_SIZE 192

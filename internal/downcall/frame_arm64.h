// Byte offsets of the fields of downcall.Frame on arm64 (frame_arm64.go).
// The tests parse this file and compare each value with unsafe.Offsetof.
#define FRAME_FN 0
#define FRAME_GPR 8
#define FRAME_FPR 80
#define FRAME_STACK 144
#define FRAME_NSTACK 152
#define FRAME_AL 160
#define FRAME_RETGPR 168
#define FRAME_RETFPR 184
#define FRAME_FLAGS 216
#define FRAME_ERRNO 224
#define FRAME_SIZE 232

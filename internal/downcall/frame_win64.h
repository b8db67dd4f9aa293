// Byte offsets of the fields of downcall.Frame on windows/amd64
// (frame_windows_amd64.go). The tests parse this file and compare each
// value with unsafe.Offsetof.
#define FRAME_FN 0
#define FRAME_GPR 8
#define FRAME_FPR 40
#define FRAME_STACK 72
#define FRAME_NSTACK 80
#define FRAME_AL 88
#define FRAME_RETGPR 96
#define FRAME_RETFPR 112
#define FRAME_FLAGS 128
#define FRAME_ERRNO 136
#define FRAME_SIZE 144

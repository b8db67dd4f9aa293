/* bcryptprimitives.dll for wine only: Go >= 1.22 calls ProcessPrng at
 * start-up, which wine 8.0 does not provide. This shim implements it with
 * RtlGenRandom (advapi32's SystemFunction036). Windows itself has the real
 * DLL; nothing here is used on Windows. */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

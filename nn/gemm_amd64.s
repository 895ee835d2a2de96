//go:build amd64 && !purego

#include "textflag.h"

// func hasAVX2FMA() bool
TEXT ·hasAVX2FMA(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	// FMA (bit 12), OSXSAVE (bit 27) and AVX (bit 28) of ECX.
	MOVL CX, R8
	ANDL $0x18001000, R8
	CMPL R8, $0x18001000
	JNE  no
	// The OS saves the XMM and YMM registers (XCR0 bits 1 and 2).
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	// AVX2: leaf 7, EBX bit 5.
	MOVL $7, AX
	XORL CX, CX
	CPUID
	BTL  $5, BX
	JCC  no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET

// func kernel8x8AVX2(c *float32, ldc int, pa, pb *float32, kc int)
//
// C[0:8][0:8] += Σp pa[p*8+r] * pb[p*8+q], C rows ldc floats apart.
// Y0..Y7 accumulate the eight rows of the tile.
TEXT ·kernel8x8AVX2(SB), NOSPLIT, $0-40
	MOVQ c+0(FP), DI
	MOVQ ldc+8(FP), SI
	MOVQ pa+16(FP), AX
	MOVQ pb+24(FP), BX
	MOVQ kc+32(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

loop:
	VMOVUPS      (BX), Y8
	VBROADCASTSS (AX), Y9
	VFMADD231PS  Y8, Y9, Y0
	VBROADCASTSS 4(AX), Y10
	VFMADD231PS  Y8, Y10, Y1
	VBROADCASTSS 8(AX), Y11
	VFMADD231PS  Y8, Y11, Y2
	VBROADCASTSS 12(AX), Y12
	VFMADD231PS  Y8, Y12, Y3
	VBROADCASTSS 16(AX), Y9
	VFMADD231PS  Y8, Y9, Y4
	VBROADCASTSS 20(AX), Y10
	VFMADD231PS  Y8, Y10, Y5
	VBROADCASTSS 24(AX), Y11
	VFMADD231PS  Y8, Y11, Y6
	VBROADCASTSS 28(AX), Y12
	VFMADD231PS  Y8, Y12, Y7
	ADDQ         $32, AX
	ADDQ         $32, BX
	DECQ         CX
	JNZ          loop

	SHLQ    $2, SI
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y4, Y4
	VMOVUPS Y4, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y5, Y5
	VMOVUPS Y5, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y6, Y6
	VMOVUPS Y6, (DI)
	ADDQ    SI, DI
	VADDPS  (DI), Y7, Y7
	VMOVUPS Y7, (DI)
	VZEROUPPER
	RET

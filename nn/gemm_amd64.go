//go:build amd64 && !purego

package nn

// On amd64 processors with AVX2 and FMA, gemm uses an 8x8 micro-kernel in
// assembly (gemm_amd64.s): eight 8-wide accumulators, one fused multiply-add
// per row and packed step, about ten times the portable kernel natively. The
// browser build and the purego tag use the portable kernel; both are tested
// against the same reference.

func hasAVX2FMA() bool

//go:noescape
func kernel8x8AVX2(c *float32, ldc int, pa, pb *float32, kc int)

func init() {
	if hasAVX2FMA() {
		kernel = microKernel{mr: 8, nr: 8, run: kernel8x8}
	}
}

// kernel8x8 checks the slice bounds once, then hands the pointers to the
// assembly kernel.
func kernel8x8(c []float32, ldc int, pa, pb []float32, kc int) {
	if kc == 0 {
		return
	}
	_ = c[7*ldc+7]
	_ = pa[8*kc-1]
	_ = pb[8*kc-1]
	kernel8x8AVX2(&c[0], ldc, &pa[0], &pb[0], kc)
}

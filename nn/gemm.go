package nn

// Matrix products for convolution and dense layers.
//
// Every product here is C (m×n, row-major, leading dimension ldc) = A·B, or
// C += A·B when acc is set, where A (m×k) and B (k×n) are given as strided
// views: element (i,p) of A is a[i*ars+p*acs] and element (p,j) of B is
// b[p*brs+j*bcs]. Transposes are just swapped strides, so one routine serves
// A·B, Aᵀ·B and A·Bᵀ.
//
// The fast path packs blocks of A into column-panels of 4 rows and blocks of B
// into row-panels of 4 columns, so the 4x4 micro-kernel reads both operands
// contiguously; k is blocked so the packed panels stay in cache.

const (
	gemmMR = 4   // rows of C per micro-tile
	gemmNR = 4   // columns of C per micro-tile
	gemmKC = 256 // depth of one packed block
)

// gemmScratch holds packing buffers so steady-state products allocate nothing.
type gemmScratch struct {
	pa, pb []float32
}

func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// gemm computes C = A·B (or C += A·B when acc is true).
func (s *gemmScratch) gemm(m, n, k int, a []float32, ars, acs int, b []float32, brs, bcs int, c []float32, ldc int, acc bool) {
	if m == 0 || n == 0 {
		return
	}
	if !acc {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	mp := (m + gemmMR - 1) / gemmMR
	np := (n + gemmNR - 1) / gemmNR
	for p0 := 0; p0 < k; p0 += gemmKC {
		kc := min(gemmKC, k-p0)
		s.pa = grow(s.pa, mp*gemmMR*kc)
		s.pb = grow(s.pb, np*gemmNR*kc)
		packA(s.pa, m, kc, a[p0*acs:], ars, acs)
		packB(s.pb, n, kc, b[p0*brs:], brs, bcs)
		for jp := 0; jp < np; jp++ {
			pb := s.pb[jp*gemmNR*kc : (jp+1)*gemmNR*kc]
			j := jp * gemmNR
			for ip := 0; ip < mp; ip++ {
				pa := s.pa[ip*gemmMR*kc : (ip+1)*gemmMR*kc]
				i := ip * gemmMR
				if i+gemmMR <= m && j+gemmNR <= n {
					kernel4x4(c[i*ldc+j:], ldc, pa, pb, kc)
				} else {
					var t [gemmMR * gemmNR]float32
					kernel4x4(t[:], gemmNR, pa, pb, kc)
					for r := 0; r < gemmMR && i+r < m; r++ {
						for q := 0; q < gemmNR && j+q < n; q++ {
							c[(i+r)*ldc+j+q] += t[r*gemmNR+q]
						}
					}
				}
			}
		}
	}
}

// packA copies an m×kc block of A into panels of 4 rows: panel i holds, for
// each p, the 4 values A(4i..4i+3, p). Rows past m are zero.
func packA(dst []float32, m, kc int, a []float32, ars, acs int) {
	for i0 := 0; i0 < m; i0 += gemmMR {
		d := dst[i0*kc : (i0+gemmMR)*kc]
		if i0+gemmMR <= m {
			r0, r1, r2, r3 := i0*ars, (i0+1)*ars, (i0+2)*ars, (i0+3)*ars
			for p := 0; p < kc; p++ {
				o := p * acs
				q := d[p*4 : p*4+4 : p*4+4]
				q[0], q[1], q[2], q[3] = a[r0+o], a[r1+o], a[r2+o], a[r3+o]
			}
			continue
		}
		clear(d)
		for r := 0; i0+r < m; r++ {
			for p := 0; p < kc; p++ {
				d[p*4+r] = a[(i0+r)*ars+p*acs]
			}
		}
	}
}

// packB copies a kc×n block of B into panels of 4 columns: panel j holds, for
// each p, the 4 values B(p, 4j..4j+3). Columns past n are zero.
func packB(dst []float32, n, kc int, b []float32, brs, bcs int) {
	for j0 := 0; j0 < n; j0 += gemmNR {
		d := dst[j0*kc : (j0+gemmNR)*kc]
		if j0+gemmNR <= n {
			if bcs == 1 {
				for p := 0; p < kc; p++ {
					src := b[p*brs+j0 : p*brs+j0+4 : p*brs+j0+4]
					q := d[p*4 : p*4+4 : p*4+4]
					q[0], q[1], q[2], q[3] = src[0], src[1], src[2], src[3]
				}
				continue
			}
			c0, c1, c2, c3 := j0*bcs, (j0+1)*bcs, (j0+2)*bcs, (j0+3)*bcs
			for p := 0; p < kc; p++ {
				o := p * brs
				q := d[p*4 : p*4+4 : p*4+4]
				q[0], q[1], q[2], q[3] = b[o+c0], b[o+c1], b[o+c2], b[o+c3]
			}
			continue
		}
		clear(d)
		for q := 0; j0+q < n; q++ {
			for p := 0; p < kc; p++ {
				d[p*4+q] = b[p*brs+(j0+q)*bcs]
			}
		}
	}
}

// kernel4x4 adds the product of a packed 4×kc panel of A and a packed kc×4
// panel of B to the 4×4 tile of C at c (leading dimension ldc).
func kernel4x4(c []float32, ldc int, pa, pb []float32, kc int) {
	pa = pa[:kc*4]
	pb = pb[:kc*4]
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	for p := 0; p+4 <= len(pa); p += 4 {
		a := pa[p : p+4 : p+4]
		b := pb[p : p+4 : p+4]
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	r := c[: 3*ldc+4 : 3*ldc+4]
	r[0] += c00
	r[1] += c01
	r[2] += c02
	r[3] += c03
	r = r[ldc:]
	r[0] += c10
	r[1] += c11
	r[2] += c12
	r[3] += c13
	r = r[ldc:]
	r[0] += c20
	r[1] += c21
	r[2] += c22
	r[3] += c23
	r = r[ldc:]
	r[0] += c30
	r[1] += c31
	r[2] += c32
	r[3] += c33
}

// gemmRef is the plain triple loop gemm is tested against.
func gemmRef(m, n, k int, a []float32, ars, acs int, b []float32, brs, bcs int, c []float32, ldc int, acc bool) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += a[i*ars+p*acs] * b[p*brs+j*bcs]
			}
			if acc {
				c[i*ldc+j] += s
			} else {
				c[i*ldc+j] = s
			}
		}
	}
}

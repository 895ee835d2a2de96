package nn

// Matrix products for convolution and dense layers.
//
// Every product here is C (m×n, row-major, leading dimension ldc) = A·B, or
// C += A·B when acc is set, where A (m×k) and B (k×n) are given as strided
// views: element (i,p) of A is a[i*ars+p*acs] and element (p,j) of B is
// b[p*brs+j*bcs]. Transposes are just swapped strides, so one routine serves
// A·B, Aᵀ·B and A·Bᵀ.
//
// The fast path packs blocks of A into panels of mr rows and blocks of B into
// panels of nr columns, so the mr×nr micro-kernel reads both operands
// contiguously; k is blocked so the packed panels stay in cache.

// gemmKC is the depth of one packed block: panels of A and B this deep stay
// in cache while the micro-kernel sweeps them.
const gemmKC = 256

// microKernel adds the product of a packed mr×kc panel of A and a packed
// kc×nr panel of B to the mr×nr tile of C at c (leading dimension ldc).
//
// A kernel may instead set block, which adds the product of a whole packed
// block (A as m×kc in panels of mr rows, B as kc×n in panels of nr columns)
// to the m×n matrix C in one call, tiles that overhang m or n included, or
// with acc false overwrites C with it; gemm then calls it once per block,
// the first with its own acc, and does not clear C itself (see gemm_js.go). It may also set pack, which
// then replaces packA and packB: pack(dst, rows, kc, w, src, rs, ps) packs
// rows (at stride rs, steps at stride ps) into panels of w, as
// packA(dst, rows, kc, w, src, rs, ps) does.
type microKernel struct {
	mr, nr int
	run    func(c []float32, ldc int, pa, pb []float32, kc int)
	block  func(c []float32, ldc, m, n int, pa, pb []float32, kc int, acc bool)
	pack   func(dst []float32, rows, kc, w int, src []float32, rs, ps int)
	// rows, if set, computes the whole product without packing when A has
	// fewer than mr rows and A's steps and B's columns are contiguous
	// (acs = bcs = 1), summing over the same gemmKC-deep blocks so the
	// result is the same bit for bit. With sparse it skips A's zeros and
	// never reads their rows of B: the same bits where B is finite.
	rows func(m, n, k int, a []float32, ars int, b []float32, brs int, c []float32, ldc int, acc, sparse bool)
	// fused is set for a kernel whose results may differ from the others'
	// in the last bits: it rounds each multiply-add once (gemm_js.go).
	fused bool
}

// kernel is the micro-kernel gemm uses: the portable 4x4 one, or a SIMD one
// chosen at start where the processor has it (see gemm_amd64.go).
var kernel = portableKernel

// portableKernel is the pure-Go micro-kernel, the fallback everywhere.
var portableKernel = microKernel{mr: 4, nr: 4, run: kernel4x4}

// gemmScratch holds packing buffers so steady-state products allocate nothing.
type gemmScratch struct {
	pa, pb []float32
	tile   []float32 // an mr×nr tile for the edges of C
}

func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// gemm computes C = A·B (or C += A·B when acc is true).
func (s *gemmScratch) gemm(m, n, k int, a []float32, ars, acs int, b []float32, brs, bcs int, c []float32, ldc int, acc bool) {
	s.product(m, n, k, a, ars, acs, b, brs, bcs, nil, c, ldc, acc)
}

// gemmPacked is gemm with B already packed (see packedB), bit for bit: it
// skips packing B, the same every time for a layer's weights.
func (s *gemmScratch) gemmPacked(m int, a []float32, ars, acs int, pb *packedB, c []float32, ldc int, acc bool) {
	if !pb.fits() {
		panic("nn: gemmPacked: B was packed for another kernel")
	}
	s.product(m, pb.n, pb.k, a, ars, acs, nil, 0, 0, pb, c, ldc, acc)
}

// product is gemm with B given either as a strided matrix b or, when pre
// is not nil, packed.
func (s *gemmScratch) product(m, n, k int, a []float32, ars, acs int, b []float32, brs, bcs int, pre *packedB, c []float32, ldc int, acc bool) {
	if m == 0 || n == 0 {
		return
	}
	kernel := kernel // one kernel for the whole product
	if kernel.rows != nil && pre == nil && m < kernel.mr && acs == 1 && bcs == 1 && k > 0 {
		kernel.rows(m, n, k, a, ars, b, brs, c, ldc, acc, false)
		return
	}
	if !acc && (kernel.block == nil || k == 0) {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	mr, nr := kernel.mr, kernel.nr
	mp := (m + mr - 1) / mr
	np := (n + nr - 1) / nr
	s.tile = grow(s.tile, mr*nr)
	for p0 := 0; p0 < k; p0 += gemmKC {
		kc := min(gemmKC, k-p0)
		s.pa = grow(s.pa, mp*mr*kc)
		var pbk []float32 // the packed block of B
		if pre != nil {
			pbk = pre.data[np*nr*p0 : np*nr*(p0+kc)]
		} else {
			s.pb = grow(s.pb, np*nr*kc)
			pbk = s.pb
			packBWith(kernel, pbk, n, kc, b[p0*brs:], brs, bcs)
		}
		if kernel.pack != nil {
			kernel.pack(s.pa, m, kc, mr, a[p0*acs:], ars, acs)
		} else {
			packA(s.pa, m, kc, mr, a[p0*acs:], ars, acs)
		}
		if kernel.block != nil {
			kernel.block(c, ldc, m, n, s.pa, pbk, kc, acc || p0 > 0)
			continue
		}
		for jp := 0; jp < np; jp++ {
			pb := pbk[jp*nr*kc : (jp+1)*nr*kc]
			j := jp * nr
			for ip := 0; ip < mp; ip++ {
				pa := s.pa[ip*mr*kc : (ip+1)*mr*kc]
				i := ip * mr
				if i+mr <= m && j+nr <= n {
					kernel.run(c[i*ldc+j:], ldc, pa, pb, kc)
					continue
				}
				t := s.tile
				clear(t)
				kernel.run(t, nr, pa, pb, kc)
				for r := 0; r < mr && i+r < m; r++ {
					for q := 0; q < nr && j+q < n; q++ {
						c[(i+r)*ldc+j+q] += t[r*nr+q]
					}
				}
			}
		}
	}
}

// packBWith packs a kc×n block of B into dst as kernel k's products read
// it: panels of k.nr columns.
func packBWith(k microKernel, dst []float32, n, kc int, b []float32, brs, bcs int) {
	if k.pack != nil {
		k.pack(dst, n, kc, k.nr, b, bcs, brs)
	} else {
		packB(dst, n, kc, k.nr, b, brs, bcs)
	}
}

// packedB is a k×n matrix B packed once as gemm packs it, gemmKC-deep
// block after block, for products that use the same B many times: a
// layer's weights between two changes (see Param). Packing a matrix is one
// pass over it, as long as reading it for a product of one row: for one
// image through a dense layer, it was half the time.
type packedB struct {
	k, n int
	nr   int // the panel width of the kernel it was packed for
	data []float32
}

// pack packs b (k×n; element (p, j) is b[p*brs+j*bcs]) for the kernel in
// use.
func (pb *packedB) pack(k, n int, b []float32, brs, bcs int) {
	kern := kernel
	nr := kern.nr
	np := (n + nr - 1) / nr
	pb.k, pb.n, pb.nr = k, n, nr
	pb.data = grow(pb.data, np*nr*k)
	for p0 := 0; p0 < k; p0 += gemmKC {
		kc := min(gemmKC, k-p0)
		packBWith(kern, pb.data[np*nr*p0:np*nr*(p0+kc)], n, kc, b[p0*brs:], brs, bcs)
	}
}

// fits reports whether pb is packed for the kernel in use (gemm's kernel
// changes only when a test or SetWasmSIMD switches it; the panels' layout
// depends only on their width).
func (pb *packedB) fits() bool { return pb.data != nil && pb.nr == kernel.nr }

// weightCache holds work derived from the weights of one parameter, with
// the parameter's version it was derived at (see Param): current reports
// whether it still holds, stamp records that it was just redone.
type weightCache struct{ version uint64 }

func (c *weightCache) current(p *Param) bool { return c.version == p.version }
func (c *weightCache) stamp(p *Param)        { c.version = p.version }

// packA copies an m×kc block of A into panels of mr rows: panel i holds, for
// each p, the mr values A(mr·i+r, p). Rows past m are zero.
func packA(dst []float32, m, kc, mr int, a []float32, ars, acs int) {
	for i0 := 0; i0 < m; i0 += mr {
		d := dst[i0*kc : (i0+mr)*kc]
		rows := min(mr, m-i0)
		if rows < mr {
			clear(d)
		}
		for r := 0; r < rows; r++ {
			src := a[(i0+r)*ars:]
			for p := 0; p < kc; p++ {
				d[p*mr+r] = src[p*acs]
			}
		}
	}
}

// packB copies a kc×n block of B into panels of nr columns: panel j holds,
// for each p, the nr values B(p, nr·j+q). Columns past n are zero.
func packB(dst []float32, n, kc, nr int, b []float32, brs, bcs int) {
	for j0 := 0; j0 < n; j0 += nr {
		d := dst[j0*kc : (j0+nr)*kc]
		cols := min(nr, n-j0)
		if cols < nr {
			clear(d)
		}
		if bcs == 1 {
			for p := 0; p < kc; p++ {
				copy(d[p*nr:p*nr+cols], b[p*brs+j0:p*brs+j0+cols])
			}
			continue
		}
		for q := 0; q < cols; q++ {
			src := b[(j0+q)*bcs:]
			for p := 0; p < kc; p++ {
				d[p*nr+q] = src[p*brs]
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

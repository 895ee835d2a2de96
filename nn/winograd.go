package nn

// Winograd's minimal filtering, F(2×2, 3×3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015), for 3×3 stride-1
// convolutions, forward and backward.
//
// The output is cut into 2×2 tiles. Each tile needs the 4×4 input patch d
// under it; each 3×3 filter g becomes a 4×4 matrix U = G·g·Gᵀ and each patch
// V = Bᵀ·d·B, and the tile is Y = Aᵀ·(U ⊙ V)·A, with
//
//	Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//	G  = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]
//	Aᵀ = [1 1 1 0; 0 1 -1 -1]
//
// Summed over input channels, the 16 elementwise products become 16
// matrix products, (tiles × C)·(C × F), one per position ξ of the 4×4
// transformed tile: 16·C·F multiply-adds per tile where the direct
// convolution needs 4·9·C·F, 2.25 times fewer. The keras preset's conv2
// (26×26×32 in, 64 filters) is 21 MFLOP direct, 9.4 through Winograd; it
// is most of the time of classifying one image.
//
// The transforms only add, subtract and halve, so the result differs from
// the direct sum by float rounding only (the tests bound it). The input
// gradient of such a layer is a 3×3 stride-1 convolution as well, and takes
// the same path. The weight gradient is F(3×3, 2×2) in the same transforms
// (each 2×2 tile of the output gradient y becomes A·y·Aᵀ, and the sums of
// its products with the tiles' V become the gradient through Gᵀ·M·G).
//
// The five transforms are vecOps, each with a pure-Go loop here and a twin
// in the SIMD128 module computing the same float32 operations in the same
// order, four channels at a time.

// winogradMinC is the fewest input channels for which Forward takes the
// Winograd path: with fewer, the products are too shallow to repay the
// transforms (bench/NOTES.md).
var winogradMinC = 16

// winograd holds the buffers of Winograd products on one input geometry,
// reused across calls, so the padded input's border stays zero: a layer's
// forward pass and weight gradient share one, its input gradient has
// another, and inference's F(4×4, 3×3) a third (winograd4.go), whose
// transformed tiles have 36 values (ξ) where these have 16.
type winograd struct {
	u []float32 // transformed filters: ξ × C×F
	// the C×F matrices of u packed for the products, one per ξ, as of the
	// weights' version filt
	pu   []packedB
	filt weightCache
	v    []float32 // one example's transformed patches: ξ × tiles×C
	m    []float32 // their products: ξ × tiles×F
	x    []float32 // one example's input, zero-padded to cover every tile
	// for the input gradient: the filters turned and transposed, and a
	// zero bias
	flipped, zero []float32
	// for the weight gradient: one example's transformed output gradients
	// (16 × tiles×F) and the sums of products (16 × C×F)
	d, dw []float32
}

// winograd reports whether Forward takes the Winograd path: where the
// implementation in use has it (vecOps.winograd), for 3×3 windows, stride
// 1, channels and filters in fours (the SIMD twins work on four at a time),
// and enough channels.
func (l *Conv2D) winograd() bool {
	return winogradFits(l.k, l.stride, l.in.C, l.out.C)
}

// winogradBack reports whether Backward computes the input gradient through
// Winograd: it is a 3×3 stride-1 convolution too, of the output gradient
// (F channels) with the filters turned half a turn and transposed (C
// filters).
func (l *Conv2D) winogradBack() bool {
	return winogradFits(l.k, l.stride, l.out.C, l.in.C)
}

func winogradFits(k, stride, c, f int) bool {
	return vec.winograd && k == 3 && stride == 1 && c%4 == 0 && f%4 == 0 && c >= winogradMinC
}

// forwardWinograd is Forward through F(2×2, 3×3).
func (l *Conv2D) forwardWinograd(out, in []float32, n int) {
	wg := &l.wino
	if !wg.current(l.w) {
		wg.setFilters(l.w, l.w.W, l.in.C, l.out.C)
	}
	wg.conv(&l.mm, out, in, l.b.W, n, l.geom, l.out.C)
}

// current reports whether wg's transformed filters are those of p's
// weights as they are, packed for the kernel in use.
func (wg *winograd) current(p *Param) bool {
	return wg.filt.current(p) && len(wg.pu) > 0 && wg.pu[0].fits()
}

// setFilters transforms the filters w (3×3×c×f, HWIO), derived from p's
// weights, and packs them for the products: once per version of the
// weights, not once per pass.
func (wg *winograd) setFilters(p *Param, w []float32, c, f int) {
	wg.u = grow(wg.u, 16*c*f)
	vec.winogradWeights(wg.u, w, c, f)
	wg.pack(p, 16, c, f)
}

// pack packs u's xis matrices of c×f for the products, as of p's version.
func (wg *winograd) pack(p *Param, xis, c, f int) {
	if len(wg.pu) != xis {
		wg.pu = make([]packedB, xis)
	}
	for xi := range wg.pu {
		wg.pu[xi].pack(c, f, wg.u[xi*c*f:], f, 1)
	}
	wg.filt.stamp(p)
}

// backwardWinograd sets din to the input gradient of dout through
// F(2×2, 3×3): the input position (y, x) gets dout at (y+pad-ky, x+pad-kx)
// times tap (ky, kx), so din is dout, padded by 2-pad, convolved with the
// filters w'[2-ky][2-kx][co][ci] = w[ky][kx][ci][co], without bias.
func (l *Conv2D) backwardWinograd(din, dout []float32, n int) {
	c, f := l.in.C, l.out.C
	wb := &l.winoBack
	if !wb.current(l.w) {
		wb.flipped = grow(wb.flipped, 9*c*f)
		for t := 0; t < 9; t++ {
			src, dst := l.w.W[t*c*f:(t+1)*c*f], wb.flipped[(8-t)*c*f:(9-t)*c*f]
			for ci := 0; ci < c; ci++ {
				for co, v := range src[ci*f : (ci+1)*f] {
					dst[co*c+ci] = v
				}
			}
		}
		wb.setFilters(l.w, wb.flipped, f, c)
	}
	if len(wb.zero) != c {
		wb.zero = make([]float32, c)
	}
	g := convGeom{h: l.out.H, w: l.out.W, c: f, k: 3, stride: 1, pad: 2 - l.pad, oh: l.in.H, ow: l.in.W}
	wb.conv(&l.mm, din, dout, wb.zero, n, g, c)
}

// weightGradWinograd adds the weight gradient of dout to the layer's
// through F(2×2, 3×3): per example, the forward pass's input transform and
// A·y·Aᵀ of each 2×2 tile y of dout, their products summed over tiles into
// 16 c×f matrices (transposed products, accumulating over examples), then
// Gᵀ·M·G of each.
func (l *Conv2D) weightGradWinograd(dout, in []float32, n int) {
	g, wg := &l.geom, &l.wino
	c, f := g.c, l.out.C
	th, tw := (g.oh+1)/2, (g.ow+1)/2
	tiles := th * tw
	wg.v = grow(wg.v, 16*tiles*c)
	wg.d = grow(wg.d, 16*tiles*f)
	wg.dw = grow(wg.dw, 16*c*f)
	size, osize := g.h*g.w*c, g.oh*g.ow*f
	for e := 0; e < n; e++ {
		x, wp := wg.input(in[e*size:(e+1)*size], *g, th, tw)
		vec.winogradInput(wg.v, x, th, tw, wp, c)
		vec.winogradDout(wg.d, dout[e*osize:(e+1)*osize], th, tw, g.oh, g.ow, f)
		for xi := 0; xi < 16; xi++ {
			l.mm.gemm(c, f, tiles, wg.v[xi*tiles*c:], 1, c, wg.d[xi*tiles*f:], f, 1, wg.dw[xi*c*f:], f, e > 0)
		}
	}
	vec.winogradWeightGrad(l.w.G, wg.dw, c, f)
}

// input returns one example's input x as the tiles read it, and its width
// (see paddedInput).
func (wg *winograd) input(x []float32, g convGeom, th, tw int) ([]float32, int) {
	return paddedInput(&wg.x, x, g, 2*th+2, 2*tw+2)
}

// paddedInput returns one example's input x as hp×wp pixels, padded by
// g.pad above and to the left and by zeros to hp and wp, and wp: x itself
// where it is that already, else x copied into *buf, whose border stays
// zero.
func paddedInput(buf *[]float32, x []float32, g convGeom, hp, wp int) ([]float32, int) {
	if g.pad == 0 && g.h == hp && g.w == wp {
		return x, wp
	}
	if len(*buf) != hp*wp*g.c {
		*buf = make([]float32, hp*wp*g.c)
	}
	row := g.w * g.c
	for y := 0; y < g.h; y++ {
		copy((*buf)[((y+g.pad)*wp+g.pad)*g.c:][:row], x[y*row:(y+1)*row])
	}
	return *buf, wp
}

// conv sets out (n examples of g.oh×g.ow×f) to the 3×3 stride-1
// convolution of in (n examples of g.h×g.w×g.c, padded by g.pad) with the
// filters setFilters transformed, plus bias, one example at a time.
func (wg *winograd) conv(mm *gemmScratch, out, in, bias []float32, n int, g convGeom, f int) {
	c := g.c
	// the tiles read a (2·th+2)×(2·tw+2) input: the padded input, and one
	// more zero row or column where the output's side is odd
	th, tw := (g.oh+1)/2, (g.ow+1)/2
	tiles := th * tw
	wg.v = grow(wg.v, 16*tiles*c)
	wg.m = grow(wg.m, 16*tiles*f)
	size, osize := g.h*g.w*c, g.oh*g.ow*f
	for e := 0; e < n; e++ {
		x, wp := wg.input(in[e*size:(e+1)*size], g, th, tw)
		vec.winogradInput(wg.v, x, th, tw, wp, c)
		for xi := 0; xi < 16; xi++ {
			mm.gemmPacked(tiles, wg.v[xi*tiles*c:], c, 1, &wg.pu[xi], wg.m[xi*tiles*f:], f, false)
		}
		vec.winogradOutput(out[e*osize:(e+1)*osize], wg.m, bias, th, tw, g.oh, g.ow, f)
	}
}

// winogradWeights sets u (16 matrices of c×f) to G·g·Gᵀ for each of the
// c·f filters g in w (3×3×c×f, HWIO): u[ξ][ci][co] for ξ = 4·row + column.
func winogradWeights(u, w []float32, c, f int) {
	cf := c * f
	u, w = u[:16*cf], w[:9*cf]
	for i := 0; i < cf; i++ {
		// G·g: 4 rows of 3
		var t [12]float32
		for kx := 0; kx < 3; kx++ {
			g0, g1, g2 := w[kx*cf+i], w[(3+kx)*cf+i], w[(6+kx)*cf+i]
			s := g0 + g2
			t[kx], t[3+kx], t[6+kx], t[9+kx] = g0, (s+g1)*0.5, (s-g1)*0.5, g2
		}
		// (G·g)·Gᵀ
		for r := 0; r < 4; r++ {
			g0, g1, g2 := t[3*r], t[3*r+1], t[3*r+2]
			s := g0 + g2
			u[(4*r)*cf+i] = g0
			u[(4*r+1)*cf+i] = (s + g1) * 0.5
			u[(4*r+2)*cf+i] = (s - g1) * 0.5
			u[(4*r+3)*cf+i] = g2
		}
	}
}

// winogradInput sets v (16 matrices of tiles×c, tiles = th·tw) to Bᵀ·d·B
// for each channel of each tile's 4×4 patch d of x, an HWC input wx pixels
// wide whose tile (ty, tx) starts at row 2·ty, column 2·tx.
func winogradInput(v, x []float32, th, tw, wx, c int) {
	stride := th * tw * c // between the 16 matrices
	v = v[:16*stride]
	x = x[:((2*th+1)*wx+2*tw+2)*c]
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			base := (2*ty*wx + 2*tx) * c
			o := (ty*tw + tx) * c
			for ch := 0; ch < c; ch++ {
				// Bᵀ·d, column by column
				var r [16]float32
				for j := 0; j < 4; j++ {
					p := base + j*c + ch
					d0, d1, d2, d3 := x[p], x[p+wx*c], x[p+2*wx*c], x[p+3*wx*c]
					r[j], r[4+j], r[8+j], r[12+j] = d0-d2, d1+d2, d2-d1, d1-d3
				}
				// (Bᵀ·d)·B, row by row
				for i := 0; i < 4; i++ {
					r0, r1, r2, r3 := r[4*i], r[4*i+1], r[4*i+2], r[4*i+3]
					q := 4*i*stride + o + ch
					v[q] = r0 - r2
					v[q+stride] = r1 + r2
					v[q+2*stride] = r2 - r1
					v[q+3*stride] = r1 - r3
				}
			}
		}
	}
}

// winogradOutput sets out (oh×ow×f, HWC) to Aᵀ·M·A plus the bias for each
// filter of each tile, M's 16 values coming from m (16 matrices of
// tiles×f); the parts of edge tiles past oh or ow are dropped.
func winogradOutput(out, m, bias []float32, th, tw, oh, ow, f int) {
	stride := th * tw * f
	m, out, bias = m[:16*stride], out[:oh*ow*f], bias[:f]
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			o := (ty*tw + tx) * f
			for co := 0; co < f; co++ {
				// Aᵀ·M, column by column
				var a [8]float32
				for j := 0; j < 4; j++ {
					q := j*stride + o + co
					m0, m1, m2, m3 := m[q], m[q+4*stride], m[q+8*stride], m[q+12*stride]
					a[j], a[4+j] = m0+m1+m2, m1-m2-m3
				}
				// (Aᵀ·M)·A, row by row, plus the bias
				b := bias[co]
				for r := 0; r < 2 && 2*ty+r < oh; r++ {
					a0, a1, a2, a3 := a[4*r], a[4*r+1], a[4*r+2], a[4*r+3]
					p := ((2*ty+r)*ow + 2*tx) * f
					out[p+co] = a0 + a1 + a2 + b
					if 2*tx+1 < ow {
						out[p+f+co] = a1 - a2 - a3 + b
					}
				}
			}
		}
	}
}

// winogradDout sets d (16 matrices of tiles×f, tiles = th·tw) to A·y·Aᵀ
// for each filter of each tile's 2×2 output gradient y, from dout
// (oh×ow×f, HWC), zero past oh or ow; A = (Aᵀ)ᵀ is 4×2.
func winogradDout(d, dout []float32, th, tw, oh, ow, f int) {
	stride := th * tw * f
	d, dout = d[:16*stride], dout[:oh*ow*f]
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			o := (ty*tw + tx) * f
			for co := 0; co < f; co++ {
				// A·y, column by column
				var r [8]float32 // 4 rows of 2
				for j := 0; j < 2; j++ {
					var y0, y1 float32
					if x := 2*tx + j; x < ow {
						y0 = dout[((2*ty)*ow+x)*f+co]
						if 2*ty+1 < oh {
							y1 = dout[((2*ty+1)*ow+x)*f+co]
						}
					}
					r[j], r[2+j], r[4+j], r[6+j] = y0, y0+y1, y0-y1, -y1
				}
				// (A·y)·Aᵀ, row by row
				for i := 0; i < 4; i++ {
					a, b := r[2*i], r[2*i+1]
					q := 4*i*stride + o + co
					d[q] = a
					d[q+stride] = a + b
					d[q+2*stride] = a - b
					d[q+3*stride] = -b
				}
			}
		}
	}
}

// winogradWeightGrad adds Gᵀ·M·G to dw (3×3×c×f, HWIO) for each of the c·f
// (input channel, filter) pairs, M's 16 values coming from m (16 matrices
// of c×f): the weight gradient of F(2×2, 3×3), whose M sums the products
// of the transformed inputs and output gradients over tiles and examples.
func winogradWeightGrad(dw, m []float32, c, f int) {
	cf := c * f
	dw, m = dw[:9*cf], m[:16*cf]
	for i := 0; i < cf; i++ {
		// Gᵀ·M, column by column
		var q [12]float32 // 3 rows of 4
		for j := 0; j < 4; j++ {
			m0, m1, m2, m3 := m[j*cf+i], m[(4+j)*cf+i], m[(8+j)*cf+i], m[(12+j)*cf+i]
			h := (m1 + m2) * 0.5
			q[j], q[4+j], q[8+j] = m0+h, (m1-m2)*0.5, h+m3
		}
		// (Gᵀ·M)·G, row by row
		for r := 0; r < 3; r++ {
			m0, m1, m2, m3 := q[4*r], q[4*r+1], q[4*r+2], q[4*r+3]
			h := (m1 + m2) * 0.5
			dw[3*r*cf+i] += m0 + h
			dw[(3*r+1)*cf+i] += (m1 - m2) * 0.5
			dw[(3*r+2)*cf+i] += h + m3
		}
	}
}

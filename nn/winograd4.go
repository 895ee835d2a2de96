package nn

// Winograd's F(4×4, 3×3) for inference (Lavin and Gray, 2015, as
// winograd.go's F(2×2, 3×3)).
//
// The output is cut into 4×4 tiles, each computed from the 6×6 input patch
// d under it as Y = Aᵀ·(U ⊙ V)·A with U = G·g·Gᵀ and V = Bᵀ·d·B:
//
//	Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0;
//	      0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//	G  = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1]
//	Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
//
// Summed over input channels, the 36 elementwise products become 36
// matrix products, (tiles × C)·(C × F): 36·C·F multiply-adds per 16
// outputs where F(2×2, 3×3) needs 64·C·F and the direct convolution 144·C·F.
// For the keras preset's conv2 (26×26×32 in, 64 filters) the products are
// 2.7 M multiply-adds, against 4.7 M, and they are most of one image's
// time.
//
// Its transforms scale by up to 8 and by sixths, so its rounding errors
// are larger than F(2×2, 3×3)'s (the tests bound them against the direct
// sum, in float64). Inference takes it; training keeps F(2×2, 3×3), whose
// weight gradient shares its forward pass's transforms.
//
// The input and output transforms are vecOps with a pure-Go loop here and
// a twin in the SIMD128 module computing the same float32 operations in
// the same order, four channels at a time; the filters' transform runs once
// per weight version, in Go, in float64.

// winograd4 reports whether inference takes F(4×4, 3×3): where the
// layer takes Winograd's path and the implementation in use has this one's
// transforms.
func (l *Conv2D) winograd4() bool {
	return l.winograd() && vec.winograd4Input != nil
}

// forwardWinograd4 is Forward through F(4×4, 3×3).
func (l *Conv2D) forwardWinograd4(out, in []float32, n int) {
	wg := &l.wino4
	g := l.geom
	c, f := g.c, l.out.C
	if !wg.current(l.w) {
		wg.u = grow(wg.u, 36*c*f)
		winograd4Weights(wg.u, l.w.W, c, f)
		wg.pack(l.w, 36, c, f)
	}
	th, tw := (g.oh+3)/4, (g.ow+3)/4
	tiles := th * tw
	wg.v = grow(wg.v, 36*tiles*c)
	wg.m = grow(wg.m, 36*tiles*f)
	size, osize := g.h*g.w*c, g.oh*g.ow*f
	for e := 0; e < n; e++ {
		x, wp := paddedInput(&wg.x, in[e*size:(e+1)*size], g, 4*th+2, 4*tw+2)
		vec.winograd4Input(wg.v, x, th, tw, wp, c)
		for xi := 0; xi < 36; xi++ {
			l.mm.gemmPacked(tiles, wg.v[xi*tiles*c:], c, 1, &wg.pu[xi], wg.m[xi*tiles*f:], f, false)
		}
		vec.winograd4Output(out[e*osize:(e+1)*osize], wg.m, l.b.W, th, tw, g.oh, g.ow, f)
	}
}

// winograd4Weights sets u (36 matrices of c×f) to G·g·Gᵀ for each of the
// c·f filters g in w (3×3×c×f, HWIO): u[ξ][ci][co] for ξ = 6·row + column.
// It computes in float64 and rounds once, at the end.
func winograd4Weights(u, w []float32, c, f int) {
	cf := c * f
	u, w = u[:36*cf], w[:9*cf]
	for i := 0; i < cf; i++ {
		// G·g, column by column: 6 rows of 3
		var t [18]float64
		for kx := 0; kx < 3; kx++ {
			t[kx], t[3+kx], t[6+kx], t[9+kx], t[12+kx], t[15+kx] = g6(
				float64(w[kx*cf+i]), float64(w[(3+kx)*cf+i]), float64(w[(6+kx)*cf+i]))
		}
		// (G·g)·Gᵀ, row by row
		for r := 0; r < 6; r++ {
			y0, y1, y2, y3, y4, y5 := g6(t[3*r], t[3*r+1], t[3*r+2])
			q := 6 * r * cf
			u[q+i], u[q+cf+i], u[q+2*cf+i] = float32(y0), float32(y1), float32(y2)
			u[q+3*cf+i], u[q+4*cf+i], u[q+5*cf+i] = float32(y3), float32(y4), float32(y5)
		}
	}
}

// g6 is G applied to one column (or row) g0, g1, g2.
func g6(g0, g1, g2 float64) (y0, y1, y2, y3, y4, y5 float64) {
	s := g0 + g2
	e := g0/4 + g2
	return g0 / 4, -(s + g1) / 6, -(s - g1) / 6, (e + g1/2) / 6, (e - g1/2) / 6, g2
}

// bt6 is Bᵀ applied to one column (or row) d0…d5. The products by 5 are
// converted to float32 on their own, so that no compiler fuses them into
// an addition: the SIMD twin rounds each one.
func bt6(d0, d1, d2, d3, d4, d5 float32) (r0, r1, r2, r3, r4, r5 float32) {
	a, b := d4-4*d2, d3-4*d1
	c, e := d4-d2, 2*(d3-d1)
	return 4*d0 - float32(5*d2) + d4, a + b, a - b, c + e, c - e, 4*d1 - float32(5*d3) + d5
}

// at6 is Aᵀ applied to one column (or row) m0…m5.
func at6(m0, m1, m2, m3, m4, m5 float32) (y0, y1, y2, y3 float32) {
	s, d := m1+m2, m1-m2
	s2, d2 := m3+m4, m3-m4
	return m0 + s + s2, d + 2*d2, s + 4*s2, d + 8*d2 + m5
}

// winograd4Input sets v (36 matrices of tiles×c, tiles = th·tw) to Bᵀ·d·B
// for each channel of each tile's 6×6 patch d of x, an HWC input wx pixels
// wide whose tile (ty, tx) starts at row 4·ty, column 4·tx.
func winograd4Input(v, x []float32, th, tw, wx, c int) {
	stride := th * tw * c // between the 36 matrices
	v = v[:36*stride]
	x = x[:((4*th+1)*wx+4*tw+2)*c]
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			base := (4*ty*wx + 4*tx) * c
			o := (ty*tw + tx) * c
			for ch := 0; ch < c; ch++ {
				// Bᵀ·d, column by column
				var r [6][6]float32
				for j := 0; j < 6; j++ {
					p := base + j*c + ch
					r[0][j], r[1][j], r[2][j], r[3][j], r[4][j], r[5][j] = bt6(
						x[p], x[p+wx*c], x[p+2*wx*c], x[p+3*wx*c], x[p+4*wx*c], x[p+5*wx*c])
				}
				// (Bᵀ·d)·B, row by row
				for i := 0; i < 6; i++ {
					q := 6*i*stride + o + ch
					v[q], v[q+stride], v[q+2*stride], v[q+3*stride], v[q+4*stride], v[q+5*stride] = bt6(
						r[i][0], r[i][1], r[i][2], r[i][3], r[i][4], r[i][5])
				}
			}
		}
	}
}

// winograd4Output sets out (oh×ow×f, HWC) to Aᵀ·M·A plus the bias for each
// filter of each tile, M's 36 values coming from m (36 matrices of
// tiles×f); the parts of edge tiles past oh or ow are dropped.
func winograd4Output(out, m, bias []float32, th, tw, oh, ow, f int) {
	stride := th * tw * f
	m, out, bias = m[:36*stride], out[:oh*ow*f], bias[:f]
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			o := (ty*tw + tx) * f
			for co := 0; co < f; co++ {
				// Aᵀ·M, column by column
				var a [4][6]float32
				for j := 0; j < 6; j++ {
					q := j*stride + o + co
					a[0][j], a[1][j], a[2][j], a[3][j] = at6(
						m[q], m[q+6*stride], m[q+12*stride], m[q+18*stride], m[q+24*stride], m[q+30*stride])
				}
				// (Aᵀ·M)·A, row by row, plus the bias
				b := bias[co]
				for r := 0; r < 4 && 4*ty+r < oh; r++ {
					y0, y1, y2, y3 := at6(a[r][0], a[r][1], a[r][2], a[r][3], a[r][4], a[r][5])
					p := ((4*ty+r)*ow + 4*tx) * f
					for k, y := range [4]float32{y0, y1, y2, y3} {
						if 4*tx+k < ow {
							out[p+k*f+co] = y + b
						}
					}
				}
			}
		}
	}
}

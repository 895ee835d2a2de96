package nn

// Conv2D is a 2-D convolution with zero padding and stride, HWC in and out,
// weights HWIO ([kh][kw][in][out]) and one bias per filter.
//
// The fast path lowers each example to a patch matrix (im2col: one row of
// kh*kw*in values per output position, contiguous because the input is HWC)
// and multiplies it by the weight matrix, so the work is one GEMM per example
// and per pass. Where the SIMD module runs them, 3×3 stride-1 layers with
// enough channels take Winograd's transforms instead (winograd.go; in
// inference winograd4.go's larger tiles), and small windows multiply
// straight from the input (gather). convForwardRef and convBackwardRef are
// the direct loops the tests compare against.
type Conv2D struct {
	name      string
	in, out   Shape
	k, stride int
	pad       int
	w, b      *Param
	geom      convGeom
	patches   []float32 // im2col buffer for one example: OH*OW × k*k*in.C
	dpatches  []float32
	mm        gemmScratch
	// for the gather products (see gather): one example's zero-padded
	// input, and byte offsets into it of each output position's window
	// and of each tap within a window, both padded to a multiple of 4
	padded         []float32
	posOff, tapOff []int32
	wino, winoBack winograd // Winograd buffers: forward and weight gradient; input gradient
	wino4          winograd // F(4×4, 3×3)'s, for inference
	// the weights packed for the im2col products, forward (W) and for the
	// input gradient (Wᵀ), as of the versions of w in wv and wtv: packed
	// once per change, not once per example
	pw, pwt packedB
	wv, wtv weightCache
}

// packedW returns the weights packed for the forward product.
func (l *Conv2D) packedW() *packedB {
	if !l.wv.current(l.w) || !l.pw.fits() {
		kk, f := l.k*l.k*l.in.C, l.out.C
		l.pw.pack(kk, f, l.w.W, f, 1)
		l.wv.stamp(l.w)
	}
	return &l.pw
}

// packedWT returns the weights transposed and packed for the input
// gradient's product.
func (l *Conv2D) packedWT() *packedB {
	if !l.wtv.current(l.w) || !l.pwt.fits() {
		kk, f := l.k*l.k*l.in.C, l.out.C
		l.pwt.pack(f, kk, l.w.W, 1, f)
		l.wtv.stamp(l.w)
	}
	return &l.pwt
}

// gatherMaxKK is the largest window (k·k·in.C values) that uses the gather
// products: up to one gemm block deep, building and packing the patch
// matrix costs about as much as the product itself, so reading the input in
// place wins; deeper windows stay on gemm and its fused kernel (the
// measurements: bench/NOTES.md).
var gatherMaxKK = gemmKC

// gather reports whether the products run in vec.gatherGemm, straight from
// the (padded) input, instead of im2col and gemm; if so it makes sure the
// offset tables are built.
func (l *Conv2D) gather() bool {
	kk, f := l.k*l.k*l.in.C, l.out.C
	if vec.gatherGemm == nil || f%8 != 0 || kk > gatherMaxKK {
		return false
	}
	if l.tapOff != nil {
		return true
	}
	g := &l.geom
	wp := g.w + 2*g.pad
	m := g.oh * g.ow
	l.posOff = make([]int32, (m+3)/4*4)
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			l.posOff[oy*g.ow+ox] = int32(4 * (oy*g.stride*wp + ox*g.stride) * g.c)
		}
	}
	l.tapOff = make([]int32, (kk+3)/4*4)
	for ky := 0; ky < g.k; ky++ {
		for kx := 0; kx < g.k; kx++ {
			for ci := 0; ci < g.c; ci++ {
				l.tapOff[(ky*g.k+kx)*g.c+ci] = int32(4 * ((ky*wp+kx)*g.c + ci))
			}
		}
	}
	if g.pad > 0 {
		// the border stays zero: only the interior is ever written
		l.padded = make([]float32, (g.h+2*g.pad)*wp*g.c)
	}
	return true
}

// padInput returns one example's input as the gather products read it:
// itself without padding, else copied into the padded buffer.
func (l *Conv2D) padInput(src []float32) []float32 {
	g := &l.geom
	if g.pad == 0 {
		return src
	}
	wp, row := g.w+2*g.pad, g.w*g.c
	for y := 0; y < g.h; y++ {
		copy(l.padded[((y+g.pad)*wp+g.pad)*g.c:][:row], src[y*row:(y+1)*row])
	}
	return l.padded
}

func newConv2D(name string, in Shape, filters, k, stride, pad int) *Conv2D {
	oh := (in.H+2*pad-k)/stride + 1
	ow := (in.W+2*pad-k)/stride + 1
	return &Conv2D{
		name: name, in: in, out: Shape{oh, ow, filters},
		k: k, stride: stride, pad: pad,
		geom: convGeom{in.H, in.W, in.C, k, stride, pad, oh, ow},
		w:    newParam(name+".w", true, k, k, in.C, filters),
		b:    newParam(name+".b", false, filters),
	}
}

func (l *Conv2D) Name() string     { return l.name }
func (l *Conv2D) InShape() Shape   { return l.in }
func (l *Conv2D) OutShape() Shape  { return l.out }
func (l *Conv2D) Params() []*Param { return []*Param{l.w, l.b} }
func (l *Conv2D) FLOPs() int       { return 2 * l.out.Size() * l.k * l.k * l.in.C }

// Forward: in n×H×W×C, out n×OH×OW×F.
func (l *Conv2D) Forward(out, in []float32, n int, p Pass) {
	checkLen(l.name, "input", len(in), n*l.in.Size())
	checkLen(l.name, "output", len(out), n*l.out.Size())
	if !p.Train && l.winograd4() {
		l.forwardWinograd4(out, in, n)
		return
	}
	if l.winograd() {
		l.forwardWinograd(out, in, n)
		return
	}
	m, kk, f := l.out.H*l.out.W, l.k*l.k*l.in.C, l.out.C
	if l.gather() {
		for e := 0; e < n; e++ {
			x := l.padInput(in[e*l.in.Size() : (e+1)*l.in.Size()])
			vec.gatherGemm(out[e*m*f:(e+1)*m*f], f, m, f, x, l.posOff, l.tapOff[:kk], l.w.W, f, false)
		}
		vec.addBias(out, l.b.W)
		return
	}
	l.patches = grow(l.patches, m*kk)
	pw := l.packedW()
	for e := 0; e < n; e++ {
		o := out[e*m*f : (e+1)*m*f]
		vec.im2col(l.patches, in[e*l.in.Size():(e+1)*l.in.Size()], &l.geom)
		l.mm.gemmPacked(m, l.patches, kk, 1, pw, o, f, false)
	}
	vec.addBias(out, l.b.W)
}

// Backward: dout n×OH×OW×F → din n×H×W×C, dW += patchesᵀ·dout, db += Σ dout.
func (l *Conv2D) Backward(din, dout, in, _ []float32, n int) {
	m, kk, f := l.out.H*l.out.W, l.k*l.k*l.in.C, l.out.C
	if din != nil && l.winogradBack() {
		l.backwardWinograd(din, dout, n)
		din = nil // done
	}
	switch {
	case l.winograd():
		l.weightGradWinograd(dout, in, n)
	case l.gather():
		for e := 0; e < n; e++ {
			x := l.padInput(in[e*l.in.Size() : (e+1)*l.in.Size()])
			vec.gatherGemm(l.w.G, f, kk, f, x, l.tapOff, l.posOff[:m], dout[e*m*f:(e+1)*m*f], f, true)
		}
	default:
		l.patches = grow(l.patches, m*kk)
		for e := 0; e < n; e++ {
			vec.im2col(l.patches, in[e*l.in.Size():(e+1)*l.in.Size()], &l.geom)
			l.mm.gemm(kk, f, m, l.patches, 1, kk, dout[e*m*f:(e+1)*m*f], f, 1, l.w.G, f, true)
		}
	}
	if din != nil {
		l.dpatches = grow(l.dpatches, m*kk)
		pwt := l.packedWT()
		for e := 0; e < n; e++ {
			l.mm.gemmPacked(m, dout[e*m*f:(e+1)*m*f], f, 1, pwt, l.dpatches, kk, false)
			vec.col2im(din[e*l.in.Size():(e+1)*l.in.Size()], l.dpatches, &l.geom)
		}
	}
	// the bias gradient sums the rows of every example in order, as one
	// call per example would
	vec.sumRows(l.b.G, dout[:n*m*f])
}

// convForwardRef is the direct convolution loop Forward is tested against.
func convForwardRef(out, in, w, b []float32, n int, is, os Shape, k, stride, pad int) {
	for e := 0; e < n; e++ {
		for oy := 0; oy < os.H; oy++ {
			for ox := 0; ox < os.W; ox++ {
				for f := 0; f < os.C; f++ {
					s := b[f]
					for ky := 0; ky < k; ky++ {
						for kx := 0; kx < k; kx++ {
							iy, ix := oy*stride-pad+ky, ox*stride-pad+kx
							if iy < 0 || iy >= is.H || ix < 0 || ix >= is.W {
								continue
							}
							for c := 0; c < is.C; c++ {
								s += in[e*is.Size()+(iy*is.W+ix)*is.C+c] * w[((ky*k+kx)*is.C+c)*os.C+f]
							}
						}
					}
					out[e*os.Size()+(oy*os.W+ox)*os.C+f] = s
				}
			}
		}
	}
}

// convBackwardRef is the direct loop for the three convolution gradients.
func convBackwardRef(din, dw, db, dout, in, w []float32, n int, is, os Shape, k, stride, pad int) {
	clear(din)
	for e := 0; e < n; e++ {
		for oy := 0; oy < os.H; oy++ {
			for ox := 0; ox < os.W; ox++ {
				for f := 0; f < os.C; f++ {
					g := dout[e*os.Size()+(oy*os.W+ox)*os.C+f]
					db[f] += g
					for ky := 0; ky < k; ky++ {
						for kx := 0; kx < k; kx++ {
							iy, ix := oy*stride-pad+ky, ox*stride-pad+kx
							if iy < 0 || iy >= is.H || ix < 0 || ix >= is.W {
								continue
							}
							for c := 0; c < is.C; c++ {
								wi := ((ky*k+kx)*is.C+c)*os.C + f
								ii := e*is.Size() + (iy*is.W+ix)*is.C + c
								dw[wi] += g * in[ii]
								din[ii] += g * w[wi]
							}
						}
					}
				}
			}
		}
	}
}

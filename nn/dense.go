package nn

// Dense is a fully connected layer: out = in·W + b, with W stored [in][out].
// Its input may have any shape; it is read as a flat vector (so a Flatten
// layer before it only documents the reshape).
type Dense struct {
	name    string
	in, out Shape
	w, b    *Param
	mm      gemmScratch
	// pw is w packed for inference's products, as of w's version wv (see
	// Forward)
	pw packedB
	wv weightCache
	// finite is whether w holds only finite values, as of w's version fv:
	// then one image may skip its zero inputs (see Forward)
	finite bool
	fv     weightCache
}

func newDense(name string, in Shape, units int) *Dense {
	return &Dense{
		name: name, in: in, out: Shape{1, 1, units},
		w: newParam(name+".w", true, in.Size(), units),
		b: newParam(name+".b", false, units),
	}
}

func (l *Dense) Name() string     { return l.name }
func (l *Dense) InShape() Shape   { return l.in }
func (l *Dense) OutShape() Shape  { return l.out }
func (l *Dense) Params() []*Param { return []*Param{l.w, l.b} }
func (l *Dense) FLOPs() int       { return 2 * l.in.Size() * l.out.C }

// Forward: in n×I, out n×O.
//
// Inference multiplies by the weights packed once per change of them (a
// gemm packs B at every call): natively, packing the keras preset's
// 9216×128 weights was three quarters of the layer's time for one image
// (bench/NOTES.md). Training changes the weights at every step, so it
// packs them as it goes, as before, and holds no second copy; so do
// products of fewer rows than the kernel's where the kernel multiplies
// those without packing (the SIMD module's).
//
// Those few rows skip their zero inputs when the weights are finite
// (checked once per change of them): after a ReLU and max pooling, more
// than half of the inputs are zero on real digits (57% of the keras
// preset's, seeded, on 200 of MNIST's test images), and the weights they
// would multiply are most of the bytes one image reads.
func (l *Dense) Forward(out, in []float32, n int, p Pass) {
	i, o := l.in.Size(), l.out.C
	checkLen(l.name, "input", len(in), n*i)
	checkLen(l.name, "output", len(out), n*o)
	rows := kernel.rows != nil && n < kernel.mr
	switch {
	case rows && !p.Train:
		if !l.fv.current(l.w) {
			l.finite = vec.finite(l.w.W)
			l.fv.stamp(l.w)
		}
		kernel.rows(n, o, i, in, i, l.w.W, o, out, o, false, l.finite)
	case p.Train || rows:
		l.mm.gemm(n, o, i, in, i, 1, l.w.W, o, 1, out, o, false)
	default:
		if !l.wv.current(l.w) || !l.pw.fits() {
			l.pw.pack(i, o, l.w.W, o, 1)
			l.wv.stamp(l.w)
		}
		l.mm.gemmPacked(n, in, i, 1, &l.pw, out, o, false)
	}
	vec.addBias(out, l.b.W)
}

// Backward: dW += inᵀ·dout, db += Σ dout, din = dout·Wᵀ.
func (l *Dense) Backward(din, dout, in, _ []float32, n int) {
	i, o := l.in.Size(), l.out.C
	l.mm.gemm(i, o, n, in, 1, i, dout, o, 1, l.w.G, o, true)
	vec.sumRows(l.b.G, dout[:n*o])
	if din != nil {
		l.mm.gemm(n, i, o, dout, o, 1, l.w.W, 1, o, din, i, false)
	}
}

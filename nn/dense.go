package nn

// Dense is a fully connected layer: out = in·W + b, with W stored [in][out].
// Its input may have any shape; it is read as a flat vector (so a Flatten
// layer before it only documents the reshape).
type Dense struct {
	name    string
	in, out Shape
	w, b    *Param
	mm      gemmScratch
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
func (l *Dense) Forward(out, in []float32, n int, _ Pass) {
	i, o := l.in.Size(), l.out.C
	checkLen(l.name, "input", len(in), n*i)
	checkLen(l.name, "output", len(out), n*o)
	l.mm.gemm(n, o, i, in, i, 1, l.w.W, o, 1, out, o, false)
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

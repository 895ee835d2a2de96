package nn

// Flatten turns an H×W×C volume into a 1×1×(H·W·C) vector. Because tensors
// are flat and HWC, it copies values unchanged; it exists so a spec can say
// where the volume becomes a vector, as the guide draws it.
type Flatten struct {
	name    string
	in, out Shape
}

func (l *Flatten) Name() string     { return l.name }
func (l *Flatten) InShape() Shape   { return l.in }
func (l *Flatten) OutShape() Shape  { return l.out }
func (l *Flatten) Params() []*Param { return nil }
func (l *Flatten) FLOPs() int       { return 0 }

func (l *Flatten) Forward(out, in []float32, n int, _ Pass) {
	checkLen(l.name, "input", len(in), n*l.in.Size())
	copy(out, in)
}

func (l *Flatten) Backward(din, dout, _, _ []float32, _ int) {
	if din != nil {
		copy(din, dout)
	}
}

package nn

import "math"

// The loops around the matrix products: activations, bias, pooling, the
// im2col/col2im data movement and the optimizers' updates. Each has a
// pure-Go version here; under GOOS=js with the SIMD128 module installed
// (gemm_js.go) the same loops run in the module instead, computing every
// value with the same float operations in the same order, so both give
// identical results.

// vecOps is one implementation of those loops.
type vecOps struct {
	// relu: out = max(in, 0), elementwise (len(out) ≥ len(in)).
	relu func(out, in []float32)
	// reluBackward: din = dout where out > 0, else 0.
	reluBackward func(din, dout, out []float32)
	// addBias adds b to every row of x (rows of len(b) values).
	addBias func(x, b []float32)
	// sumRows adds every row of x (rows of len(dst) values) to dst, in row
	// order.
	sumRows func(dst, x []float32)
	// im2col writes one example's patch matrix (see Conv2D).
	im2col func(dst, src []float32, g *convGeom)
	// col2im sets dst, one example's input gradient, to the scatter-add of
	// the patch-gradient matrix src.
	col2im func(dst, src []float32, g *convGeom)
	// maxPool is MaxPool.Forward's loop over a batch of n examples.
	maxPool func(out []float32, arg []int32, in []float32, n int, g *poolGeom)
	// maxPoolBackward sets din to zero, then adds each dout[i] to
	// din[arg[i]], in order.
	maxPoolBackward func(din, dout []float32, arg []int32)
	// gatherGemm, where set (the SIMD128 module's), sets C (m×n, leading
	// dimension ldc) to A·B, or adds A·B to it when acc is set, where A's
	// element (i, p) is x at byte offset rowOff[i] + colOff[p], k =
	// len(colOff), and B (k×n) has rows ldb apart: gemm on a gathered A,
	// bit for bit (same gemmKC-deep blocks, same order), without building
	// or packing A. n must be a multiple of 8 and rowOff must hold m rounded
	// up to a multiple of 4 offsets (see Conv2D.gather).
	gatherGemm func(c []float32, ldc, m, n int, x []float32, rowOff, colOff []int32, b []float32, ldb int, acc bool)
	// decay adds l2·w to g, elementwise (L2 weight decay; len(w) ≥ len(g)).
	decay func(g, w []float32, l2 float32)
	// adadelta, adam and sgd update one parameter's values w in place from
	// its gradient g and its optimizer state (see optimizer), then clear g.
	// m and v (and g) hold at least len(w) values.
	adadelta func(w, g, m, v []float32, rho, eps, lr float32)
	adam     func(w, g, m, v []float32, b1, b2, step, eps float32)
	sgd      func(w, g, m []float32, mu, lr float32, nesterov bool)
	// winograd is whether 3×3 convolutions take Winograd's path forward
	// (see winograd.go): only where the module runs its transforms, as the
	// Go loops cost more than the im2col product they would save
	// (bench/NOTES.md).
	winograd bool
	// winogradWeights, winogradInput and winogradOutput are the transforms
	// of Winograd's F(2×2, 3×3), which training takes; c and f are
	// multiples of 4.
	winogradWeights func(u, w []float32, c, f int)
	winogradInput   func(v, x []float32, th, tw, wx, c int)
	winogradOutput  func(out, m, bias []float32, th, tw, oh, ow, f int)
	// winogradDout and winogradWeightGrad are the weight gradient's.
	winogradDout       func(d, dout []float32, th, tw, oh, ow, f int)
	winogradWeightGrad func(dw, m []float32, c, f int)
	// winograd4Input and winograd4Output are F(4×4, 3×3)'s (winograd4.go),
	// which inference takes where they are set and winograd is true.
	winograd4Input  func(v, x []float32, th, tw, wx, c int)
	winograd4Output func(out, m, bias []float32, th, tw, oh, ow, f int)
	// scaleAdd sets g to a·g + b·d elementwise (len(d) ≥ len(g)), each
	// product rounded before the sum: how a trainer combines its workers'
	// gradients (ScaleAdd).
	scaleAdd func(g []float32, a float32, d []float32, b float32)
	// finite reports whether x holds no NaN and no ±Inf.
	finite func(x []float32) bool
}

// vec is the implementation in use: portableVec, or the SIMD128 module's
// where the host installed it.
var vec = portableVec

var portableVec = vecOps{
	relu:               reluForward,
	reluBackward:       reluBackward,
	addBias:            addBias,
	sumRows:            sumRows,
	im2col:             im2col,
	col2im:             col2im,
	maxPool:            maxPoolForward,
	maxPoolBackward:    maxPoolBackward,
	decay:              decayGrad,
	adadelta:           adadeltaUpdate,
	adam:               adamUpdate,
	sgd:                sgdUpdate,
	winogradWeights:    winogradWeights,
	winogradInput:      winogradInput,
	winogradOutput:     winogradOutput,
	winogradDout:       winogradDout,
	winogradWeightGrad: winogradWeightGrad,
	winograd4Input:     winograd4Input,
	winograd4Output:    winograd4Output,
	scaleAdd:           scaleAdd,
	finite:             finite,
}

var negInf = float32(math.Inf(-1))

// convGeom is the geometry of a convolution: an h×w×c input (HWC), k×k
// windows moving by stride over the input padded by pad, oh×ow outputs.
type convGeom struct {
	h, w, c, k, stride, pad, oh, ow int
}

// poolGeom is the geometry of a pooling layer: h×w×c in, size×size windows
// moving by stride, oh×ow×c out.
type poolGeom struct {
	h, w, c, size, stride, oh, ow int
}

// reluForward: out = max(in, 0), elementwise. Natively Go's max compiles
// to a branch-free instruction; under wasm it becomes a call, so gemm_js.go
// uses reluCompare, which gives the same bits (see reluMax).
func reluForward(out, in []float32) { reluImpl(out, in) }

// reluMax is relu with Go's max.
func reluMax(out, in []float32) {
	out = out[:len(in)]
	for i, v := range in {
		out[i] = max(v, 0)
	}
}

// reluCompare is relu with a comparison: like max(v, 0) it keeps NaN and
// gives +0 for -0.
func reluCompare(out, in []float32) {
	out = out[:len(in)]
	for i, v := range in {
		if v <= 0 {
			v = 0
		}
		out[i] = v
	}
}

// reluBackward: din = dout where out > 0, else 0.
func reluBackward(din, dout, out []float32) {
	din = din[:len(dout)]
	out = out[:len(dout)]
	for i, g := range dout {
		if out[i] <= 0 {
			g = 0
		}
		din[i] = g
	}
}

// addBias adds b to every row of x (rows of len(b) values).
func addBias(x, b []float32) {
	f := len(b)
	for i := 0; i+f <= len(x); i += f {
		r := x[i : i+f : i+f]
		for j, v := range b {
			r[j] += v
		}
	}
}

// sumRows adds every row of x (rows of len(dst) values) to dst.
func sumRows(dst, x []float32) {
	f := len(dst)
	for i := 0; i+f <= len(x); i += f {
		axpy1(dst, x[i:i+f])
	}
}

// axpy1 computes dst += x.
func axpy1(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += v
	}
}

// im2col writes one example's patch matrix: row (oy*OW+ox) holds the k×k×C
// window at that output position, zeros where it hangs over the padding.
func im2col(dst, src []float32, g *convGeom) {
	c, k, run := g.c, g.k, g.k*g.c
	row := 0
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			x0 := ox*g.stride - g.pad
			for ky := 0; ky < k; ky++ {
				d := dst[row+ky*run : row+(ky+1)*run]
				iy := oy*g.stride - g.pad + ky
				if iy < 0 || iy >= g.h {
					clear(d)
					continue
				}
				base := iy * g.w
				if x0 >= 0 && x0+k <= g.w {
					copy(d, src[(base+x0)*c:(base+x0+k)*c])
					continue
				}
				for kx := 0; kx < k; kx++ {
					ix := x0 + kx
					if ix < 0 || ix >= g.w {
						clear(d[kx*c : (kx+1)*c])
					} else {
						copy(d[kx*c:(kx+1)*c], src[(base+ix)*c:(base+ix+1)*c])
					}
				}
			}
			row += k * run
		}
	}
}

// col2im sets dst to zero, then adds the rows of a patch-gradient matrix
// back onto the input positions they were copied from: the inverse scatter
// of im2col.
func col2im(dst, src []float32, g *convGeom) {
	clear(dst[:g.h*g.w*g.c])
	c, k, run := g.c, g.k, g.k*g.c
	row := 0
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			x0 := ox*g.stride - g.pad
			for ky := 0; ky < k; ky++ {
				iy := oy*g.stride - g.pad + ky
				if iy < 0 || iy >= g.h {
					continue
				}
				s := src[row+ky*run : row+(ky+1)*run]
				base := iy * g.w
				if x0 >= 0 && x0+k <= g.w {
					// the whole window row lands on consecutive inputs;
					// each value still gets one add, in the same order
					axpy1(dst[(base+x0)*c:(base+x0+k)*c], s)
					continue
				}
				for kx := 0; kx < k; kx++ {
					ix := x0 + kx
					if ix < 0 || ix >= g.w {
						continue
					}
					axpy1(dst[(base+ix)*c:(base+ix+1)*c], s[kx*c:(kx+1)*c])
				}
			}
			row += k * run
		}
	}
}

// maxPoolForward: in n×H×W×C, out n×OH×OW×C; arg gets the index into in of
// each maximum. Each window starts from -Inf at its first value and takes a
// value only when strictly greater, so the first of equal maxima wins.
func maxPoolForward(out []float32, arg []int32, in []float32, n int, g *poolGeom) {
	c := g.c
	o := 0
	for e := 0; e < n; e++ {
		base := e * g.h * g.w * c
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				first := base + (oy*g.stride*g.w+ox*g.stride)*c
				best, bi := out[o:o+c:o+c], arg[o:o+c:o+c]
				for ch := range best {
					best[ch] = negInf
					bi[ch] = int32(first + ch)
				}
				for ky := 0; ky < g.size; ky++ {
					for kx := 0; kx < g.size; kx++ {
						i := first + (ky*g.w+kx)*c
						v := in[i : i+c : i+c]
						for ch, x := range v {
							if x > best[ch] {
								best[ch], bi[ch] = x, int32(i+ch)
							}
						}
					}
				}
				o += c
			}
		}
	}
}

// maxPoolBackward routes each output gradient to the input that was the
// maximum.
func maxPoolBackward(din, dout []float32, arg []int32) {
	clear(din)
	arg = arg[:len(dout)]
	for i, g := range dout {
		din[arg[i]] += g
	}
}

// decayGrad adds L2 weight decay, l2·w, to the gradient g.
func decayGrad(g, w []float32, l2 float32) {
	w = w[:len(g)]
	for j, x := range w {
		g[j] += l2 * x
	}
}

// adadeltaUpdate is Adadelta's update with decay rho, epsilon eps and
// learning rate lr; m and v are the running mean squares of the gradients
// and of the updates. The SIMD module is handed 1-rho computed the same
// way.
func adadeltaUpdate(w, g, m, v []float32, rho, eps, lr float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	rho1 := 1 - rho
	for j := range w {
		m[j] = rho*m[j] + rho1*g[j]*g[j]
		dx := -sqrt32(v[j]+eps) / sqrt32(m[j]+eps) * g[j]
		v[j] = rho*v[j] + rho1*dx*dx
		w[j] += lr * dx
	}
	clear(g)
}

// adamUpdate is Adam's update with decay rates b1 and b2, the
// bias-corrected step size step and epsilon eps; m and v are the first and
// second moments. The SIMD module is handed 1-b1 and 1-b2 computed the
// same way.
func adamUpdate(w, g, m, v []float32, b1, b2, step, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	b1c, b2c := 1-b1, 1-b2
	for j := range w {
		m[j] = b1*m[j] + b1c*g[j]
		v[j] = b2*v[j] + b2c*g[j]*g[j]
		w[j] -= step * m[j] / (sqrt32(v[j]) + eps)
	}
	clear(g)
}

// sgdUpdate is SGD with momentum mu (0 for none) and learning rate lr, m
// the velocity; with nesterov the weights take the Nesterov step.
func sgdUpdate(w, g, m []float32, mu, lr float32, nesterov bool) {
	g, m = g[:len(w)], m[:len(w)]
	if nesterov {
		for j := range w {
			m[j] = mu*m[j] - lr*g[j]
			w[j] += mu*m[j] - lr*g[j]
		}
	} else {
		for j := range w {
			m[j] = mu*m[j] - lr*g[j]
			w[j] += m[j]
		}
	}
	clear(g)
}

// sqrt32 is the correctly rounded float32 square root (as f32x4.sqrt is:
// rounding the float64 root to float32 rounds correctly).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// ScaleAdd sets g to a·g + b·d elementwise (d holds at least len(g)
// values), each product rounded before the sum, in the SIMD module where
// the host installed it: a trainer's sum of its workers' gradients, each
// weighted by its share of the batch. As float addition commutes,
// ScaleAdd(d, b, g, a) leaves d with the same bits: a helper forms the
// batch's gradient in its own memory exactly as the trainer does in its.
func ScaleAdd(g []float32, a float32, d []float32, b float32) {
	vec.scaleAdd(g, a, d[:len(g)], b)
}

func scaleAdd(g []float32, a float32, d []float32, b float32) {
	d = d[:len(g)]
	// The conversions round each product, so that no compiler fuses a
	// multiply-add (Go may on arm64): fused, the sum would depend on which
	// operand was g.
	if a == 1 { // 1·g is g: one multiplication less
		for k, v := range d {
			g[k] += float32(b * v)
		}
		return
	}
	for k, v := range d {
		g[k] = float32(a*g[k]) + float32(b*v)
	}
}

// finite reports whether x holds only numbers other than ±Inf: v-v is 0
// for every finite v and NaN for ±Inf and NaN, so four running sums of it
// stay 0 exactly when all are finite, one float32 subtraction and addition
// per value, where two checks in float64 cost several times that under
// wasm.
func finite(x []float32) bool {
	var s0, s1, s2, s3 float32
	for ; len(x) >= 4; x = x[4:] {
		s0 += x[0] - x[0]
		s1 += x[1] - x[1]
		s2 += x[2] - x[2]
		s3 += x[3] - x[3]
	}
	for _, v := range x {
		s0 += v - v
	}
	return s0+s1+s2+s3 == 0
}

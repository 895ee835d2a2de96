package inspect

import (
	"math"

	"github.com/cnnplay/cnnplay/nn"
)

// Penultimate runs net on one h×w image with pixels in [0,1] and returns a
// copy of its penultimate-layer features (see PenultimateLayer).
func Penultimate(net *nn.Network, img []float32, h, w int) []float32 {
	x := make([]float32, net.InShape().Size())
	net.Prepare(x, img, h, w, nil)
	net.Forward(x, 1, nn.Pass{})
	layer, _ := PenultimateLayer(net)
	if layer < 0 {
		return x
	}
	return append([]float32(nil), net.Output(layer)...)
}

// Occlusion measures what matters in an h×w image for class: it covers the
// image with a patch×patch square of background (0), moved by stride, and
// returns for each pixel the mean drop in the class's probability over the
// squares that covered it (negative where covering helps the class). The
// squares are run through net in batches of batch images.
func Occlusion(net *nn.Network, img []float32, h, w, class, patch, stride, batch int) []float32 {
	o := NewOccluder(net, img, h, w, class, patch, stride, batch)
	for !o.Step() {
	}
	return o.Map()
}

// An Occluder computes Occlusion one batch of squares per Step, so that a
// page can spread the work over animation frames.
type Occluder struct {
	net                              *nn.Network
	img                              []float32
	h, w, class, patch, batch, in, k int
	p0                               float32
	squares                          [][2]int // top-left corners, y then x
	next                             int      // first square not yet run
	drop, count, occluded, xs        []float32
}

// NewOccluder prepares the occlusion of img for class (see Occlusion) and
// runs the unoccluded image.
func NewOccluder(net *nn.Network, img []float32, h, w, class, patch, stride, batch int) *Occluder {
	checkLen("Occlusion image", len(img), h*w)
	in := net.InShape().Size()
	o := &Occluder{net: net, img: img, h: h, w: w, class: class, patch: patch, batch: batch, in: in, k: net.Classes(),
		drop: make([]float32, h*w), count: make([]float32, h*w), occluded: make([]float32, h*w), xs: make([]float32, batch*in)}
	x := make([]float32, in)
	net.Prepare(x, img, h, w, nil)
	o.p0 = net.Forward(x, 1, nn.Pass{})[class]
	for y := 0; y+patch <= h; y += stride {
		for x := 0; x+patch <= w; x += stride {
			o.squares = append(o.squares, [2]int{y, x})
		}
	}
	return o
}

// Batches is how many Steps the occlusion takes.
func (o *Occluder) Batches() int { return (len(o.squares) + o.batch - 1) / o.batch }

// Step runs the next batch of squares and reports whether all have run.
func (o *Occluder) Step() bool {
	if o.next >= len(o.squares) {
		return true
	}
	n := min(o.batch, len(o.squares)-o.next)
	sq := o.squares[o.next : o.next+n]
	for j, s := range sq {
		copy(o.occluded, o.img)
		for y := s[0]; y < s[0]+o.patch; y++ {
			clear(o.occluded[y*o.w+s[1] : y*o.w+s[1]+o.patch])
		}
		o.net.Prepare(o.xs[j*o.in:(j+1)*o.in], o.occluded, o.h, o.w, nil)
	}
	prob := o.net.Forward(o.xs[:n*o.in], n, nn.Pass{})
	for j, s := range sq {
		d := o.p0 - prob[j*o.k+o.class]
		for y := s[0]; y < s[0]+o.patch; y++ {
			for x := s[1]; x < s[1]+o.patch; x++ {
				o.drop[y*o.w+x] += d
				o.count[y*o.w+x]++
			}
		}
	}
	o.next += n
	return o.next >= len(o.squares)
}

// Map returns the mean drop per pixel; it is complete once Step has
// reported true.
func (o *Occluder) Map() []float32 {
	m := make([]float32, len(o.drop))
	for i, c := range o.count {
		if c > 0 {
			m[i] = o.drop[i] / c
		}
	}
	return m
}

// Gradient returns the magnitude of the gradient of class's log-probability
// with respect to each pixel of an h×w image with pixels in [0,1]: the
// pixels whose change would move the class's score most. Pixels outside the
// network's input (when it crops) are 0.
func Gradient(net *nn.Network, img []float32, h, w, class int) []float32 {
	checkLen("Gradient image", len(img), h*w)
	in := net.InShape()
	x := make([]float32, in.Size())
	dx := make([]float32, in.Size())
	net.Prepare(x, img, h, w, nil)
	net.InputGradient(dx, x, []uint8{uint8(class)}, 1, nn.Pass{})
	scale := float32(1)
	if net.Spec.Std > 0 {
		scale = 1 / net.Spec.Std
	}
	out := make([]float32, h*w)
	y0, x0 := (h-in.H)/2, (w-in.W)/2
	for y := 0; y < in.H; y++ {
		for xx := 0; xx < in.W; xx++ {
			out[(y0+y)*w+x0+xx] = float32(math.Abs(float64(dx[y*in.W+xx] * scale)))
		}
	}
	return out
}

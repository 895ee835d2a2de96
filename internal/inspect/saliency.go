package inspect

import (
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// Penultimate runs net on one h×w image with pixels in [0,1] (fed as
// model.Input feeds it) and returns a copy of its penultimate-layer
// features (see PenultimateLayer).
func Penultimate(net *nn.Network, img []float32, h, w int) ([]float32, error) {
	x := make([]float32, net.InShape().Size())
	if err := model.Input(net, x, img, h, w); err != nil {
		return nil, err
	}
	net.Forward(x, 1, nn.Pass{})
	layer, _ := PenultimateLayer(net)
	if layer < 0 {
		return x, nil
	}
	return append([]float32(nil), net.Output(layer)...), nil
}

// Occlusion measures what matters in an h×w image for class: it covers the
// image with a patch×patch square of background (0), moved by stride, and
// returns for each pixel the mean drop in the class's probability over the
// squares that covered it (negative where covering helps the class). The
// squares are run through net in batches of batch images.
func Occlusion(net *nn.Network, img []float32, h, w, class, patch, stride, batch int) ([]float32, error) {
	o, err := NewOccluder(net, img, h, w, class, patch, stride, batch)
	if err != nil {
		return nil, err
	}
	for !o.Step() {
	}
	return o.Map(), nil
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
// runs the unoccluded image. An image that is not h×w, a class the network
// does not have or a patch, stride or batch below 1 is an error.
func NewOccluder(net *nn.Network, img []float32, h, w, class, patch, stride, batch int) (*Occluder, error) {
	if err := checkClass(net, class); err != nil {
		return nil, err
	}
	if patch < 1 || stride < 1 || batch < 1 {
		return nil, fmt.Errorf("inspect: occlusion with patch %d, stride %d and batch %d; each must be at least 1", patch, stride, batch)
	}
	in := net.InShape().Size()
	x := make([]float32, in)
	if err := model.Input(net, x, img, h, w); err != nil {
		return nil, err
	}
	o := &Occluder{net: net, img: img, h: h, w: w, class: class, patch: patch, batch: batch, in: in, k: net.Classes(),
		drop: make([]float32, h*w), count: make([]float32, h*w), occluded: make([]float32, h*w), xs: make([]float32, batch*in)}
	o.p0 = net.Forward(x, 1, nn.Pass{})[class]
	for y := 0; y+patch <= h; y += stride {
		for x := 0; x+patch <= w; x += stride {
			o.squares = append(o.squares, [2]int{y, x})
		}
	}
	return o, nil
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
		// NewOccluder fed the same size of image through model.Input.
		mustInput(o.net, o.xs[j*o.in:(j+1)*o.in], o.occluded, o.h, o.w)
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
// with respect to each pixel of an h×w image with pixels in [0,1], fed as
// model.Input feeds it: the pixels whose change would move the class's
// score most. Pixels the network does not see (when it crops) are 0. For a
// network of another input, the gradient reaches the picture's pixels
// through model.Input's resampling and channels, which are linear: each
// pixel's share is found by feeding that pixel alone (h·w inputs built,
// fine for a drawing). A class the network does not have is
// an error, and so is one past 255: nn's labels are bytes.
func Gradient(net *nn.Network, img []float32, h, w, class int) ([]float32, error) {
	if err := checkClass(net, class); err != nil {
		return nil, err
	}
	if class > math.MaxUint8 {
		return nil, fmt.Errorf("inspect: the gradient is computed for the first %d classes; class %d is past them", math.MaxUint8+1, class+1)
	}
	n := net.InShape().Size()
	x, dx := make([]float32, n), make([]float32, n)
	if err := model.Input(net, x, img, h, w); err != nil {
		return nil, err
	}
	net.InputGradient(dx, x, []uint8{uint8(class)}, 1, nn.Pass{})
	out := make([]float32, h*w)
	if in := net.InShape(); in.C == 1 && h >= in.H && w >= in.W {
		// The network sees the picture's centre, scaled: the input
		// gradient is the pixels' own, scaled.
		scale := float32(1)
		if net.Spec.Std > 0 {
			scale = 1 / net.Spec.Std
		}
		y0, x0 := (h-in.H)/2, (w-in.W)/2
		for y := range in.H {
			for xx := range in.W {
				out[(y0+y)*w+x0+xx] = float32(math.Abs(float64(dx[y*in.W+xx] * scale)))
			}
		}
		return out, nil
	}
	// x0 is the input of a blank picture and xp of one with pixel p alone
	// at 1: xp − x0 is what pixel p adds to the input.
	x0, xp, one := make([]float32, n), make([]float32, n), make([]float32, h*w)
	mustInput(net, x0, one, h, w)
	for p := range one {
		one[p] = 1
		mustInput(net, xp, one, h, w)
		one[p] = 0
		var g float32
		for i, d := range dx {
			if v := xp[i] - x0[i]; v != 0 {
				g += d * v
			}
		}
		out[p] = float32(math.Abs(float64(g)))
	}
	return out, nil
}

// checkClass returns an error when net has no class class.
func checkClass(net *nn.Network, class int) error {
	if k := net.Classes(); class < 0 || class >= k {
		return fmt.Errorf("inspect: class %d of a network with %d classes", class+1, k)
	}
	return nil
}

// mustInput is model.Input for an image whose size was checked before: an
// error is a programmer error.
func mustInput(net *nn.Network, x, img []float32, h, w int) {
	if err := model.Input(net, x, img, h, w); err != nil {
		panic("inspect: " + err.Error())
	}
}

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
	checkLen("Occlusion image", len(img), h*w)
	in := net.InShape().Size()
	k := net.Classes()
	x := make([]float32, in)
	net.Prepare(x, img, h, w, nil)
	p0 := net.Forward(x, 1, nn.Pass{})[class]

	type square struct{ y, x int }
	var squares []square
	for y := 0; y+patch <= h; y += stride {
		for x := 0; x+patch <= w; x += stride {
			squares = append(squares, square{y, x})
		}
	}
	drop := make([]float32, h*w)
	count := make([]float32, h*w)
	occluded := make([]float32, h*w)
	xs := make([]float32, batch*in)
	for start := 0; start < len(squares); start += batch {
		n := min(batch, len(squares)-start)
		for j := 0; j < n; j++ {
			s := squares[start+j]
			copy(occluded, img)
			for y := s.y; y < s.y+patch; y++ {
				clear(occluded[y*w+s.x : y*w+s.x+patch])
			}
			net.Prepare(xs[j*in:(j+1)*in], occluded, h, w, nil)
		}
		prob := net.Forward(xs[:n*in], n, nn.Pass{})
		for j := 0; j < n; j++ {
			s, d := squares[start+j], p0-prob[j*k+class]
			for y := s.y; y < s.y+patch; y++ {
				for x := s.x; x < s.x+patch; x++ {
					drop[y*w+x] += d
					count[y*w+x]++
				}
			}
		}
	}
	for i, c := range count {
		if c > 0 {
			drop[i] /= c
		}
	}
	return drop
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

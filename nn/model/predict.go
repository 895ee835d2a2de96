package model

import (
	"fmt"

	"github.com/cnnplay/cnnplay/nn"
)

// Predict returns the class probabilities for one h×w image with pixels in
// [0,1], white ink on black as MNIST has it (see package preprocess), for a
// network of any input shape. An image at least as large as the input is
// cropped to its centre, as training on such images crops it
// (nn.Network.Prepare); a smaller one (in either direction) is resampled
// to the input's height and width. A network of several input channels
// gets the picture in every channel. The slice is reused by the next call.
func (m *Model) Predict(img []float32, h, w int) ([]float32, error) {
	x := make([]float32, m.Net.InShape().Size())
	if err := Input(m.Net, x, img, h, w); err != nil {
		return nil, err
	}
	return m.Net.Predict(x), nil
}

// Input fills x (net.InShape().Size() values) with what net receives for
// one h×w image with pixels in [0,1], as Predict feeds it: cropped to its
// centre or resampled to the input's height and width, normalised, and
// repeated across the input's channels. Unlike nn.Network.Prepare, it takes
// a picture of any size for a network of any input, so the views of a
// network's inside (package inspect) see what Predict sees.
func Input(net *nn.Network, x, img []float32, h, w int) error {
	in := net.InShape()
	if h < 1 || w < 1 || len(img) != h*w {
		return fmt.Errorf("model: a %dx%d image needs %d values, got %d", h, w, max(h, 0)*max(w, 0), len(img))
	}
	if len(x) != in.Size() {
		return fmt.Errorf("model: a %s input needs %d values, got %d", in, in.Size(), len(x))
	}
	if in.C == 1 && h >= in.H && w >= in.W {
		net.Prepare(x, img, h, w, nil)
		return nil
	}
	plane := make([]float32, in.H*in.W)
	if h >= in.H && w >= in.W {
		crop(plane, in.H, in.W, img, h, w)
	} else {
		resample(plane, in.H, in.W, img, h, w)
	}
	mean, scale := net.Spec.Mean, float32(1)
	if net.Spec.Std > 0 {
		scale = 1 / net.Spec.Std
	}
	for i, v := range plane {
		v = (v - mean) * scale
		for c := range in.C {
			x[i*in.C+c] = v
		}
	}
	return nil
}

// crop: dst oh×ow, src h×w with h >= oh and w >= ow; the centre of src,
// where nn.Network.Prepare takes it.
func crop(dst []float32, oh, ow int, src []float32, h, w int) {
	y0, x0 := (h-oh)/2, (w-ow)/2
	for y := range oh {
		copy(dst[y*ow:(y+1)*ow], src[(y0+y)*w+x0:])
	}
}

// resample: dst oh×ow, src h×w. Bilinear, with pixel centres aligned (the
// corners of the two pictures meet, as in TensorFlow's resize), and edge
// pixels repeated beyond the border.
func resample(dst []float32, oh, ow int, src []float32, h, w int) {
	for y := range oh {
		y0, y1, fy := taps(y, oh, h)
		for x := range ow {
			x0, x1, fx := taps(x, ow, w)
			top := src[y0*w+x0]*(1-fx) + src[y0*w+x1]*fx
			bottom := src[y1*w+x0]*(1-fx) + src[y1*w+x1]*fx
			dst[y*ow+x] = top*(1-fy) + bottom*fy
		}
	}
}

// taps returns the two source pixels that output pixel i of n falls
// between, of a source of m pixels, and the weight of the second.
func taps(i, n, m int) (i0, i1 int, f float32) {
	p := (float32(i)+0.5)*float32(m)/float32(n) - 0.5
	p = max(0, min(p, float32(m-1)))
	i0 = int(p)
	i1 = min(i0+1, m-1)
	return i0, i1, p - float32(i0)
}

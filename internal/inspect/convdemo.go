package inspect

import (
	"fmt"
)

// Kernel is a classic hand-made convolution kernel.
type Kernel struct {
	Name string
	K    int
	W    []float32 // K×K, row-major
}

// Kernels are the classic kernels the convolution demo offers.
var Kernels = []Kernel{
	{"identity", 3, []float32{0, 0, 0, 0, 1, 0, 0, 0, 0}},
	{"vertical edges (Sobel x)", 3, []float32{-1, 0, 1, -2, 0, 2, -1, 0, 1}},
	{"horizontal edges (Sobel y)", 3, []float32{-1, -2, -1, 0, 0, 0, 1, 2, 1}},
	{"all edges (Laplacian)", 3, []float32{0, -1, 0, -1, 4, -1, 0, -1, 0}},
	{"box blur", 3, []float32{1. / 9, 1. / 9, 1. / 9, 1. / 9, 1. / 9, 1. / 9, 1. / 9, 1. / 9, 1. / 9}},
	{"Gaussian blur 5x5", 5, []float32{
		1. / 256, 4. / 256, 6. / 256, 4. / 256, 1. / 256,
		4. / 256, 16. / 256, 24. / 256, 16. / 256, 4. / 256,
		6. / 256, 24. / 256, 36. / 256, 24. / 256, 6. / 256,
		4. / 256, 16. / 256, 24. / 256, 16. / 256, 4. / 256,
		1. / 256, 4. / 256, 6. / 256, 4. / 256, 1. / 256}},
	{"sharpen", 3, []float32{0, -1, 0, -1, 5, -1, 0, -1, 0}},
	{"emboss", 3, []float32{-2, -1, 0, -1, 1, 1, 0, 1, 2}},
}

// OutSize is the output length of a convolution or pooling along one
// dimension of length n: (n + 2·pad − k) / stride + 1, rounded down. It is
// 0 or less when the window does not fit.
func OutSize(n, k, stride, pad int) int {
	if stride < 1 || n+2*pad < k {
		return 0
	}
	return (n+2*pad-k)/stride + 1
}

// ExplainSize spells out OutSize's arithmetic for the demo, for example
// "(28 + 2×1 − 3) / 1 + 1 = 28".
func ExplainSize(n, k, stride, pad int) string {
	o := OutSize(n, k, stride, pad)
	s := fmt.Sprintf("(%d + 2×%d − %d) / %d + 1 = %d", n, pad, k, stride, o)
	if stride > 0 && (n+2*pad-k) >= 0 && (n+2*pad-k)%stride != 0 {
		s += fmt.Sprintf(" (the division rounds down: the last %d pixels are skipped)", (n+2*pad-k)%stride)
	}
	return s
}

// Convolve applies a k×k kernel to an h×w image with zero padding pad and
// the given stride (as a convolution layer does: a cross-correlation, the
// kernel not flipped) and returns the oh×ow result.
func Convolve(img []float32, h, w int, kernel []float32, k, stride, pad int) (out []float32, oh, ow int, err error) {
	checkLen("Convolve image", len(img), h*w)
	checkLen("Convolve kernel", len(kernel), k*k)
	if err := checkWindow(h, w, k, stride, pad); err != nil {
		return nil, 0, 0, err
	}
	oh, ow = OutSize(h, k, stride, pad), OutSize(w, k, stride, pad)
	out = make([]float32, oh*ow)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			var s float32
			for ky := 0; ky < k; ky++ {
				iy := oy*stride - pad + ky
				if iy < 0 || iy >= h {
					continue
				}
				for kx := 0; kx < k; kx++ {
					ix := ox*stride - pad + kx
					if ix >= 0 && ix < w {
						s += img[iy*w+ix] * kernel[ky*k+kx]
					}
				}
			}
			out[oy*ow+ox] = s
		}
	}
	return out, oh, ow, nil
}

// MaxPool takes the maximum of each size×size window of an h×w image,
// moving by stride, and returns the oh×ow result.
func MaxPool(img []float32, h, w, size, stride int) (out []float32, oh, ow int, err error) {
	checkLen("MaxPool image", len(img), h*w)
	if err := checkWindow(h, w, size, stride, 0); err != nil {
		return nil, 0, 0, err
	}
	oh, ow = OutSize(h, size, stride, 0), OutSize(w, size, stride, 0)
	out = make([]float32, oh*ow)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			m := img[oy*stride*w+ox*stride]
			for y := oy * stride; y < oy*stride+size; y++ {
				for x := ox * stride; x < ox*stride+size; x++ {
					m = max(m, img[y*w+x])
				}
			}
			out[oy*ow+ox] = m
		}
	}
	return out, oh, ow, nil
}

// checkWindow returns an error, in words for the user, when a window does
// not fit.
func checkWindow(h, w, k, stride, pad int) error {
	switch {
	case k < 1:
		return fmt.Errorf("the window must be at least 1x1, got %dx%d", k, k)
	case stride < 1:
		return fmt.Errorf("the stride must be at least 1, got %d", stride)
	case pad < 0 || pad >= k:
		return fmt.Errorf("padding must be between 0 and %d (less than the window), got %d", k-1, pad)
	case k > h+2*pad || k > w+2*pad:
		return fmt.Errorf("a %dx%d window does not fit a %dx%d image with padding %d", k, k, h, w, pad)
	}
	return nil
}

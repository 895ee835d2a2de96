package inspect

import (
	"strings"

	"github.com/cnnplay/cnnplay/nn"
)

// FilterBank is one convolution layer's kernels: Out filters of In input
// channels, each K×K, with the symmetric colour scale shared by all of them
// so that their weights compare across the layer.
type FilterBank struct {
	Layer   string // layer name, for example "conv1"
	K       int
	In, Out int
	Scale   float32   // MaxAbs of all weights of the layer
	W       []float32 // HWIO, [K][K][In][Out], as nn stores it (a copy)
}

// Filters returns the kernels of every convolution layer of net, in layer
// order.
func Filters(net *nn.Network) []FilterBank {
	var banks []FilterBank
	for _, l := range net.Layers {
		ps := l.Params()
		if len(ps) == 0 || len(ps[0].Dims) != 4 {
			continue
		}
		d := ps[0].Dims
		w := append([]float32(nil), ps[0].W...)
		banks = append(banks, FilterBank{Layer: l.Name(), K: d[0], In: d[2], Out: d[3], Scale: MaxAbs(w), W: w})
	}
	return banks
}

// Kernel copies filter out's kernel for input channel in into dst (K*K
// values, row-major) and returns it; nil dst allocates.
func (f FilterBank) Kernel(dst []float32, out, in int) []float32 {
	if dst == nil {
		dst = make([]float32, f.K*f.K)
	}
	checkLen("Kernel destination", len(dst), f.K*f.K)
	for y := 0; y < f.K; y++ {
		for x := 0; x < f.K; x++ {
			dst[y*f.K+x] = f.W[((y*f.K+x)*f.In+in)*f.Out+out]
		}
	}
	return dst
}

// Templates returns, for a network whose first learnable layer is a dense
// layer reading the raw input (an MLP on pixels), each of its units'
// weights as an h×w image, with their shared symmetric scale. ok is false
// for any other network, or one with more than one input channel.
func Templates(net *nn.Network) (tpl [][]float32, h, w int, scale float32, ok bool) {
	in := net.InShape()
	for _, l := range net.Layers {
		ps := l.Params()
		if len(ps) == 0 {
			continue
		}
		if len(ps[0].Dims) != 2 || ps[0].Dims[0] != in.Size() || in.C != 1 {
			return nil, 0, 0, 0, false
		}
		units := ps[0].Dims[1]
		tpl = make([][]float32, units)
		for u := range tpl {
			t := make([]float32, in.Size())
			for i := range t {
				t[i] = ps[0].W[i*units+u]
			}
			tpl[u] = t
		}
		return tpl, in.H, in.W, MaxAbs(ps[0].W), true
	}
	return nil, 0, 0, 0, false
}

// Kind returns a layer's kind from its name ("conv2" → "conv").
func Kind(name string) string {
	return strings.TrimRight(name, "0123456789")
}

// GutterRGB is the light grey between the tiles of a mosaic. KernelGapRGB
// is the darker grey between the kernels of a filter block: in the light
// grey, the kernels ran together with their near-zero (near-white) weights.
var (
	GutterRGB    = [3]byte{229, 231, 235}
	KernelGapRGB = [3]byte{170, 176, 187}
)

// Block draws filter out as one RGBA image of w×h pixels: its In kernels
// side by side in KernelGrid's arrangement, one pixel of KernelGapRGB
// between them, each weight a pixel on the bank's scale. Shown as one small square
// per filter, a layer's filters wrap like words on any screen, where one row
// of In kernels per filter would not fit a phone.
func (f FilterBank) Block(out int) (rgba []byte, w, h int) {
	cols, rows := KernelGrid(f.In)
	w, h = cols*(f.K+1)-1, rows*(f.K+1)-1
	rgba = make([]byte, 4*w*h)
	for i := 0; i < len(rgba); i += 4 {
		rgba[i], rgba[i+1], rgba[i+2], rgba[i+3] = KernelGapRGB[0], KernelGapRGB[1], KernelGapRGB[2], 255
	}
	k := make([]float32, f.K*f.K)
	tile := make([]byte, 4*f.K*f.K)
	for in := 0; in < f.In; in++ {
		DivergingRGBA(tile, f.Kernel(k, out, in), f.Scale)
		x0, y0 := (in%cols)*(f.K+1), (in/cols)*(f.K+1)
		for y := 0; y < f.K; y++ {
			copy(rgba[4*((y0+y)*w+x0):], tile[4*y*f.K:4*(y+1)*f.K])
		}
	}
	return rgba, w, h
}

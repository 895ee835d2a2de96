package inspect

import (
	"bytes"
	"compress/gzip"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// idxBytes encodes x as an IDX file, gzipped when zip is set.
func idxBytes(t *testing.T, x *dataset.IDX, zip bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if zip {
		zw := gzip.NewWriter(&buf)
		if err := dataset.WriteIDX(zw, x); err != nil {
			t.Fatal(err)
		}
		zw.Close()
	} else if err := dataset.WriteIDX(&buf, x); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLoadImages(t *testing.T) {
	// Three 2x2 images labelled 1, 0, 1.
	px := []byte{0, 255, 51, 102, 10, 20, 30, 40, 255, 255, 0, 0}
	img := idxBytes(t, &dataset.IDX{Dims: []int{3, 2, 2}, Data: px}, true)
	lab := idxBytes(t, &dataset.IDX{Dims: []int{3}, Data: []byte{1, 0, 1}}, false)
	s, err := LoadImages(bytes.NewReader(img), bytes.NewReader(lab), "tiny", []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 3 || s.H != 2 || s.W != 2 || !slices.Equal(s.Labels, []uint8{1, 0, 1}) {
		t.Fatalf("got N=%d H=%d W=%d labels %v", s.N, s.H, s.W, s.Labels)
	}
	if got := s.Bytes(1); !slices.Equal(got, []byte{10, 20, 30, 40}) {
		t.Errorf("Bytes(1) = %v", got)
	}
	if got := s.Image(nil, 0); !slices.Equal(got, []float32{0, 1, 0.2, 0.4}) {
		t.Errorf("Image(0) = %v, want 0 1 0.2 0.4", got)
	}
	set := s.Set()
	if set.N != 3 || !slices.Equal(set.Image(2), []float32{1, 1, 0, 0}) || set.Labels[2] != 1 {
		t.Errorf("Set: image 2 %v label %d", set.Image(2), set.Labels[2])
	}

	bad := []struct {
		name     string
		img, lab []byte
		want     string
	}{
		{"label out of range", img, idxBytes(t, &dataset.IDX{Dims: []int{3}, Data: []byte{1, 2, 0}}, false), "label 2 of image 1"},
		{"counts differ", img, idxBytes(t, &dataset.IDX{Dims: []int{2}, Data: []byte{1, 0}}, false), "3 images but labels of shape [2]"},
		{"images not 3-D", lab, lab, "want 3"},
		{"not IDX", []byte("hello world"), lab, "images file"},
	}
	for _, c := range bad {
		_, err := LoadImages(bytes.NewReader(c.img), bytes.NewReader(c.lab), "tiny", []string{"a", "b"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestClassSamples(t *testing.T) {
	labels := []uint8{2, 0, 2, 2, 0, 1, 2}
	// Two per class: class 0 is at 1 and 4, class 1 only at 5, class 2 at
	// 0, 2, 3 and 6.
	if got, want := ClassSamples(labels, 3, 2, 0), []int{1, 4, 5, -1, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("page 0: %v, want %v", got, want)
	}
	if got, want := ClassSamples(labels, 3, 2, 1), []int{-1, -1, -1, -1, 3, 6}; !slices.Equal(got, want) {
		t.Errorf("page 1: %v, want %v", got, want)
	}
	// A label beyond k is ignored rather than written out of place.
	if got, want := ClassSamples([]uint8{5, 0}, 1, 1, 0), []int{1}; !slices.Equal(got, want) {
		t.Errorf("label beyond k: %v, want %v", got, want)
	}
}

func TestNormalise(t *testing.T) {
	cases := []struct {
		b         byte
		mean, std float32
		want      float64
	}{
		{0, 0.1307, 0.3081, -0.4242129},  // −0.1307/0.3081
		{255, 0.1307, 0.3081, 2.8214867}, // 0.8693/0.3081
		{51, 0, 0, 0.2},                  // std 0 means 1: 51/255
		{255, 0.5, 0.5, 1},
	}
	for _, c := range cases {
		if got := Normalise(c.b, c.mean, c.std); !near(float64(got), c.want, 1e-5) {
			t.Errorf("Normalise(%d, %v, %v) = %v, want %v", c.b, c.mean, c.std, got, c.want)
		}
	}
}

func TestKernelGridAndZoom(t *testing.T) {
	grids := map[int][2]int{1: {1, 1}, 2: {2, 1}, 3: {3, 1}, 6: {3, 2}, 7: {3, 3}, 8: {4, 2}, 16: {4, 4}, 32: {8, 4}, 64: {8, 8}, 128: {16, 8}}
	for in, want := range grids {
		if c, r := KernelGrid(in); c != want[0] || r != want[1] {
			t.Errorf("KernelGrid(%d) = %dx%d, want %dx%d", in, c, r, want[0], want[1])
		}
	}
	zooms := []struct{ w, h, target, want int }{
		{5, 5, 80, 16}, // a 5x5 kernel as 80 px
		{23, 23, 80, 3},
		{28, 28, 56, 2},
		{28, 14, 56, 2}, // the longer side counts
		{100, 3, 56, 1}, // never below 1
		{3, 3, 80, 27},  // 80/3 rounds to 27
	}
	for _, c := range zooms {
		if got := Zoom(c.w, c.h, c.target); got != c.want {
			t.Errorf("Zoom(%d, %d, %d) = %d, want %d", c.w, c.h, c.target, got, c.want)
		}
	}
}

func TestFilterBlock(t *testing.T) {
	// One 1x1 filter over three input channels, weights 1, −1 and 0.5:
	// KernelGrid(3) puts them in a row with gutters between.
	b := FilterBank{K: 1, In: 3, Out: 1, Scale: 1, W: []float32{1, -1, 0.5}}
	rgba, w, h := b.Block(0)
	if w != 5 || h != 1 {
		t.Fatalf("block is %dx%d, want 5x1", w, h)
	}
	o, bl, half := [3]byte{230, 97, 1}, [3]byte{33, 102, 172}, [3]byte{}
	half[0], half[1], half[2] = Diverging(0.5, 1)
	want := [][3]byte{o, KernelGapRGB, bl, KernelGapRGB, half}
	for x, c := range want {
		if got := [3]byte(rgba[4*x : 4*x+3]); got != c || rgba[4*x+3] != 255 {
			t.Errorf("pixel %d = %v alpha %d, want %v", x, got, rgba[4*x+3], c)
		}
	}
	// Two 2x2 filters over four channels: a 2x2 block of kernels, 5x5
	// pixels, with the gutter cross in the middle; filter 1's weights.
	w4 := make([]float32, 2*2*4*2) // HWIO
	for i := range w4 {
		w4[i] = float32(i%2) * 0.5 // filter 1: 0.5, filter 0: 0
	}
	b = FilterBank{K: 2, In: 4, Out: 2, Scale: 1, W: w4}
	rgba, w, h = b.Block(1)
	if w != 5 || h != 5 || [3]byte(rgba[4*(2*5+2):]) != KernelGapRGB || [3]byte(rgba[0:3]) != half || [3]byte(rgba[4*(4*5+4):]) != half {
		t.Errorf("4-channel block: %dx%d, centre %v, corners %v %v", w, h, rgba[4*12:4*12+3], rgba[0:3], rgba[4*24:4*24+3])
	}
}

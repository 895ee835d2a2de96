package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

// denseModel is an untrained model of a flatten-dense-softmax network.
func denseModel(t *testing.T, in nn.Shape, classes int) *Model {
	t.Helper()
	net, err := nn.Build(nn.Spec{Input: in, Mean: 0.1, Std: 0.3, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: classes}, {Type: "softmax"}}}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	return &Model{Net: net, Classes: make([]string, classes)}
}

func testImage(h, w int) []float32 {
	img := make([]float32, h*w)
	for i := range img {
		img[i] = float32((i*7)%11) / 10
	}
	return img
}

// TestPredictAnyInput: a 28x28 picture gets probabilities from networks of
// any input size and channel count.
func TestPredictAnyInput(t *testing.T) {
	img := testImage(28, 28)
	for _, in := range []nn.Shape{{H: 28, W: 28, C: 1}, {H: 24, W: 24, C: 1}, {H: 32, W: 32, C: 1},
		{H: 28, W: 28, C: 3}, {H: 14, W: 14, C: 2}, {H: 1, W: 1, C: 1}, {H: 40, W: 20, C: 4}} {
		m := denseModel(t, in, 7)
		p, err := m.Predict(img, 28, 28)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		sum := 0.0
		for _, v := range p {
			sum += float64(v)
		}
		if len(p) != 7 || math.Abs(sum-1) > 1e-5 {
			t.Errorf("%s: %d probabilities summing to %v", in, len(p), sum)
		}
	}
	if _, err := denseModel(t, nn.Shape{H: 28, W: 28, C: 1}, 2).Predict(img[:700], 28, 28); err == nil {
		t.Error("700 values taken for a 28x28 image")
	}
}

// TestPredictChannels: a three-channel network sees the picture in every
// channel: with the weights of all channels but k zero, it answers exactly
// as the one-channel network with channel k's weights.
func TestPredictChannels(t *testing.T) {
	img := testImage(28, 28)
	for k := range 3 {
		rgb := denseModel(t, nn.Shape{H: 28, W: 28, C: 3}, 4)
		gray := denseModel(t, nn.Shape{H: 28, W: 28, C: 1}, 4)
		w3, w1 := rgb.Net.Params()[0].W, gray.Net.Params()[0].W // rows: inputs, (y*W+x)*C+c
		for i := range 28 * 28 {
			for u := range 4 {
				w1[i*4+u] = w3[(i*3+k)*4+u]
				for c := range 3 {
					if c != k {
						w3[(i*3+c)*4+u] = 0
					}
				}
			}
		}
		p3, _ := rgb.Predict(img, 28, 28)
		p3 = slices.Clone(p3)
		p1, _ := gray.Predict(img, 28, 28)
		for i := range p1 {
			if math.Abs(float64(p1[i]-p3[i])) > 1e-6 {
				t.Fatalf("channel %d: three channels %v, one channel %v", k, p3, p1)
			}
		}
	}
}

func TestResample(t *testing.T) {
	// Same size: unchanged.
	img := testImage(5, 7)
	got := make([]float32, 35)
	resample(got, 5, 7, img, 5, 7)
	if !slices.Equal(got, img) {
		t.Errorf("same size: %v, want %v", got, img)
	}
	// 1x2 to 1x4: pixel centres at -0.25, 0.25, 0.75, 1.25 of the source.
	got = make([]float32, 4)
	resample(got, 1, 4, []float32{0, 1}, 1, 2)
	if want := []float32{0, 0.25, 0.75, 1}; !slices.Equal(got, want) {
		t.Errorf("1x2 to 1x4: %v, want %v", got, want)
	}
	// A constant picture stays constant at any size.
	flat := slices.Repeat([]float32{0.6}, 28*28)
	got = make([]float32, 32*45)
	resample(got, 32, 45, flat, 28, 28)
	for _, v := range got {
		if math.Abs(float64(v)-0.6) > 1e-6 {
			t.Fatalf("constant picture resampled to %v", v)
		}
	}
}

package inspect

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/nntest"
)

// TestAnyValidNetwork: for 300 random valid architectures (any input size,
// 1 to 4 channels, 1 to 1000 classes), every computation the inspect views
// make on a 28x28 drawing and on a 10-class 28x28 test set either works,
// with results of the right shape, or returns an error: none panics. The
// evaluation works exactly when the classes match the set's.
func TestAnyValidNetwork(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	set := randomSet(rng, 24, 28, 28, 10)
	img := set.Image(3)
	evals, mismatched := 0, 0
	for i := range 300 {
		spec := nntest.RandomSpec(rng)
		net, err := nn.Build(spec, rand.New(rand.NewPCG(uint64(i), 1)))
		if err != nil {
			t.Fatalf("%+v: %v", spec, err)
		}
		fits, err := inspectAll(net, set, img)
		if err != nil {
			t.Errorf("%+v: %v", spec, err)
		}
		if fits {
			evals++
		} else {
			mismatched++
		}
	}
	t.Logf("300 architectures: %d evaluated on the test set, %d refused for their classes", evals, mismatched)
	if evals < 30 || mismatched < 30 {
		t.Errorf("%d evaluated, %d refused: the draw should give plenty of both", evals, mismatched)
	}
}

// inspectAll runs every inspect computation on net and reports whether
// the evaluation on set ran, or what went wrong (a panic included).
func inspectAll(net *nn.Network, set *dataset.Set, img []float32) (evaluated bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	k, in := net.Classes(), net.InShape()
	stages, err := Activations(net, img, 28, 28)
	if err != nil {
		return false, fmt.Errorf("Activations: %w", err)
	}
	if len(stages) != len(net.Layers)+1 || stages[0].Shape != in || len(stages[0].Values) != in.Size() {
		return false, fmt.Errorf("Activations: %d stages, input %v", len(stages), stages[0].Shape)
	}
	for _, s := range stages {
		if s.Maps() && s.Shape.C > 0 {
			s.Channel(nil, s.Shape.C-1)
		}
	}
	_, d := PenultimateLayer(net)
	if f, err := Penultimate(net, img, 28, 28); err != nil || len(f) != d {
		return false, fmt.Errorf("Penultimate: %d features of %d, %v", len(f), d, err)
	}
	class := nn.Argmax(net.Predict(make([]float32, in.Size())))
	g, err := Gradient(net, img, 28, 28, class)
	if (err == nil) != (class < 256) || (err == nil && len(g) != 28*28) {
		return false, fmt.Errorf("Gradient of class %d: %d values, %v", class, len(g), err)
	}
	if m, err := Occlusion(net, img, 28, 28, k-1, 7, 7, 4); err != nil || len(m) != 28*28 {
		return false, fmt.Errorf("Occlusion: %d values, %v", len(m), err)
	}
	for _, bad := range []int{-1, k} {
		if _, err := Gradient(net, img, 28, 28, bad); err == nil {
			return false, fmt.Errorf("Gradient of class %d of %d: no error", bad, k)
		}
		if _, err := NewOccluder(net, img, 28, 28, bad, 7, 7, 4); err == nil {
			return false, fmt.Errorf("NewOccluder of class %d of %d: no error", bad, k)
		}
	}
	if _, err := Activations(net, img[1:], 28, 28); err == nil {
		return false, errors.New("Activations of a short image: no error")
	}
	for _, b := range Filters(net) {
		b.Block(b.Out - 1)
	}
	Templates(net)
	if rows := Diagram(net); len(rows) != len(net.Layers)+1 {
		return false, fmt.Errorf("Diagram: %d rows", len(rows))
	}
	e, err := NewEvaluation(net, set, set.N)
	var mismatch *ClassMismatch
	switch {
	case k != len(set.Classes) && !errors.As(err, &mismatch):
		return false, fmt.Errorf("NewEvaluation with %d classes for a set of %d: %v", k, len(set.Classes), err)
	case k != len(set.Classes):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("NewEvaluation: %w", err)
	}
	e.Run(net, set, 5)
	total := 0
	for _, row := range e.Confusion() {
		for _, c := range row {
			total += c
		}
	}
	if total != set.N {
		return false, fmt.Errorf("the confusion matrix counts %d of %d images", total, set.N)
	}
	e.Wrong(5)
	e.Cell(k-1, 0)
	e.Top(0, 3)
	if p, err := FitPCA(e.Features, e.N, e.D); err == nil {
		p.ProjectAll(e.Features, e.N)
		p.Explained()
	}
	return true, nil
}

// randomSet returns n random h×w images with labels of k classes.
func randomSet(rng *rand.Rand, n, h, w, k int) *dataset.Set {
	s := &dataset.Set{Name: "random", N: n, H: h, W: w, Images: make([]float32, n*h*w), Labels: make([]uint8, n), Classes: make([]string, k)}
	for i := range s.Images {
		s.Images[i] = rng.Float32()
	}
	for i := range s.Labels {
		s.Labels[i] = uint8(i % k)
	}
	for c := range s.Classes {
		s.Classes[c] = fmt.Sprint(c)
	}
	return s
}

// TestGradientResampled: for a network whose input is smaller and has
// three channels, Gradient agrees with central differences of the
// class's log-probability through model.Input's resampling.
func TestGradientResampled(t *testing.T) {
	spec := nn.Spec{Input: nn.Shape{H: 14, W: 14, C: 3}, Mean: 0.1, Std: 0.5,
		Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 4}, {Type: "softmax"}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	img := make([]float32, 28*28)
	for i := range img {
		img[i] = rng.Float32()
	}
	const class = 2
	g := must(Gradient(net, img, 28, 28, class))(t)
	logp := func(img []float32) float64 {
		x := make([]float32, spec.Input.Size())
		mustInput(net, x, img, 28, 28)
		return math.Log(float64(net.Predict(x)[class]))
	}
	const eps = 1e-2
	for _, p := range []int{0, 29, 300, 405, 783} {
		up, down := slices.Clone(img), slices.Clone(img)
		up[p] += eps
		down[p] -= eps
		fd := math.Abs(logp(up)-logp(down)) / (2 * eps)
		if !near(float64(g[p]), fd, 1e-3+0.02*fd) {
			t.Errorf("pixel %d: gradient %v, central difference %v", p, g[p], fd)
		}
	}
}

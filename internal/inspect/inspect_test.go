package inspect

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestDiverging(t *testing.T) {
	cases := []struct {
		v, scale float32
		r, g, b  uint8
	}{
		{0, 1, 255, 255, 255},
		{1, 1, 230, 97, 1},
		{5, 1, 230, 97, 1}, // saturates
		{-1, 1, 33, 102, 172},
		{-0.5, 1, 144, 179, 214},
		{3, 0, 255, 255, 255}, // no scale: white
	}
	for _, c := range cases {
		r, g, b := Diverging(c.v, c.scale)
		if r != c.r || g != c.g || b != c.b {
			t.Errorf("Diverging(%v, %v) = %d,%d,%d, want %d,%d,%d", c.v, c.scale, r, g, b, c.r, c.g, c.b)
		}
	}
	if m := MaxAbs([]float32{0.5, -2, 1}); m != 2 {
		t.Errorf("MaxAbs = %v, want 2", m)
	}
}

func TestConvolveIdentity(t *testing.T) {
	img := make([]float32, 28*28)
	for i := range img {
		img[i] = float32(i%29) / 28
	}
	id := Kernels[0].W
	out, oh, ow, err := Convolve(img, 28, 28, id, 3, 1, 1)
	if err != nil || oh != 28 || ow != 28 || !slices.Equal(out, img) {
		t.Fatalf("identity with padding 1: %dx%d, err %v, equal %v", oh, ow, err, slices.Equal(out, img))
	}
	// Without padding the identity crops one pixel on every side.
	out, oh, ow, _ = Convolve(img, 28, 28, id, 3, 1, 0)
	if oh != 26 || ow != 26 || out[0] != img[29] || out[26*26-1] != img[26*28+26] {
		t.Errorf("identity without padding: %dx%d, corners %v %v", oh, ow, out[0], out[26*26-1])
	}
	// Stride 2 keeps every other pixel.
	out, oh, ow, _ = Convolve(img, 28, 28, id, 3, 2, 1)
	if oh != 14 || ow != 14 || out[14+1] != img[2*28+2] {
		t.Errorf("identity stride 2: %dx%d, out[1][1] %v want %v", oh, ow, out[15], img[2*28+2])
	}
}

func TestConvolveByHand(t *testing.T) {
	// 3x3 image, 2x2 kernel, no padding: each output is a 2x2 window's
	// weighted sum.
	img := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	k := []float32{1, 0, 0, -1}
	out, oh, ow, err := Convolve(img, 3, 3, k, 2, 1, 0)
	want := []float32{1 - 5, 2 - 6, 4 - 8, 5 - 9}
	if err != nil || oh != 2 || ow != 2 || !slices.Equal(out, want) {
		t.Errorf("Convolve = %v (%dx%d, %v), want %v", out, oh, ow, err, want)
	}
	// Padding 1: the top-left output sees only img[0] under k[3].
	out, oh, _, _ = Convolve(img, 3, 3, k, 2, 1, 1)
	if oh != 4 || out[0] != -1 {
		t.Errorf("padded: %d rows, out[0] = %v, want 4 rows and -1", oh, out[0])
	}
	if _, _, _, err := Convolve(img, 3, 3, make([]float32, 25), 5, 1, 0); err == nil {
		t.Error("a 5x5 kernel fits a 3x3 image")
	}
	if _, _, _, err := Convolve(img, 3, 3, k, 2, 0, 0); err == nil {
		t.Error("stride 0 accepted")
	}
}

func TestExplainSize(t *testing.T) {
	if got, want := ExplainSize(28, 3, 1, 1), "(28 + 2×1 − 3) / 1 + 1 = 28"; got != want {
		t.Errorf("ExplainSize = %q, want %q", got, want)
	}
	if OutSize(28, 5, 2, 0) != 12 {
		t.Errorf("OutSize(28, 5, 2, 0) = %d, want 12", OutSize(28, 5, 2, 0))
	}
	if got := ExplainSize(28, 5, 2, 0); got != "(28 + 2×0 − 5) / 2 + 1 = 12 (the division rounds down: the last 1 pixels are skipped)" {
		t.Errorf("ExplainSize(28, 5, 2, 0) = %q", got)
	}
}

func TestMaxPool(t *testing.T) {
	img := []float32{
		1, 2, 0, 0,
		3, 4, 0, 9,
		-1, -2, 5, 5,
		-3, -4, 5, 6,
	}
	out, oh, ow, err := MaxPool(img, 4, 4, 2, 2)
	if err != nil || oh != 2 || ow != 2 || !slices.Equal(out, []float32{4, 9, -1, 6}) {
		t.Errorf("MaxPool 2/2 = %v %dx%d %v", out, oh, ow, err)
	}
	out, oh, ow, _ = MaxPool(img, 4, 4, 3, 1)
	if oh != 2 || ow != 2 || !slices.Equal(out, []float32{5, 9, 5, 9}) {
		t.Errorf("MaxPool 3/1 = %v", out)
	}
}

func TestPCALine(t *testing.T) {
	// Points on the line y = 2x in 2-D: one axis carries all the variance.
	var f []float32
	for _, x := range []float32{-2, -1, 0, 1, 2, 3} {
		f = append(f, x, 2*x)
	}
	p, err := FitPCA(f, 6, 2)
	if err != nil {
		t.Fatal(err)
	}
	s := 1 / math.Sqrt(5)
	if !near(p.Axes[0][0], s, 1e-9) || !near(p.Axes[0][1], 2*s, 1e-9) {
		t.Errorf("first axis %v, want (1, 2)/√5", p.Axes[0])
	}
	if !near(p.Mean[0], 0.5, 1e-9) || !near(p.Mean[1], 1, 1e-9) {
		t.Errorf("mean %v, want (0.5, 1)", p.Mean)
	}
	// Sample variance of x is 3.5; along the line it is 5×3.5.
	if !near(p.Var[0], 17.5, 1e-9) || !near(p.Var[1], 0, 1e-9) || !near(p.Explained(), 1, 1e-12) {
		t.Errorf("variances %v, explained %v", p.Var, p.Explained())
	}
	// A new point on the line projects to its distance from the mean
	// along it; a point off the line has a second coordinate.
	x, y := p.Project([]float32{1.5, 3})
	if !near(x, math.Sqrt(5), 1e-6) || !near(y, 0, 1e-6) {
		t.Errorf("Project(1.5, 3) = %v, %v, want √5, 0", x, y)
	}
	_, y = p.Project([]float32{0.5 - 2, 1 + 1})
	if !near(math.Abs(y), math.Sqrt(5), 1e-6) {
		t.Errorf("off-line point: |y| = %v, want √5", math.Abs(y))
	}
	if xy := p.ProjectAll(f, 6); !near(xy[0], -2.5*math.Sqrt(5), 1e-6) {
		t.Errorf("ProjectAll first x = %v", xy[0])
	}
	if _, err := FitPCA(f[:2], 1, 2); err == nil {
		t.Error("PCA of one point succeeded")
	}
}

func TestConfusionCells(t *testing.T) {
	// A 2-class evaluation by hand: images 0,1 are class 0; 2,3,4 class 1.
	e := &Evaluation{N: 5, K: 2, Done: 5,
		Labels: []uint8{0, 0, 1, 1, 1},
		Preds:  []int{0, 1, 1, 0, 0},
		Probs:  []float32{0.9, 0.1, 0.4, 0.6, 0.2, 0.8, 0.7, 0.3, 0.95, 0.05},
	}
	want := [][]int{{1, 1}, {2, 1}}
	c := e.Confusion()
	if !slices.Equal(c[0], want[0]) || !slices.Equal(c[1], want[1]) {
		t.Errorf("Confusion = %v, want %v", c, want)
	}
	if got := e.Cell(1, 0); !slices.Equal(got, []int{4, 3}) {
		t.Errorf("Cell(1, 0) = %v, want [4 3] (most confident first)", got)
	}
	if got := e.Cell(0, 0); !slices.Equal(got, []int{0}) {
		t.Errorf("Cell(0, 0) = %v, want [0]", got)
	}
	if got := e.Wrong(2); !slices.Equal(got, []int{4, 3}) {
		t.Errorf("Wrong(2) = %v, want [4 3]", got)
	}
	if got := e.Wrong(10); !slices.Equal(got, []int{4, 3, 1}) {
		t.Errorf("Wrong(10) = %v, want [4 3 1]", got)
	}
	if a := e.Accuracy(); !near(a, 0.4, 1e-12) {
		t.Errorf("Accuracy = %v, want 0.4", a)
	}
	top := e.Top(1, 2)
	if top[0] != (ClassProb{1, 0.6}) || top[1] != (ClassProb{0, 0.4}) {
		t.Errorf("Top(1, 2) = %v", top)
	}
}

// pixelNet is a 4x4 → 2-class network whose class-0 logit is 10 times pixel
// (1,1) and whose class-1 logit is 0.
func pixelNet(t *testing.T) *nn.Network {
	t.Helper()
	net, err := nn.Build(nn.Spec{Input: nn.Shape{H: 4, W: 4, C: 1}, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: 2}, {Type: "softmax"},
	}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	w := make([]float32, net.ParamCount())
	w[5*2+0] = 10 // W[in 5][out 0]
	if err := net.SetWeights(w); err != nil {
		t.Fatal(err)
	}
	return net
}

func TestOcclusion(t *testing.T) {
	net := pixelNet(t)
	// Occluding a blank image changes nothing.
	blank := make([]float32, 16)
	for _, v := range must(Occlusion(net, blank, 4, 4, 0, 2, 2, 3))(t) {
		if v != 0 {
			t.Fatalf("occlusion of a blank image is not zero: %v", v)
		}
	}
	// With pixel (1,1) lit, only the square at (0,0) covers it: its four
	// pixels lose p0 − ½, the rest nothing.
	img := make([]float32, 16)
	img[5] = 1
	p0 := 1 / (1 + math.Exp(-10))
	m := must(Occlusion(net, img, 4, 4, 0, 2, 2, 3))(t)
	for i, v := range m {
		want := 0.0
		if y, x := i/4, i%4; y < 2 && x < 2 {
			want = p0 - 0.5
		}
		if !near(float64(v), want, 1e-6) {
			t.Errorf("occlusion[%d] = %v, want %v", i, v, want)
		}
	}
	// Overlapping squares (stride 1) average: pixel (0,0) is covered once,
	// pixel (1,1) by four squares, each of which hides it.
	m = must(Occlusion(net, img, 4, 4, 0, 2, 1, 4))(t)
	if !near(float64(m[5]), p0-0.5, 1e-6) || !near(float64(m[0]), p0-0.5, 1e-6) || m[15] != 0 {
		t.Errorf("stride 1: %v", m)
	}
	// Step by step, as the page runs it over frames: 9 squares in batches
	// of 4 take 3 steps, and the map does not depend on the batching.
	o := must(NewOccluder(net, img, 4, 4, 0, 2, 1, 4))(t)
	if o.Batches() != 3 {
		t.Fatalf("%d batches, want 3", o.Batches())
	}
	for i, want := range []bool{false, false, true, true} {
		if done := o.Step(); done != want {
			t.Fatalf("step %d reported done %v, want %v", i+1, done, want)
		}
	}
	one := must(Occlusion(net, img, 4, 4, 0, 2, 1, 1))(t)
	for i, v := range o.Map() {
		if !near(float64(v), float64(one[i]), 1e-6) {
			t.Errorf("stepped occlusion[%d] = %v, one square at a time %v", i, v, one[i])
		}
	}
}

func TestGradientSaliency(t *testing.T) {
	net := pixelNet(t)
	img := make([]float32, 16)
	img[5] = 0.2
	g := must(Gradient(net, img, 4, 4, 0))(t)
	// loss = −log p0 with p0 = σ(10·x5): |dloss/dx5| = 10(1 − p0).
	p0 := 1 / (1 + math.Exp(-2))
	for i, v := range g {
		want := 0.0
		if i == 5 {
			want = 10 * (1 - p0)
		}
		if !near(float64(v), want, 1e-5) {
			t.Errorf("gradient[%d] = %v, want %v", i, v, want)
		}
	}
}

func convSpec() nn.Spec {
	return nn.Spec{Input: nn.Shape{H: 8, W: 8, C: 1}, Mean: 0.1, Std: 0.3, Layers: []nn.LayerSpec{
		{Type: "conv", Filters: 3, Size: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Size: 2},
		{Type: "conv", Filters: 4, Size: 3}, {Type: "relu"},
		{Type: "flatten"}, {Type: "dense", Units: 6}, {Type: "relu"}, {Type: "dense", Units: 3}, {Type: "softmax"},
	}}
}

func TestFiltersAndStages(t *testing.T) {
	net, err := nn.Build(convSpec(), rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	banks := Filters(net)
	if len(banks) != 2 || banks[0].K != 3 || banks[0].In != 1 || banks[0].Out != 3 || banks[1].In != 3 || banks[1].Out != 4 {
		t.Fatalf("banks: %+v", banks)
	}
	b := banks[1]
	k := b.Kernel(nil, 2, 1)
	// HWIO: [y][x][in][out].
	if k[1*3+2] != b.W[((1*3+2)*3+1)*4+2] || b.Scale != MaxAbs(net.Layers[3].Params()[0].W) {
		t.Error("Kernel does not read HWIO")
	}
	if _, _, _, _, ok := Templates(net); ok {
		t.Error("Templates of a convnet")
	}

	img := make([]float32, 64)
	for i := range img {
		img[i] = float32(i%7) / 7
	}
	st := must(Activations(net, img, 8, 8))(t)
	if len(st) != len(net.Layers)+1 || st[0].Layer != "input" {
		t.Fatalf("%d stages", len(st))
	}
	sh := func(h, w, c int) nn.Shape { return nn.Shape{H: h, W: w, C: c} }
	wantShape := []nn.Shape{sh(8, 8, 1), sh(8, 8, 3), sh(8, 8, 3), sh(4, 4, 3), sh(2, 2, 4), sh(2, 2, 4), sh(1, 1, 16)}
	wantFilter := []int{-1, 0, 0, 0, 1, 1, -1}
	for i, s := range wantShape {
		if st[i].Shape != s || st[i].Filter != wantFilter[i] {
			t.Errorf("stage %d (%s): shape %v filter %d, want %v %d", i, st[i].Layer, st[i].Shape, st[i].Filter, s, wantFilter[i])
		}
	}
	if st[0].Values[0] != (0-0.1)/0.3 {
		t.Errorf("input stage is not normalised: %v", st[0].Values[0])
	}
	// relu1 is max(0, conv1) channel by channel.
	c0, r0 := st[1].Channel(nil, 2), st[2].Channel(nil, 2)
	for i := range c0 {
		if r0[i] != max(c0[i], 0) {
			t.Fatalf("relu channel 2 pixel %d: %v from %v", i, r0[i], c0[i])
		}
	}

	rows := Diagram(net)
	params, flops := 0, 0
	for _, r := range rows {
		params += r.Params
		flops += r.FLOPs
	}
	if len(rows) != len(net.Layers)+1 || params != net.ParamCount() || flops != net.FLOPs() {
		t.Errorf("diagram: %d rows, %d params, %d FLOPs", len(rows), params, flops)
	}
	if rows[1].What != "3 filters of 3x3x1, padding 1" || rows[3].What != "maximum of each 2x2 window, stride 2" {
		t.Errorf("diagram text: %q, %q", rows[1].What, rows[3].What)
	}
}

func TestTemplates(t *testing.T) {
	spec, _ := nn.Preset("mlp")
	net, err := nn.Build(spec, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	tpl, h, w, scale, ok := Templates(net)
	if !ok || len(tpl) != 512 || h != 28 || w != 28 {
		t.Fatalf("Templates: %d units %dx%d ok %v", len(tpl), h, w, ok)
	}
	W := net.Layers[1].Params()[0].W
	if tpl[7][100] != W[100*512+7] || scale != MaxAbs(W) {
		t.Error("template does not hold unit 7's weights")
	}
}

func TestEvaluationFeatures(t *testing.T) {
	net, err := nn.Build(convSpec(), rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	layer, d := PenultimateLayer(net)
	if layer != 7 || d != 6 {
		t.Fatalf("PenultimateLayer = %d, %d, want 7 (relu after dense1), 6", layer, d)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	set := &dataset.Set{N: 11, H: 8, W: 8, Images: make([]float32, 11*64), Labels: make([]uint8, 11), Classes: []string{"a", "b", "c"}}
	for i := range set.Images {
		set.Images[i] = rng.Float32()
	}
	for i := range set.Labels {
		set.Labels[i] = uint8(i % 3)
	}
	e := must(NewEvaluation(net, set, 100))(t)
	steps := 0
	for !e.Step(net, set, 4) {
		steps++
	}
	if e.N != 11 || steps != 2 {
		t.Errorf("N %d after %d steps", e.N, steps)
	}
	for i := 0; i < set.N; i++ {
		f := must(Penultimate(net, set.Image(i), 8, 8))(t)
		for j := range f {
			if !near(float64(f[j]), float64(e.Features[i*d+j]), 1e-5) {
				t.Fatalf("image %d feature %d: batch %v, alone %v", i, j, e.Features[i*d+j], f[j])
			}
		}
		if e.Preds[i] != nn.Argmax(e.Probs[i*3:(i+1)*3]) {
			t.Fatalf("image %d: prediction is not the argmax", i)
		}
	}
	total := 0
	for _, row := range e.Confusion() {
		for _, c := range row {
			total += c
		}
	}
	if total != 11 {
		t.Errorf("confusion counts %d images", total)
	}
	if _, err := FitPCA(e.Features, e.N, e.D); err != nil {
		t.Error(err)
	}
}

// must returns v, failing the test at once on an error: must(f(…))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

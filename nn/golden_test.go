package nn

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// goldenTensor is one tensor of testdata/golden/convnet.json, written by
// TensorFlow.js's cpu backend (see testdata/golden/make_golden.js).
type goldenTensor struct {
	Shape []int     `json:"shape"`
	Data  []float32 `json:"data"`
}

func loadGolden(t *testing.T) (map[string]goldenTensor, float64, []uint8) {
	t.Helper()
	raw, err := os.ReadFile("../testdata/golden/convnet.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	g := map[string]goldenTensor{}
	var loss float64
	var labels []uint8
	for k, v := range all {
		switch k {
		case "meta":
		case "loss":
			json.Unmarshal(v, &loss)
		case "labels":
			json.Unmarshal(v, &labels)
		default:
			var gt goldenTensor
			if err := json.Unmarshal(v, &gt); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			g[k] = gt
		}
	}
	return g, loss, labels
}

func compareGolden(t *testing.T, name string, got []float32, want goldenTensor) {
	t.Helper()
	if len(got) != len(want.Data) {
		t.Errorf("%s: %d values, golden has %d", name, len(got), len(want.Data))
		return
	}
	for i, w := range want.Data {
		if math.Abs(float64(got[i]-w)) > 1e-5*(1+math.Abs(float64(w))) {
			t.Errorf("%s[%d] = %.7g, TensorFlow.js says %.7g", name, i, got[i], w)
			return
		}
	}
}

// TestGoldenConvNet compares a small conv net's outputs, loss and every
// gradient with TensorFlow.js.
func TestGoldenConvNet(t *testing.T) {
	g, loss, labels := loadGolden(t)
	spec := Spec{Input: Shape{9, 9, 2}, Layers: []LayerSpec{
		{Type: "conv", Filters: 4, Size: 3, Pad: 1}, {Type: "relu"},
		{Type: "maxpool", Size: 2},
		{Type: "conv", Filters: 3, Size: 3, Stride: 2, Pad: 1}, {Type: "tanh"},
		{Type: "flatten"},
		{Type: "dense", Units: 6}, {Type: "sigmoid"},
		{Type: "dense", Units: 5}, {Type: "softmax"},
	}}
	net, err := Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		copy(p.W, g[p.Name].Data)
		if len(g[p.Name].Data) != len(p.W) {
			t.Fatalf("%s: golden has %d values, layer has %d", p.Name, len(g[p.Name].Data), len(p.W))
		}
	}
	x := g["x"].Data
	dx := make([]float32, len(x))
	net.ZeroGrad()
	gotLoss, _ := net.InputGradient(dx, x, labels, 2, Pass{})
	if math.Abs(gotLoss-loss) > 1e-6 {
		t.Errorf("loss %.8g, TensorFlow.js says %.8g", gotLoss, loss)
	}
	outs := []string{"conv1.out", "relu1.out", "pool1.out", "conv2.out", "tanh2.out",
		"flatten.out", "dense1.out", "sigmoid1.out", "dense2.out", "probs"}
	for i, name := range outs {
		compareGolden(t, name, net.Output(i), g[name])
		// grad.relu1.out includes all-zero pooling windows: like TensorFlow.js,
		// MaxPool sends their gradient to the window's first element.
		if name != "probs" {
			compareGolden(t, "grad."+name, net.grads[i], g["grad."+name])
		}
	}
	compareGolden(t, "grad.x", dx, g["grad.x"])
	for _, p := range net.Params() {
		compareGolden(t, "grad."+p.Name, p.G, g["grad."+p.Name])
	}
}

// TestGoldenLayers checks the layers the network above does not use against
// TensorFlow.js: average pooling, overlapping max pooling, leaky ReLU and a
// strided unpadded 2x2 convolution, for f = Σ layer(x)⊙g.
func TestGoldenLayers(t *testing.T) {
	g, _, _ := loadGolden(t)
	in := Shape{9, 9, 2}
	x := g["x"].Data
	for _, c := range []struct {
		key string
		ls  LayerSpec
	}{
		{"avgpool3s2", LayerSpec{Type: "avgpool", Size: 3, Stride: 2}},
		{"maxpool3s2", LayerSpec{Type: "maxpool", Size: 3, Stride: 2}},
		{"leakyrelu0.1", LayerSpec{Type: "leakyrelu", Alpha: 0.1}},
		{"conv2x2s2", LayerSpec{Type: "conv", Filters: 3, Size: 2, Stride: 2}},
	} {
		l, err := buildLayer("layer", c.ls, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range l.Params() {
			p.alloc()
		}
		if ps := l.Params(); ps != nil {
			copy(ps[0].W, g[c.key+".w"].Data)
			copy(ps[1].W, g[c.key+".b"].Data)
		}
		out := make([]float32, 2*l.OutShape().Size())
		l.Forward(out, x, 2, Pass{})
		compareGolden(t, c.key+".out", out, g[c.key+".out"])
		din := make([]float32, len(x))
		l.Backward(din, g[c.key+".g"].Data, x, out, 2)
		compareGolden(t, c.key+".grad.x", din, g[c.key+".grad.x"])
		if ps := l.Params(); ps != nil {
			compareGolden(t, c.key+".grad.w", ps[0].G, g[c.key+".grad.w"])
			compareGolden(t, c.key+".grad.b", ps[1].G, g[c.key+".grad.b"])
		}
	}
}

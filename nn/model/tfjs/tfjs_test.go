package tfjs

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// testSpecs are small networks of every layer kind and padding case:
// Keras' "same" matches some paddings and not others.
func testSpecs() map[string]nn.Spec {
	return map[string]nn.Spec{
		"same-pads": {Input: nn.Shape{H: 9, W: 9, C: 1}, Mean: 0.1, Std: 0.3, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 3, Size: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Size: 2},
			{Type: "flatten"}, {Type: "dense", Units: 4}, {Type: "softmax"}}},
		"explicit-pads": {Input: nn.Shape{H: 8, W: 7, C: 2}, Init: "glorot", Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 3, Size: 3, Stride: 2, Pad: 1}, {Type: "leakyrelu", Alpha: 0.2},
			{Type: "conv", Filters: 2, Size: 2, Pad: 1}, {Type: "tanh"}, {Type: "avgpool", Size: 2, Stride: 1},
			{Type: "dropout", Rate: 0.5}, {Type: "dense", Units: 3}, {Type: "sigmoid"},
			{Type: "dense", Units: 3}, {Type: "softmax"}}},
		"vector": {Input: nn.Shape{H: 1, W: 1, C: 5}, Layers: []nn.LayerSpec{
			{Type: "dense", Units: 2}, {Type: "softmax"}}},
		"conv-to-classes": {Input: nn.Shape{H: 4, W: 4, C: 1}, Std: 2, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 3, Size: 4}, {Type: "softmax"}}},
	}
}

func testModel(t testing.TB, spec nn.Spec, seed uint64) *model.Model {
	t.Helper()
	net, err := nn.Build(spec, rand.New(rand.NewPCG(seed, 7)))
	if err != nil {
		t.Fatal(err)
	}
	w := net.WeightData()
	r := rand.New(rand.NewPCG(seed, 8))
	for i := range w { // biases too, so that a bias lost shows
		w[i] += float32(r.NormFloat64() * 0.1)
	}
	classes := make([]string, net.Classes())
	for i := range classes {
		classes[i] = string(rune('a'+i)) + "é"
	}
	return &model.Model{Net: net, Classes: classes, Record: model.Record{Dataset: "mnist", Epochs: 2, Seed: seed, Command: "cnn train"}}
}

// kerasClasses returns the class names of the layers in model.json.
func kerasClasses(t testing.TB, mj []byte) []string {
	t.Helper()
	ls := topologyLayers(t, mj)
	var cs []string
	for _, l := range ls {
		cs = append(cs, l["class_name"].(string))
	}
	return cs
}

// topologyLayers returns the layer list of a Sequential model.json.
func topologyLayers(t testing.TB, mj []byte) []map[string]any {
	t.Helper()
	var f struct {
		ModelTopology struct {
			Config struct{ Layers []map[string]any }
		}
	}
	if err := json.Unmarshal(mj, &f); err != nil {
		t.Fatal(err)
	}
	return f.ModelTopology.Config.Layers
}

// TestEncodeLayers: the Keras layers each spec becomes, with the padding
// cases and the Flattens Keras needs.
func TestEncodeLayers(t *testing.T) {
	want := map[string][]string{
		"same-pads":       {"Rescaling", "Conv2D", "Activation", "MaxPooling2D", "Flatten", "Dense", "Activation"},
		"explicit-pads":   {"ZeroPadding2D", "Conv2D", "LeakyReLU", "ZeroPadding2D", "Conv2D", "Activation", "AveragePooling2D", "Dropout", "Flatten", "Dense", "Activation", "Dense", "Activation"},
		"vector":          {"Flatten", "Dense", "Activation"},
		"conv-to-classes": {"Rescaling", "Conv2D", "Flatten", "Activation"},
	}
	for name, spec := range testSpecs() {
		files, err := Encode(testModel(t, spec, 1))
		if err != nil {
			t.Fatal(err)
		}
		if got := kerasClasses(t, files[0].Data); !slices.Equal(got, want[name]) {
			t.Errorf("%s: layers %v, want %v", name, got, want[name])
		}
	}
}

// TestEncodeNormalisation: (x-mean)/std becomes Rescaling(1/std, -mean/std).
func TestEncodeNormalisation(t *testing.T) {
	files, err := Encode(testModel(t, testSpecs()["same-pads"], 1))
	if err != nil {
		t.Fatal(err)
	}
	cfg := topologyLayers(t, files[0].Data)[0]["config"].(map[string]any)
	if s, o := cfg["scale"].(float64), cfg["offset"].(float64); s != 1/float64(float32(0.3)) || o != -float64(float32(0.1))/float64(float32(0.3)) {
		t.Errorf("Rescaling scale %v offset %v", s, o)
	}
	if shape := cfg["batch_input_shape"]; !slices.Equal(shape.([]any), []any{nil, 9.0, 9.0, 1.0}) {
		t.Errorf("batch_input_shape %v", shape)
	}
}

// TestSameIsPad compares sameIsPad with the windows themselves: Keras'
// "same" and cnnplay's padding must start the same windows, as many.
func TestSameIsPad(t *testing.T) {
	for n := 1; n <= 12; n++ {
		for k := 1; k <= 6; k++ {
			for s := 1; s <= 4; s++ {
				for p := 0; p < k; p++ {
					if k > n+2*p {
						continue
					}
					// Keras: ceil(n/s) windows, the first at -floor(total/2).
					kn := (n + s - 1) / s
					total := max((kn-1)*s+k-n, 0)
					keras := windows(kn, s, -(total / 2))
					ours := windows((n+2*p-k)/s+1, s, -p)
					if got, want := sameIsPad(n, k, s, p), slices.Equal(keras, ours); got != want {
						t.Errorf("n %d k %d stride %d pad %d: sameIsPad %v; windows Keras %v cnnplay %v", n, k, s, p, got, keras, ours)
					}
				}
			}
		}
	}
}

func windows(count, stride, first int) []int {
	w := make([]int, count)
	for i := range w {
		w[i] = first + i*stride
	}
	return w
}

// TestRoundTrip: Decode(Encode(m)) has m's weights bit for bit, its
// classes, record and predictions, and encodes to the same files.
func TestRoundTrip(t *testing.T) {
	for name, spec := range testSpecs() {
		t.Run(name, func(t *testing.T) {
			m := testModel(t, spec, 2)
			files, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(files)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, m, got)
			again, err := Encode(got)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(files) {
				t.Fatalf("%d files, then %d", len(files), len(again))
			}
			for i := range files {
				if files[i].Name != again[i].Name || !bytes.Equal(files[i].Data, again[i].Data) {
					t.Errorf("export → import → export changed %s:\n%s\n%s", files[i].Name, files[i].Data, again[i].Data)
				}
			}
		})
	}
}

// checkSame fails unless got has want's weights, classes, record,
// normalisation and predictions.
func checkSame(t *testing.T, want, got *model.Model) {
	t.Helper()
	if !slices.Equal(want.Net.WeightData(), got.Net.WeightData()) {
		t.Error("weights differ")
	}
	if !slices.Equal(want.Classes, got.Classes) || want.Record != got.Record {
		t.Errorf("classes %q record %+v, want %q %+v", got.Classes, got.Record, want.Classes, want.Record)
	}
	ws, gs := want.Net.Spec, got.Net.Spec
	if gs.Input != ws.Input || gs.Mean != ws.Mean || max(gs.Std, 1) != max(ws.Std, 1) {
		t.Errorf("input %v mean %v std %v, want %v %v %v", gs.Input, gs.Mean, gs.Std, ws.Input, ws.Mean, ws.Std)
	}
	in := want.Net.InShape()
	x := make([]float32, in.Size())
	r := rand.New(rand.NewPCG(3, 3))
	for range 5 {
		for i := range x {
			x[i] = r.Float32()
		}
		a := slices.Clone(want.Net.Predict(x))
		if b := got.Net.Predict(x); !slices.Equal(a, b) {
			t.Errorf("predictions %v, want %v", b, a)
		}
	}
}

// TestShards: the keras preset's 4.8 MB of weights take two shards, which
// read back.
func TestShards(t *testing.T) {
	spec, err := nn.Preset("keras")
	if err != nil {
		t.Fatal(err)
	}
	m := testModel(t, spec, 4)
	files, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 || files[1].Name != "group1-shard1of2.bin" || len(files[1].Data) != shardBytes || len(files[1].Data)+len(files[2].Data) != 4*m.Net.ParamCount() {
		t.Fatalf("files %d: %s %d bytes", len(files), files[1].Name, len(files[1].Data))
	}
	var zipped bytes.Buffer
	if err := WriteZip(&zipped, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadZip(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, m, got)
}

package onnx

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
	"google.golang.org/protobuf/proto"
)

// testSpecs are every preset and small nets of every layer kind cnnplay
// has, in the orders that need care: a dense layer straight on a volume, a
// flatten followed by a softmax, a conv after a dense.
func testSpecs(t testing.TB) map[string]nn.Spec {
	specs := map[string]nn.Spec{
		"kinds": {Input: nn.Shape{H: 7, W: 6, C: 2}, Mean: 0.2, Std: 0.5, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 3, Size: 3, Stride: 2, Pad: 1}, {Type: "leakyrelu", Alpha: 0.2},
			{Type: "avgpool", Size: 2, Stride: 1}, {Type: "dropout", Rate: 0.3}, {Type: "tanh"},
			{Type: "dense", Units: 5}, {Type: "sigmoid"}, {Type: "dense", Units: 4}, {Type: "leakyrelu"}, {Type: "softmax"}}},
		"flatten-softmax": {Input: nn.Shape{H: 2, W: 3, C: 2}, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 2, Size: 1}, {Type: "flatten"}, {Type: "softmax"}}},
		"conv-after-dense": {Input: nn.Shape{H: 4, W: 4, C: 1}, Mean: 0.5, Layers: []nn.LayerSpec{
			{Type: "maxpool", Size: 2, Stride: 1}, {Type: "dense", Units: 6}, {Type: "relu"},
			{Type: "conv", Filters: 3, Size: 1}, {Type: "softmax"}}},
	}
	for _, name := range nn.PresetNames() {
		s, err := nn.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		specs[name] = s
	}
	return specs
}

// testModel builds spec with seeded random weights, biases included.
func testModel(t testing.TB, spec nn.Spec, seed uint64) *model.Model {
	rng := rand.New(rand.NewPCG(seed, 7))
	net, err := nn.Build(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		if p.Dims[len(p.Dims)-1] == p.Size() { // a bias: not zero, to be seen
			for i := range p.W {
				p.W[i] = float32(rng.NormFloat64() * 0.1)
			}
		}
	}
	classes := make([]string, net.Classes())
	for i := range classes {
		classes[i] = string(rune('a' + i%26))
	}
	return &model.Model{Net: net, Classes: classes, Record: model.Record{Dataset: "mnist", Epochs: 3, Seed: seed, TestAcc: 0.5, Command: "test"}}
}

func marshal(t testing.TB, m *model.Model) []byte {
	t.Helper()
	b, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// randomInputs returns n prepared inputs of net's shape.
func randomInputs(net *nn.Network, n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n*net.InShape().Size())
	for i := range x {
		x[i] = rng.Float32()
	}
	return x
}

// TestRoundTrip: export → import keeps the architecture (dropout aside,
// which inference omits, and flattening, which the graph makes explicit),
// the weights bit for bit, the class names and the record; export again
// gives the same bytes for the presets, and for every net once imported.
func TestRoundTrip(t *testing.T) {
	for name, spec := range testSpecs(t) {
		t.Run(name, func(t *testing.T) {
			m := testModel(t, spec, 3)
			b := marshal(t, m)
			got, err := Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			want := inferenceLayers(spec.Layers)
			if g := inferenceLayers(got.Net.Spec.Layers); !slices.Equal(g, want) {
				t.Errorf("layers\n got %v\nwant %v", g, want)
			}
			if got.Net.Spec.Input != spec.Input || got.Net.Spec.Mean != spec.Mean || got.Net.Spec.Std != spec.Std {
				t.Errorf("input %v mean %v std %v, want %v %v %v", got.Net.Spec.Input, got.Net.Spec.Mean, got.Net.Spec.Std, spec.Input, spec.Mean, spec.Std)
			}
			if !slices.Equal(got.Net.Weights(), m.Net.Weights()) {
				t.Error("weights differ")
			}
			if !slices.Equal(got.Classes, m.Classes) || got.Record != m.Record {
				t.Errorf("classes %v record %+v, want %v %+v", got.Classes, got.Record, m.Classes, m.Record)
			}
			again := marshal(t, got)
			if _, preset := nn.Preset(name); preset == nil && !bytes.Equal(again, b) {
				t.Errorf("export → import → export: %d bytes, first export %d bytes, not the same", len(again), len(b))
			}
			got2, err := Unmarshal(again)
			if err != nil {
				t.Fatal(err)
			}
			if third := marshal(t, got2); !bytes.Equal(third, again) || !slices.Equal(got2.Net.Weights(), m.Net.Weights()) {
				t.Error("a second export → import → export changed the model")
			}
			x := randomInputs(m.Net, 3, 9)
			p1 := slices.Clone(m.Net.Forward(x, 3, nn.Pass{}))
			p2 := got.Net.Forward(x, 3, nn.Pass{})
			for i := range p1 {
				if math.Abs(float64(p1[i]-p2[i])) > 1e-6 {
					t.Fatalf("probability %d: %v imported, %v original", i, p2[i], p1[i])
				}
			}
		})
	}
}

// inferenceLayers is layers without dropout and flatten and with nn's
// defaults filled in, as an import reads them back.
func inferenceLayers(layers []nn.LayerSpec) []nn.LayerSpec {
	var out []nn.LayerSpec
	for _, l := range layers {
		switch l.Type {
		case "dropout", "flatten":
			continue
		case "conv":
			l.Stride = max(l.Stride, 1)
		case "maxpool", "avgpool":
			if l.Stride == 0 {
				l.Stride = l.Size
			}
		case "leakyrelu":
			if l.Alpha == 0 {
				l.Alpha = 0.01
			}
			l.Alpha = float64(float32(l.Alpha))
		}
		out = append(out, l)
	}
	return out
}

// TestExportLayout checks the graph's interface and where single weights
// land: a conv weight [ky][kx][ci][fo] at ONNX's [fo][ci][ky][kx], a dense
// row of cnnplay's HWC position (y,x,c) at the CHW position a plain
// Flatten of the NCHW volume gives it.
func TestExportLayout(t *testing.T) {
	spec := nn.Spec{Input: nn.Shape{H: 5, W: 5, C: 2}, Mean: 0.1, Std: 0.3, Layers: []nn.LayerSpec{
		{Type: "conv", Filters: 3, Size: 3}, {Type: "relu"}, {Type: "flatten"}, {Type: "dense", Units: 4}, {Type: "softmax"}}}
	m := testModel(t, spec, 1)
	var mp pb.ModelProto
	if err := proto.Unmarshal(marshal(t, m), &mp); err != nil {
		t.Fatal(err)
	}
	if mp.GetOpsetImport()[0].GetVersion() < 13 {
		t.Errorf("opset %d", mp.GetOpsetImport()[0].GetVersion())
	}
	var ops []string
	for _, n := range mp.Graph.Node {
		ops = append(ops, n.GetOpType())
	}
	if want := []string{"Sub", "Div", "Conv", "Relu", "Flatten", "Gemm", "Softmax"}; !slices.Equal(ops, want) {
		t.Errorf("ops %v, want %v", ops, want)
	}
	dims := func(v *pb.ValueInfoProto) []int64 {
		var d []int64
		for _, x := range v.GetType().GetTensorType().GetShape().GetDim() {
			d = append(d, x.GetDimValue())
		}
		return d
	}
	if d := dims(mp.Graph.Input[0]); !slices.Equal(d, []int64{0, 2, 5, 5}) || mp.Graph.Input[0].GetName() != InputName {
		t.Errorf("input %q %v, want [N,2,5,5]", mp.Graph.Input[0].GetName(), d)
	}
	if d := dims(mp.Graph.Output[0]); !slices.Equal(d, []int64{0, 4}) || mp.Graph.Output[0].GetName() != OutputName {
		t.Errorf("output %q %v, want [N,4]", mp.Graph.Output[0].GetName(), d)
	}
	init := map[string]*pb.TensorProto{}
	for _, i := range mp.Graph.Initializer {
		init[i.GetName()] = i
	}
	at := func(name string, i int) float32 {
		return math.Float32frombits(binary.LittleEndian.Uint32(init[name].RawData[4*i:]))
	}
	cw, dw := m.Net.Params()[0], m.Net.Params()[2]
	if d := init["conv1.w"].Dims; !slices.Equal(d, []int64{3, 2, 3, 3}) {
		t.Fatalf("conv weights %v, want OIHW [3 2 3 3]", d)
	}
	// [ky=2][kx=1][ci=1][fo=2] → [fo=2][ci=1][ky=2][kx=1]
	if got, want := at("conv1.w", ((2*2+1)*3+2)*3+1), cw.W[((2*3+1)*2+1)*3+2]; got != want {
		t.Errorf("conv weight %v, want %v", got, want)
	}
	// the conv's output is 3x3x3; row (y=1,x=2,c=0) in HWC is (c=0,y=1,x=2) in CHW
	hwc, chw := (1*3+2)*3+0, (0*3+1)*3+2
	for u := range 4 {
		if got, want := at("dense1.w", chw*4+u), dw.W[hwc*4+u]; got != want {
			t.Errorf("dense weight row %d unit %d: %v, want %v", chw, u, got, want)
		}
	}
	meta := map[string]string{}
	for _, e := range mp.MetadataProps {
		meta[e.GetKey()] = e.GetValue()
	}
	if meta[MetaClasses] != `["a","b","c","d"]` || meta[MetaDataset] != "mnist" || meta[MetaRecord] == "" {
		t.Errorf("metadata %v", meta)
	}
}

func TestExportRefusesWhatItCannotMap(t *testing.T) {
	m := testModel(t, nn.Spec{Input: nn.Shape{H: 2, W: 2, C: 1}, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 2}, {Type: "softmax"}}}, 1)
	m.Classes = m.Classes[:1]
	if _, err := Marshal(m); err == nil {
		t.Error("one class name for two classes exported")
	}
}

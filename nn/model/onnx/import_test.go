package onnx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

// smallSpec: conv, pool, flatten, two dense layers, so both conventions
// for the weights after a flatten show.
var smallSpec = nn.Spec{Input: nn.Shape{H: 6, W: 6, C: 1}, Layers: []nn.LayerSpec{
	{Type: "conv", Filters: 3, Size: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Size: 2},
	{Type: "flatten"}, {Type: "dense", Units: 5}, {Type: "tanh"}, {Type: "dense", Units: 3}, {Type: "softmax"}}}

// kerasStyle writes m (smallSpec) as Keras through tf2onnx emits such a
// net: an NHWC input transposed to NCHW for the Conv and back before the
// flatten (a Reshape to [-1,F]), each dense layer a MatMul of the
// [in,out] kernel in HWC order (Keras' own) and an Add of its bias.
func kerasStyle(m *model.Model) *pb.ModelProto {
	ps := m.Net.Params()
	b := &graphBuilder{g: &pb.GraphProto{Name: proto.String("keras")}, cur: "conv2d_input"}
	b.g.Input = []*pb.ValueInfoProto{valueInfo("conv2d_input", 6, 6, 1)}
	b.node("Transpose", "to_nchw", []string{b.cur}, intsAttr("perm", 0, 3, 1, 2))
	b.node("Conv", "conv2d", []string{b.cur, b.tensor("k0", hwioToOIHW(ps[0].W, 3, 1, 3), 3, 1, 3, 3), b.tensor("b0", ps[1].W, 3)},
		intsAttr("kernel_shape", 3, 3), intsAttr("pads", 1, 1, 1, 1), intsAttr("strides", 1, 1), intsAttr("dilations", 1, 1))
	b.node("Relu", "relu", []string{b.cur})
	b.node("MaxPool", "pool", []string{b.cur}, intsAttr("kernel_shape", 2, 2), intsAttr("strides", 2, 2))
	b.node("Transpose", "to_nhwc", []string{b.cur}, intsAttr("perm", 0, 2, 3, 1))
	b.node("Reshape", "flatten", []string{b.cur, b.int64s("shape", -1, 27)})
	b.node("MatMul", "dense_mm", []string{b.cur, b.tensor("k1", ps[2].W, 27, 5)})
	b.node("Add", "dense", []string{b.cur, b.tensor("b1", ps[3].W, 5)})
	b.node("Tanh", "tanh", []string{b.cur})
	b.node("MatMul", "dense_1_mm", []string{b.cur, b.tensor("k2", ps[4].W, 5, 3)})
	b.node("Add", "dense_1", []string{b.cur, b.tensor("b2", ps[5].W, 3)})
	b.node("Softmax", "softmax", []string{b.cur}, intAttr("axis", -1))
	b.g.Output = []*pb.ValueInfoProto{valueInfo(b.cur, 3)}
	return &pb.ModelProto{IrVersion: proto.Int64(7), Graph: b.g,
		OpsetImport: []*pb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(13)}}}
}

// pytorchStyle rewrites m's export as PyTorch's exporter writes a Linear:
// Gemm with transB=1 and the weights [out,in].
func pytorchStyle(t *testing.T, m *model.Model) *pb.ModelProto {
	var mp pb.ModelProto
	if err := proto.Unmarshal(marshal(t, m), &mp); err != nil {
		t.Fatal(err)
	}
	inits := map[string]*pb.TensorProto{}
	for _, i := range mp.Graph.Initializer {
		inits[i.GetName()] = i
	}
	for _, n := range mp.Graph.Node {
		if n.GetOpType() != "Gemm" {
			continue
		}
		w := inits[n.Input[1]]
		in, out := int(w.Dims[0]), int(w.Dims[1])
		v := make([]float32, in*out)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(w.RawData[4*i:]))
		}
		w.Dims, w.RawData = []int64{int64(out), int64(in)}, rawFloats(transpose(v, in, out))
		n.Attribute = append(n.Attribute, intAttr("transB", 1))
	}
	mp.MetadataProps = nil
	return &mp
}

// TestImportOtherConventions: the same net written as Keras and as
// PyTorch write it imports to the same weights and predictions.
func TestImportOtherConventions(t *testing.T) {
	m := testModel(t, smallSpec, 5)
	for name, mp := range map[string]*pb.ModelProto{"keras": kerasStyle(m), "pytorch": pytorchStyle(t, m)} {
		b, err := proto.Marshal(mp)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got.Net.Weights(), m.Net.Weights()) {
			t.Errorf("%s: weights differ", name)
		}
		if !slices.Equal(got.Classes, []string{"0", "1", "2"}) {
			t.Errorf("%s: classes %v, want 0 1 2 without metadata", name, got.Classes)
		}
		x := randomInputs(m.Net, 2, 4)
		p1 := slices.Clone(m.Net.Forward(x, 2, nn.Pass{}))
		if p2 := got.Net.Forward(x, 2, nn.Pass{}); !slices.Equal(p1, p2) {
			t.Errorf("%s: predictions %v, want %v", name, p2, p1)
		}
	}
}

// mutate returns m's export changed by f.
func mutate(t *testing.T, m *model.Model, f func(*pb.ModelProto)) []byte {
	var mp pb.ModelProto
	if err := proto.Unmarshal(marshal(t, m), &mp); err != nil {
		t.Fatal(err)
	}
	f(&mp)
	b, err := proto.Marshal(&mp)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportRejectsBadInput(t *testing.T) {
	m := testModel(t, smallSpec, 5)
	good := marshal(t, m)
	var cnn bytes.Buffer
	if err := m.Encode(&cnn); err != nil {
		t.Fatal(err)
	}
	node := func(mp *pb.ModelProto, op string) *pb.NodeProto {
		for _, n := range mp.Graph.Node {
			if n.GetOpType() == op {
				return n
			}
		}
		t.Fatalf("no %s", op)
		return nil
	}
	init := func(mp *pb.ModelProto, name string) *pb.TensorProto {
		for _, i := range mp.Graph.Initializer {
			if i.GetName() == name {
				return i
			}
		}
		t.Fatalf("no %s", name)
		return nil
	}
	// Many empty nodes: a few bytes of file each, hundreds of bytes of
	// memory each when decoded.
	var bomb []byte
	var graph []byte
	for range 200000 {
		graph = protowire.AppendTag(graph, 1, protowire.BytesType)
		graph = protowire.AppendBytes(graph, nil)
	}
	bomb = protowire.AppendTag(bomb, 7, protowire.BytesType)
	bomb = protowire.AppendBytes(bomb, graph)
	// Messages nested 100 deep: graph → node → attribute → graph …
	deep := []byte{}
	for range 100 {
		attr := protowire.AppendTag(nil, 6, protowire.BytesType)
		attr = protowire.AppendBytes(attr, deep)
		n := protowire.AppendTag(nil, 5, protowire.BytesType)
		n = protowire.AppendBytes(n, attr)
		deep = protowire.AppendTag(nil, 1, protowire.BytesType)
		deep = protowire.AppendBytes(deep, n)
	}
	deep = protowire.AppendBytes(protowire.AppendTag(nil, 7, protowire.BytesType), deep)

	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no graph"},
		{"truncated", good[:len(good)/2], "not an ONNX model"},
		{"a .cnn file", cnn.Bytes(), "not an ONNX model"},
		{"text", []byte("hello, world"), "not an ONNX model"},
		{"bomb", bomb, "refusing it"},
		{"deep", deep, "nest more than"},
		{"unsupported op", mutate(t, m, func(mp *pb.ModelProto) { node(mp, "Tanh").OpType = proto.String("Elu") }), `node 5 (Elu "tanh1"): operator Elu is not supported`},
		{"custom domain", mutate(t, m, func(mp *pb.ModelProto) { node(mp, "Relu").Domain = proto.String("com.example") }), `node 1 (Relu "relu1"): operator domain`},
		{"opset", mutate(t, m, func(mp *pb.ModelProto) { mp.OpsetImport[0].Version = proto.Int64(99) }), "operator set version 99"},
		{"short weights", mutate(t, m, func(mp *pb.ModelProto) { i := init(mp, "conv1.w"); i.RawData = i.RawData[:8] }), `needs 108 bytes, the file holds 8`},
		{"huge declared tensor", mutate(t, m, func(mp *pb.ModelProto) { init(mp, "dense1.b").Dims = []int64{1 << 30, 1 << 30} }), `shape`},
		{"wrong weight shape", mutate(t, m, func(mp *pb.ModelProto) { init(mp, "conv1.w").Dims = []int64{3, 1, 9, 1} }), `weights "conv1.w" of shape [3 1 9 1]`},
		{"absurd kernel", mutate(t, m, func(mp *pb.ModelProto) { node(mp, "MaxPool").Attribute[0].Ints = []int64{1 << 40, 1 << 40} }), `kernel_shape [1099511627776 1099511627776]`},
		{"stride 0", mutate(t, m, func(mp *pb.ModelProto) { node(mp, "Conv").Attribute[1].Ints = []int64{0, 0} }), `strides [0 0]`},
		{"absurd input", mutate(t, m, func(mp *pb.ModelProto) {
			mp.Graph.Input[0].Type.GetTensorType().Shape.Dim[2].Value = &pb.TensorShapeProto_Dimension_DimValue{DimValue: 1 << 40}
		}), "needs sizes from 1 to 1024"},
		{"NaN weight", mutate(t, m, func(mp *pb.ModelProto) { copy(init(mp, "conv1.w").RawData, []byte{0, 0, 0xc0, 0x7f}) }), "is NaN"},
		{"external data", mutate(t, m, func(mp *pb.ModelProto) { init(mp, "conv1.w").DataLocation = pb.TensorProto_EXTERNAL.Enum() }), "outside the file"},
		{"no softmax", mutate(t, m, func(mp *pb.ModelProto) {
			mp.Graph.Node = mp.Graph.Node[:len(mp.Graph.Node)-1]
			mp.Graph.Output[0].Name = proto.String(mp.Graph.Node[len(mp.Graph.Node)-1].Output[0])
		}), "does not end in Softmax"},
		{"branch", mutate(t, m, func(mp *pb.ModelProto) { node(mp, "Relu").Input[0] = InputName }), `node 1 (Relu "relu1"): cnnplay reads a chain`},
		{"bad classes", mutate(t, m, func(mp *pb.ModelProto) { mp.MetadataProps[0].Value = proto.String(`["a"]`) }), "names 1 classes"},
	} {
		got, err := Unmarshal(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: model %v, error %v; want %q", c.name, got != nil, err, c.want)
		}
	}
	if _, err := Unmarshal(cnn.Bytes()); !errors.Is(err, ErrNotONNX) {
		t.Errorf("a .cnn file: %v is not ErrNotONNX", err)
	}
}

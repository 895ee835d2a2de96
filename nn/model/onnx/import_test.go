package onnx

import (
	"bytes"
	"errors"
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

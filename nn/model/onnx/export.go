package onnx

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"google.golang.org/protobuf/proto"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

// The graph's interface and the metadata_props keys Encode writes and
// Decode reads.
const (
	InputName  = "input"         // float32 [N,C,H,W], raw pixels in [0,1]
	OutputName = "probabilities" // float32 [N,classes]

	MetaClasses = "classes"         // JSON array of the class names
	MetaDataset = "dataset"         // the dataset's registry name (nn/dataset)
	MetaRecord  = "training_record" // JSON of model.Record
)

const (
	opsetVersion = 13
	irVersion    = 7 // the IR version of opset 13 (ONNX 1.8)
)

// Encode writes m as an ONNX model (see the package comment).
func Encode(w io.Writer, m *model.Model) error {
	b, err := Marshal(m)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Marshal returns m as the bytes of an ONNX model. The same model always
// gives the same bytes.
func Marshal(m *model.Model) ([]byte, error) {
	mp, err := toProto(m)
	if err != nil {
		return nil, err
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(mp)
}

// graphBuilder appends nodes and initializers to a graph, tracking the
// current tensor and its layout as the layers are lowered in turn.
type graphBuilder struct {
	g   *pb.GraphProto
	cur string // the tensor the next layer reads
	// flat: cur is [N,F] rather than [N,C,H,W].
	flat bool
	// chw, when flat, is the volume cur was flattened from in ONNX's CHW
	// order, where cnnplay's vectors are in HWC order: the next dense layer
	// reads its weights' rows in that order (nil when the orders agree).
	chw *nn.Shape
}

func toProto(m *model.Model) (*pb.ModelProto, error) {
	net := m.Net
	if len(m.Classes) != net.Classes() {
		return nil, fmt.Errorf("onnx: %d class names for a network with %d classes", len(m.Classes), net.Classes())
	}
	in := net.InShape()
	b := &graphBuilder{g: &pb.GraphProto{Name: proto.String("cnnplay")}, cur: InputName}
	b.g.Input = []*pb.ValueInfoProto{valueInfo(InputName, in.C, in.H, in.W)}
	spec := net.Spec
	if spec.Mean != 0 {
		b.node("Sub", "normalise_mean", []string{b.cur, b.scalar("mean", spec.Mean)})
	}
	if spec.Std > 0 {
		b.node("Div", "normalise_std", []string{b.cur, b.scalar("std", spec.Std)})
	}
	for i, l := range net.Layers {
		if err := b.layer(spec.Layers, i, l); err != nil {
			return nil, err
		}
	}
	b.g.Output = []*pb.ValueInfoProto{valueInfo(OutputName, net.Classes())}
	meta, err := metadata(m)
	if err != nil {
		return nil, err
	}
	return &pb.ModelProto{
		IrVersion:       proto.Int64(irVersion),
		OpsetImport:     []*pb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(opsetVersion)}},
		ProducerName:    proto.String("cnnplay"),
		ProducerVersion: proto.String("1"),
		DocString:       proto.String("A cnnplay classifier. Input: float32 [N,C,H,W] of raw pixels in [0,1] (pixel/255), white on black as MNIST has it; the normalisation is inside the graph. Output: float32 [N,classes] of class probabilities; the class names are in metadata_props[\"classes\"]."),
		Graph:           b.g,
		MetadataProps:   meta,
	}, nil
}

// layer lowers cnnplay layer i (l, of spec layers) into ONNX nodes.
func (b *graphBuilder) layer(layers []nn.LayerSpec, i int, l nn.Layer) error {
	ls, name := layers[i], l.Name()
	last := i == len(layers)-1
	switch ls.Type {
	case "conv":
		ps := l.Params()
		w, bias := ps[0], ps[1]
		k, c, f := w.Dims[0], w.Dims[2], w.Dims[3]
		stride := max(ls.Stride, 1)
		b.unflatten(l.InShape())
		b.node("Conv", name, []string{b.cur, b.tensor(w.Name, hwioToOIHW(w.W, k, c, f), f, c, k, k), b.tensor(bias.Name, bias.W, f)},
			intsAttr("kernel_shape", k, k), intsAttr("strides", stride, stride),
			intsAttr("pads", ls.Pad, ls.Pad, ls.Pad, ls.Pad), intsAttr("dilations", 1, 1), intAttr("group", 1))
	case "maxpool", "avgpool":
		op := map[string]string{"maxpool": "MaxPool", "avgpool": "AveragePool"}[ls.Type]
		stride := ls.Stride
		if stride == 0 {
			stride = ls.Size
		}
		b.unflatten(l.InShape())
		b.node(op, name, []string{b.cur}, intsAttr("kernel_shape", ls.Size, ls.Size), intsAttr("strides", stride, stride))
	case "dense":
		ps := l.Params()
		w, bias := ps[0], ps[1]
		b.flatten(name+"_flatten", l.InShape(), true)
		rows := w.W
		if b.chw != nil {
			rows = hwcRowsToCHW(w.W, *b.chw, w.Dims[1])
			b.chw = nil
		}
		b.node("Gemm", name, []string{b.cur, b.tensor(w.Name, rows, w.Dims...), b.tensor(bias.Name, bias.W, bias.Dims...)})
	case "flatten":
		b.flatten(name, l.InShape(), denseNext(layers[i+1:]))
	case "relu":
		b.node("Relu", name, []string{b.cur})
	case "tanh":
		b.node("Tanh", name, []string{b.cur})
	case "sigmoid":
		b.node("Sigmoid", name, []string{b.cur})
	case "leakyrelu":
		alpha := ls.Alpha
		if alpha == 0 {
			alpha = 0.01 // nn's default
		}
		b.node("LeakyRelu", name, []string{b.cur}, floatAttr("alpha", float32(alpha)))
	case "dropout":
		// Inference only: dropout is the identity.
	case "softmax":
		if !last {
			return fmt.Errorf("onnx: %s: softmax before the last layer is not exportable", name)
		}
		b.flatten(name+"_flatten", l.InShape(), false)
		b.node("Softmax", name, []string{b.cur}, intAttr("axis", 1))
	default:
		return fmt.Errorf("onnx: %s: layer type %q is not exportable", name, ls.Type)
	}
	if last {
		b.g.Node[len(b.g.Node)-1].Output[0] = OutputName
	}
	return nil
}

// flatten makes cur [N,F] from the volume in, if it is not flat already.
// Where a dense layer reads the result next (denseReads), a plain Flatten
// leaves the values in ONNX's CHW order and that layer's weights follow it,
// as PyTorch's nets have it; elsewhere a Transpose to NHWC first keeps
// cnnplay's HWC order, as Keras' nets have it.
func (b *graphBuilder) flatten(name string, in nn.Shape, denseReads bool) {
	if b.flat {
		return
	}
	if in.H*in.W > 1 {
		if denseReads {
			b.chw = &in
		} else {
			b.node("Transpose", name+"_nhwc", []string{b.cur}, intsAttr("perm", 0, 2, 3, 1))
		}
	}
	b.node("Flatten", name, []string{b.cur}, intAttr("axis", 1))
	b.flat = true
}

// unflatten makes cur [N,C,H,W] again for a layer that needs a volume:
// only a 1x1xC one can follow a flat tensor in cnnplay.
func (b *graphBuilder) unflatten(in nn.Shape) {
	if !b.flat {
		return
	}
	shape := b.int64s("shape_"+b.cur, -1, int64(in.C), int64(in.H), int64(in.W))
	b.node("Reshape", "reshape_"+b.cur, []string{b.cur, shape})
	b.flat, b.chw = false, nil
}

// denseNext reports whether the first layer of rest that is not an
// elementwise one is dense.
func denseNext(rest []nn.LayerSpec) bool {
	for _, ls := range rest {
		switch ls.Type {
		case "relu", "leakyrelu", "tanh", "sigmoid", "dropout", "flatten":
			continue
		}
		return ls.Type == "dense"
	}
	return false
}

// node appends a node whose output is named after it and makes that the
// current tensor.
func (b *graphBuilder) node(op, name string, inputs []string, attrs ...*pb.AttributeProto) {
	b.g.Node = append(b.g.Node, &pb.NodeProto{
		OpType: proto.String(op), Name: proto.String(name),
		Input: inputs, Output: []string{name}, Attribute: attrs,
	})
	b.cur = name
}

// tensor adds a float32 initializer and returns its name.
func (b *graphBuilder) tensor(name string, v []float32, dims ...int) string {
	raw := rawFloats(v)
	d := make([]int64, len(dims))
	for i, n := range dims {
		d[i] = int64(n)
	}
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{
		Name: proto.String(name), DataType: proto.Int32(int32(pb.TensorProto_FLOAT)), Dims: d, RawData: raw,
	})
	return name
}

// rawFloats returns v as ONNX's raw_data holds float32: little-endian.
func rawFloats(v []float32) []byte {
	raw := make([]byte, 0, 4*len(v))
	for _, x := range v {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(x))
	}
	return raw
}

// scalar adds a float32 scalar initializer.
func (b *graphBuilder) scalar(name string, v float32) string { return b.tensor(name, []float32{v}) }

// int64s adds a 1-D int64 initializer.
func (b *graphBuilder) int64s(name string, v ...int64) string {
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{
		Name: proto.String(name), DataType: proto.Int32(int32(pb.TensorProto_INT64)),
		Dims: []int64{int64(len(v))}, Int64Data: v,
	})
	return name
}

// valueInfo describes a float32 tensor of shape [N, dims...].
func valueInfo(name string, dims ...int) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{Dim: []*pb.TensorShapeProto_Dimension{{Value: &pb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}}}}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}})
	}
	return &pb.ValueInfoProto{Name: proto.String(name), Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
		TensorType: &pb.TypeProto_Tensor{ElemType: proto.Int32(int32(pb.TensorProto_FLOAT)), Shape: shape}}}}
}

func intAttr(name string, v int) *pb.AttributeProto {
	return &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_INT.Enum(), I: proto.Int64(int64(v))}
}

func floatAttr(name string, v float32) *pb.AttributeProto {
	return &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_FLOAT.Enum(), F: proto.Float32(v)}
}

func intsAttr(name string, v ...int) *pb.AttributeProto {
	ints := make([]int64, len(v))
	for i, x := range v {
		ints[i] = int64(x)
	}
	return &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_INTS.Enum(), Ints: ints}
}

func metadata(m *model.Model) ([]*pb.StringStringEntryProto, error) {
	classes, err := json.Marshal(m.Classes)
	if err != nil {
		return nil, err
	}
	record, err := json.Marshal(m.Record)
	if err != nil {
		return nil, err
	}
	entry := func(k, v string) *pb.StringStringEntryProto {
		return &pb.StringStringEntryProto{Key: proto.String(k), Value: proto.String(v)}
	}
	meta := []*pb.StringStringEntryProto{entry(MetaClasses, string(classes))}
	if m.Record.Dataset != "" {
		meta = append(meta, entry(MetaDataset, m.Record.Dataset))
	}
	return append(meta, entry(MetaRecord, string(record))), nil
}

// hwioToOIHW: w [k][k][c][f] (cnnplay) → [f][c][k][k] (ONNX).
func hwioToOIHW(w []float32, k, c, f int) []float32 {
	out := make([]float32, len(w))
	for ky := range k {
		for kx := range k {
			for ci := range c {
				for fo := range f {
					out[((fo*c+ci)*k+ky)*k+kx] = w[((ky*k+kx)*c+ci)*f+fo]
				}
			}
		}
	}
	return out
}

// oihwToHWIO is hwioToOIHW's inverse.
func oihwToHWIO(w []float32, k, c, f int) []float32 {
	out := make([]float32, len(w))
	for ky := range k {
		for kx := range k {
			for ci := range c {
				for fo := range f {
					out[((ky*k+kx)*c+ci)*f+fo] = w[((fo*c+ci)*k+ky)*k+kx]
				}
			}
		}
	}
	return out
}

// hwcRowsToCHW: a dense weight matrix [H·W·C][units] whose rows follow
// cnnplay's HWC order → the same matrix with rows in CHW order, as a plain
// Flatten of an NCHW tensor feeds them.
func hwcRowsToCHW(w []float32, s nn.Shape, units int) []float32 {
	out := make([]float32, len(w))
	for y := range s.H {
		for x := range s.W {
			for c := range s.C {
				copy(out[((c*s.H+y)*s.W+x)*units:][:units], w[((y*s.W+x)*s.C+c)*units:][:units])
			}
		}
	}
	return out
}

// chwRowsToHWC is hwcRowsToCHW's inverse.
func chwRowsToHWC(w []float32, s nn.Shape, units int) []float32 {
	out := make([]float32, len(w))
	for y := range s.H {
		for x := range s.W {
			for c := range s.C {
				copy(out[((y*s.W+x)*s.C+c)*units:][:units], w[((c*s.H+y)*s.W+x)*units:][:units])
			}
		}
	}
	return out
}

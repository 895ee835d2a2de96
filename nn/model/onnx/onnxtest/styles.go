// Package onnxtest writes cnnplay models as ONNX graphs the way other
// exporters do, for tests of the importer (package onnx) and of what ONNX
// Runtime makes of the same files (interop/):
//
//   - KerasStyle, as Keras models come out of tf2onnx: an NHWC input
//     transposed to NCHW before the first convolution, a Transpose back to
//     NHWC and a Reshape to [-1,F] where Keras flattens, each Dense layer a
//     MatMul of its [in,out] kernel (rows in HWC order) and an Add of its
//     bias, Softmax along the last axis;
//   - PyTorchStyle, as torch.onnx.export writes an nn.Sequential in eval
//     mode: NCHW, a plain Flatten, each Linear a Gemm with transB=1 and the
//     [out,in] weight (rows in CHW order, as PyTorch flattens), Softmax
//     along axis 1.
//
// Dropout is left out, as both exporters do in inference mode. Neither
// style has cnnplay's normalisation; where a model has one it is written
// as Sub and Div first, which the importer reads back.
package onnxtest

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

// KerasStyle returns m as Keras through tf2onnx writes it (see the package
// comment); its input is [N,H,W,C].
func KerasStyle(m *model.Model) ([]byte, error) { return write(m, true) }

// PyTorchStyle returns m as torch.onnx.export writes it; its input is
// [N,C,H,W].
func PyTorchStyle(m *model.Model) ([]byte, error) { return write(m, false) }

type layout int

const (
	nchw layout = iota
	nhwc
	flat
)

type writer struct {
	g     *pb.GraphProto
	cur   string
	n     int // nodes so far, for unique names
	keras bool
	lay   layout
	chw   *nn.Shape // PyTorch: cur was flattened from this NCHW volume
}

func write(m *model.Model, keras bool) ([]byte, error) {
	net := m.Net
	in := net.InShape()
	w := &writer{g: &pb.GraphProto{Name: proto.String("test")}, cur: "x", keras: keras}
	if keras {
		w.g.Input = []*pb.ValueInfoProto{valueInfo("x", in.H, in.W, in.C)}
		w.lay = nhwc
	} else {
		w.g.Input = []*pb.ValueInfoProto{valueInfo("x", in.C, in.H, in.W)}
	}
	if s := net.Spec; s.Mean != 0 || s.Std > 0 {
		w.node("Sub", []string{w.cur, w.floats("mean", []float32{s.Mean})})
		std := s.Std
		if std == 0 {
			std = 1
		}
		w.node("Div", []string{w.cur, w.floats("std", []float32{std})})
	}
	for i, l := range net.Layers {
		ls := net.Spec.Layers[i]
		switch ls.Type {
		case "conv", "maxpool", "avgpool":
			if w.lay == flat {
				return nil, fmt.Errorf("%s after a flat tensor has no %s form here", l.Name(), map[bool]string{true: "Keras", false: "PyTorch"}[keras])
			}
			if w.lay == nhwc {
				w.node("Transpose", []string{w.cur}, ints("perm", 0, 3, 1, 2))
				w.lay = nchw
			}
			if ls.Type == "conv" {
				p := l.Params()
				k, c, f := p[0].Dims[0], p[0].Dims[2], p[0].Dims[3]
				s := max(ls.Stride, 1)
				w.node("Conv", []string{w.cur, w.floats(w.name("W"), oihw(p[0].W, k, c, f), f, c, k, k), w.floats(w.name("B"), p[1].W, f)},
					ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", ls.Pad, ls.Pad, ls.Pad, ls.Pad))
				continue
			}
			s := ls.Stride
			if s == 0 {
				s = ls.Size
			}
			op := map[string]string{"maxpool": "MaxPool", "avgpool": "AveragePool"}[ls.Type]
			w.node(op, []string{w.cur}, ints("kernel_shape", ls.Size, ls.Size), ints("strides", s, s))
		case "flatten":
			w.flatten(l.InShape())
		case "dense":
			w.flatten(l.InShape())
			p := l.Params()
			rows, units := p[0].W, p[0].Dims[1]
			if w.chw != nil {
				rows = chwRows(rows, *w.chw, units)
				w.chw = nil
			}
			if keras {
				w.node("MatMul", []string{w.cur, w.floats(w.name("kernel"), rows, len(rows)/units, units)})
				w.node("Add", []string{w.cur, w.floats(w.name("bias"), p[1].W, units)})
				continue
			}
			w.node("Gemm", []string{w.cur, w.floats(w.name("weight"), transpose(rows, len(rows)/units, units), units, len(rows)/units), w.floats(w.name("bias"), p[1].W, units)},
				&pb.AttributeProto{Name: proto.String("transB"), Type: pb.AttributeProto_INT.Enum(), I: proto.Int64(1)})
		case "relu", "tanh", "sigmoid":
			w.node(map[string]string{"relu": "Relu", "tanh": "Tanh", "sigmoid": "Sigmoid"}[ls.Type], []string{w.cur})
		case "leakyrelu":
			alpha := float32(ls.Alpha)
			if alpha == 0 {
				alpha = 0.01
			}
			w.node("LeakyRelu", []string{w.cur}, &pb.AttributeProto{Name: proto.String("alpha"), Type: pb.AttributeProto_FLOAT.Enum(), F: proto.Float32(alpha)})
		case "dropout":
		case "softmax":
			w.flatten(l.InShape())
			axis := int64(1)
			if keras {
				axis = -1
			}
			w.node("Softmax", []string{w.cur}, &pb.AttributeProto{Name: proto.String("axis"), Type: pb.AttributeProto_INT.Enum(), I: proto.Int64(axis)})
		default:
			return nil, fmt.Errorf("%s: no form for layer type %q", l.Name(), ls.Type)
		}
	}
	w.g.Output = []*pb.ValueInfoProto{valueInfo(w.cur, net.Classes())}
	return proto.Marshal(&pb.ModelProto{
		IrVersion: proto.Int64(7), Graph: w.g, ProducerName: proto.String("onnxtest"),
		OpsetImport: []*pb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(13)}},
	})
}

// flatten makes cur [N,F]: Keras transposes to NHWC and reshapes, PyTorch
// flattens NCHW (and the next Linear's weights follow that order).
func (w *writer) flatten(in nn.Shape) {
	switch w.lay {
	case flat:
		return
	case nchw:
		if w.keras {
			w.node("Transpose", []string{w.cur}, ints("perm", 0, 2, 3, 1))
		} else if in.H*in.W > 1 {
			w.chw = &in
		}
	}
	if w.keras {
		shape := &pb.TensorProto{Name: proto.String(w.name("shape")), DataType: proto.Int32(int32(pb.TensorProto_INT64)),
			Dims: []int64{2}, Int64Data: []int64{-1, int64(in.Size())}}
		w.g.Initializer = append(w.g.Initializer, shape)
		w.node("Reshape", []string{w.cur, shape.GetName()})
	} else {
		w.node("Flatten", []string{w.cur})
	}
	w.lay = flat
}

func (w *writer) name(what string) string { return fmt.Sprintf("%s_%d", what, w.n) }

func (w *writer) node(op string, inputs []string, attrs ...*pb.AttributeProto) {
	w.n++
	out := fmt.Sprintf("%s_%d", op, w.n)
	w.g.Node = append(w.g.Node, &pb.NodeProto{OpType: proto.String(op), Name: proto.String(out), Input: inputs, Output: []string{out}, Attribute: attrs})
	w.cur = out
}

func (w *writer) floats(name string, v []float32, dims ...int) string {
	raw := make([]byte, 0, 4*len(v))
	for _, x := range v {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(x))
	}
	d := make([]int64, len(dims))
	for i, n := range dims {
		d[i] = int64(n)
	}
	w.g.Initializer = append(w.g.Initializer, &pb.TensorProto{Name: proto.String(name), DataType: proto.Int32(int32(pb.TensorProto_FLOAT)), Dims: d, RawData: raw})
	return name
}

func ints(name string, v ...int) *pb.AttributeProto {
	a := &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_INTS.Enum()}
	for _, x := range v {
		a.Ints = append(a.Ints, int64(x))
	}
	return a
}

func valueInfo(name string, dims ...int) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{Dim: []*pb.TensorShapeProto_Dimension{{Value: &pb.TensorShapeProto_Dimension_DimParam{DimParam: "batch"}}}}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}})
	}
	return &pb.ValueInfoProto{Name: proto.String(name), Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
		TensorType: &pb.TypeProto_Tensor{ElemType: proto.Int32(int32(pb.TensorProto_FLOAT)), Shape: shape}}}}
}

// oihw: cnnplay's [k][k][c][f] → ONNX's [f][c][k][k].
func oihw(w []float32, k, c, f int) []float32 {
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

// chwRows: rows of a [H·W·C][units] matrix from HWC order to CHW order.
func chwRows(w []float32, s nn.Shape, units int) []float32 {
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

// transpose: rows×cols → cols×rows.
func transpose(w []float32, rows, cols int) []float32 {
	out := make([]float32, len(w))
	for r := range rows {
		for c := range cols {
			out[c*rows+r] = w[r*cols+c]
		}
	}
	return out
}

package onnx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

// ErrNotONNX is wrapped by Decode's error for data that is not an ONNX
// model at all.
var ErrNotONNX = errors.New("not an ONNX model")

// Decode reads an ONNX classifier (see the package comment) into a cnnplay
// model. Any problem is an error that says what, naming the node and its
// index where one is at fault.
func Decode(r io.Reader) (*model.Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("onnx: reading: %w", err)
	}
	return Unmarshal(data)
}

// Unmarshal is Decode for bytes in memory.
func Unmarshal(data []byte) (*model.Model, error) {
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("onnx: file is larger than %d MiB", MaxFileBytes>>20)
	}
	var mp pb.ModelProto
	cost, err := decodeCost(data, mp.ProtoReflect().Descriptor(), 0)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w: the protobuf is malformed or truncated (%v)", ErrNotONNX, err)
	}
	if cost > costBudget(len(data)) {
		return nil, fmt.Errorf("onnx: the file declares %d MiB of protobuf messages for %d KiB of data; refusing it", cost>>20, len(data)>>10)
	}
	if err := proto.Unmarshal(data, &mp); err != nil {
		return nil, fmt.Errorf("onnx: %w: %v", ErrNotONNX, err)
	}
	if mp.Graph == nil || len(mp.Graph.Node) == 0 {
		return nil, fmt.Errorf("onnx: %w: it has no graph", ErrNotONNX)
	}
	if err := checkOpset(&mp); err != nil {
		return nil, err
	}
	return fromProto(&mp)
}

// checkOpset accepts models of the standard operator set from version 7
// (ONNX 1.2) on, whose operators Decode reads alike.
func checkOpset(mp *pb.ModelProto) error {
	for _, o := range mp.OpsetImport {
		if d := o.GetDomain(); d == "" || d == "ai.onnx" {
			if v := o.GetVersion(); v < 7 || v > 30 {
				return fmt.Errorf("onnx: operator set version %d; cnnplay reads versions 7 to 30", v)
			}
			return nil
		}
	}
	return errors.New("onnx: the model imports no standard operator set (domain \"\" or ai.onnx)")
}

// layout is how the current tensor holds one example.
type layout int

const (
	nchw layout = iota // a volume, channels first: every ONNX convolution's
	nhwc               // a volume, channels last: Keras' own, between Transposes
	flat               // a vector [N,F]
)

// importer walks a graph's nodes in order, as a chain of layers, building
// the cnnplay spec and weights.
type importer struct {
	inits   map[string]*pb.TensorProto
	cur     string   // the tensor the next node must read
	layout  layout   // of cur
	shape   nn.Shape // of one example of cur, as cnnplay sees it (HWC)
	chw     *nn.Shape
	spec    nn.Spec
	normed  int         // normalisation nodes seen: Sub, then Div or Mul
	weights [][]float32 // per parameter, in nn.Network.Params order
	// dense is the index in spec.Layers of the dense layer a MatMul just
	// made, whose bias an Add may give next; -1 otherwise.
	dense int
}

func fromProto(mp *pb.ModelProto) (*model.Model, error) {
	g := mp.Graph
	if len(g.Node) > MaxNodes {
		return nil, fmt.Errorf("onnx: the graph has %d nodes; at most %d are allowed", len(g.Node), MaxNodes)
	}
	im := &importer{inits: map[string]*pb.TensorProto{}, dense: -1}
	for _, t := range g.Initializer {
		im.inits[t.GetName()] = t
	}
	if len(g.SparseInitializer) > 0 {
		return nil, errors.New("onnx: sparse initializers are not supported")
	}
	if err := im.input(g); err != nil {
		return nil, err
	}
	for i, n := range g.Node {
		if err := im.read(n); err != nil {
			return nil, fmt.Errorf("onnx: node %d (%s %q): %w", i, n.GetOpType(), n.GetName(), err)
		}
	}
	if len(g.Output) != 1 || g.Output[0].GetName() != im.cur {
		return nil, fmt.Errorf("onnx: the graph's output must be the last node's output, %q, alone", im.cur)
	}
	if k := len(im.spec.Layers); k == 0 || im.spec.Layers[k-1].Type != "softmax" {
		return nil, errors.New("onnx: the graph does not end in Softmax: cnnplay reads classifiers that output class probabilities (export the model with its Softmax)")
	}
	return im.build(mp)
}

// input reads the graph's one input (graphs of IR before 4 also list the
// initializers as inputs): float32 [N,C,H,W], or [N,H,W,C] when the first
// node that is not normalisation transposes it to NCHW, as Keras' graphs do.
func (im *importer) input(g *pb.GraphProto) error {
	var in *pb.ValueInfoProto
	for _, v := range g.Input {
		if _, ok := im.inits[v.GetName()]; ok {
			continue
		}
		if in != nil {
			return fmt.Errorf("onnx: the graph has more than one input (%q, %q); cnnplay reads classifiers of one image input", in.GetName(), v.GetName())
		}
		in = v
	}
	if in == nil {
		return errors.New("onnx: the graph has no input")
	}
	tt := in.GetType().GetTensorType()
	if tt == nil || tt.GetElemType() != int32(pb.TensorProto_FLOAT) {
		return fmt.Errorf("onnx: input %q is not a float32 tensor", in.GetName())
	}
	dims := tt.GetShape().GetDim()
	if len(dims) != 4 {
		return fmt.Errorf("onnx: input %q has %d dimensions; cnnplay reads images, [N,C,H,W]", in.GetName(), len(dims))
	}
	var d [3]int
	for i, dim := range dims[1:] {
		v := dim.GetDimValue()
		if v < 1 || v > 1024 {
			return fmt.Errorf("onnx: input %q: dimension %d is %s; cnnplay needs sizes from 1 to 1024", in.GetName(), i+1, dimString(dim))
		}
		d[i] = int(v)
	}
	im.cur, im.layout, im.shape = in.GetName(), nchw, nn.Shape{H: d[1], W: d[2], C: d[0]}
	if channelsLast(g.Node, d) {
		im.layout, im.shape = nhwc, nn.Shape{H: d[0], W: d[1], C: d[2]}
	}
	im.spec.Input = im.shape
	return nil
}

// channelsLast reports whether an input of dims d (after the batch) is
// [H,W,C]: the first node that is not normalisation transposes it to NCHW,
// as Keras' graphs do; or, where the first is not a convolution or pooling
// (which take NCHW), it has a picture's few channels last and not first,
// as a Keras MLP's [N,28,28,1] has.
func channelsLast(nodes []*pb.NodeProto, d [3]int) bool {
	for _, n := range nodes {
		switch n.GetOpType() {
		case "Sub", "Div", "Mul", "Identity", "Constant":
			continue
		case "Transpose":
			p := attrInts(n, "perm")
			return len(p) == 4 && p[0] == 0 && p[1] == 3 && p[2] == 1 && p[3] == 2
		case "Conv", "MaxPool", "AveragePool":
			return false
		}
		break
	}
	return d[0] > 4 && d[2] <= 4
}

func dimString(d *pb.TensorShapeProto_Dimension) string {
	if p := d.GetDimParam(); p != "" {
		return strconv.Quote(p)
	}
	return strconv.FormatInt(d.GetDimValue(), 10)
}

// read maps one node onto the layers built so far.
func (im *importer) read(n *pb.NodeProto) error {
	if d := n.GetDomain(); d != "" && d != "ai.onnx" {
		return fmt.Errorf("operator domain %q is not supported", d)
	}
	op := n.GetOpType()
	if op == "Constant" {
		return im.constant(n)
	}
	if len(n.Input) == 0 || n.Input[0] != im.cur {
		return fmt.Errorf("cnnplay reads a chain of layers, and this node does not read the previous one's output %q", im.cur)
	}
	if len(n.Output) == 0 || n.Output[0] == "" {
		return errors.New("the node has no output")
	}
	for _, in := range n.Input[1:] {
		if _, ok := im.inits[in]; !ok && in != "" {
			return fmt.Errorf("input %q is neither a weight (initializer or Constant) nor the previous node's output", in)
		}
	}
	dense := im.dense
	im.dense = -1
	var err error
	switch op {
	case "Sub", "Div", "Mul":
		err = im.normalise(op, n)
	case "Identity":
	case "Conv":
		err = im.conv(n)
	case "MaxPool", "AveragePool":
		err = im.pool(op, n)
	case "Gemm":
		err = im.gemm(n)
	case "MatMul":
		err = im.matmul(n)
	case "Add":
		err = im.bias(n, dense)
	case "Flatten":
		if axis := attrInt(n, "axis", 1); axis != 1 {
			return fmt.Errorf("Flatten with axis %d; cnnplay flattens each example (axis 1)", axis)
		}
		err = im.flatten()
	case "Reshape":
		err = im.reshape(n)
	case "Transpose":
		err = im.transpose(n)
	case "Relu", "Tanh", "Sigmoid":
		im.add(nn.LayerSpec{Type: map[string]string{"Relu": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid"}[op]})
	case "LeakyRelu":
		im.add(nn.LayerSpec{Type: "leakyrelu", Alpha: float64(attrFloat(n, "alpha", 0.01))})
	case "Dropout":
		err = im.dropout(n)
	case "Softmax":
		err = im.softmax(n)
	default:
		return fmt.Errorf("operator %s is not supported (cnnplay reads Conv, MaxPool, AveragePool, Gemm, MatMul+Add, Flatten, Reshape, Transpose, Relu, LeakyRelu, Tanh, Sigmoid, Dropout, Identity and Softmax)", op)
	}
	if err != nil {
		return err
	}
	im.cur = n.Output[0]
	return nil
}

// build turns the spec and weights read into a model, checking them as
// package model checks a .cnn file's, before building the network.
func (im *importer) build(mp *pb.ModelProto) (*model.Model, error) {
	spec := im.spec
	if n := len(spec.Layers); n > model.MaxLayers {
		return nil, fmt.Errorf("onnx: the graph makes %d layers; at most %d are allowed", n, model.MaxLayers)
	}
	sum, err := nn.Analyze(spec)
	if err != nil {
		return nil, fmt.Errorf("onnx: the network it describes: %w", err)
	}
	acts := int64(spec.Input.Size())
	for _, l := range sum.Layers {
		acts += int64(l.Out.Size())
	}
	if 4*acts > model.MaxActivationBytes {
		return nil, fmt.Errorf("onnx: the activations of one example take %d MiB; at most %d MiB are allowed", 4*acts>>20, model.MaxActivationBytes>>20)
	}
	m := &model.Model{}
	if err := im.metadata(mp, m, sum.Classes); err != nil {
		return nil, err
	}
	net, err := nn.BuildEmpty(spec) // the weights come from the file
	if err != nil {
		return nil, fmt.Errorf("onnx: the network it describes: %w", err)
	}
	params := net.Params()
	if len(params) != len(im.weights) {
		return nil, fmt.Errorf("onnx: %d weight tensors for %d parameters", len(im.weights), len(params))
	}
	for i, p := range params {
		if len(im.weights[i]) != len(p.W) {
			return nil, fmt.Errorf("onnx: %s: %d weights, want %d", p.Name, len(im.weights[i]), len(p.W))
		}
		copy(p.W, im.weights[i])
		p.Changed()
	}
	m.Net = net
	return m, nil
}

// metadata reads the class names, dataset and training record Encode
// writes; a model from elsewhere gets the class names "0", "1", ….
func (im *importer) metadata(mp *pb.ModelProto, m *model.Model, classes int) error {
	for _, e := range mp.MetadataProps {
		switch e.GetKey() {
		case MetaClasses:
			if len(e.GetValue()) > model.MaxHeaderBytes {
				return errors.New("onnx: the class names are too long")
			}
			if err := json.Unmarshal([]byte(e.GetValue()), &m.Classes); err != nil {
				return fmt.Errorf("onnx: metadata %q is not a JSON list of names: %v", MetaClasses, err)
			}
			if len(m.Classes) != classes {
				return fmt.Errorf("onnx: metadata names %d classes; the network has %d", len(m.Classes), classes)
			}
		case MetaRecord:
			if len(e.GetValue()) > model.MaxHeaderBytes {
				return errors.New("onnx: the training record is too long")
			}
			if err := json.Unmarshal([]byte(e.GetValue()), &m.Record); err != nil {
				return fmt.Errorf("onnx: metadata %q is not a cnnplay training record: %v", MetaRecord, err)
			}
		}
	}
	for _, e := range mp.MetadataProps {
		if e.GetKey() == MetaDataset && m.Record.Dataset == "" {
			m.Record.Dataset = e.GetValue()
		}
	}
	if m.Classes == nil {
		for i := range classes {
			m.Classes = append(m.Classes, strconv.Itoa(i))
		}
	}
	return nil
}

package onnx

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
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

// add appends a layer; its caller updates the current shape.
func (im *importer) add(ls nn.LayerSpec) {
	im.spec.Layers = append(im.spec.Layers, ls)
}

// needVolume returns an error unless the current tensor is an NCHW volume.
func (im *importer) needVolume() error {
	switch im.layout {
	case nhwc:
		return errors.New("the tensor is channels-last (NHWC) here; ONNX's operator needs NCHW (a Transpose with perm [0,3,1,2] first)")
	case flat:
		return fmt.Errorf("the tensor is a vector of %d values here, not an image", im.shape.Size())
	}
	return nil
}

// normalise reads the graph's first nodes, (x - mean) / std, into the
// spec's normalisation.
func (im *importer) normalise(op string, n *pb.NodeProto) error {
	if len(im.spec.Layers) > 0 || len(n.Input) != 2 {
		return fmt.Errorf("%s is supported only at the start, normalising the input by a constant", op)
	}
	v, err := im.floats(n.Input[1], nil)
	if err != nil {
		return err
	}
	if len(v) != 1 {
		return fmt.Errorf("%s by %d values; cnnplay normalises every pixel by one mean and one std", op, len(v))
	}
	switch {
	case op == "Sub" && im.normed == 0:
		im.spec.Mean = v[0]
	case op == "Div" && im.normed < 2 && v[0] > 0:
		im.spec.Std = v[0]
	case op == "Mul" && im.normed < 2 && v[0] > 0:
		im.spec.Std = 1 / v[0]
	default:
		return fmt.Errorf("%s by %v: cnnplay normalises as (x - mean) / std with a positive std, Sub first", op, v[0])
	}
	im.normed = 2
	if op == "Sub" {
		im.normed = 1
	}
	return nil
}

func (im *importer) conv(n *pb.NodeProto) error {
	if err := im.needVolume(); err != nil {
		return err
	}
	if len(n.Input) < 2 {
		return errors.New("Conv without weights")
	}
	wt, ok := im.inits[n.Input[1]]
	if !ok {
		return fmt.Errorf("weights %q are not an initializer", n.Input[1])
	}
	d := wt.GetDims()
	if len(d) != 4 || d[1] != int64(im.shape.C) || d[2] != d[3] || d[0] < 1 || d[0] > 1024 || d[2] < 1 || d[2] > 32 {
		return fmt.Errorf("weights %q of shape %v; cnnplay needs [filters ≤ 1024, %d channels, k, k] with k ≤ 32", n.Input[1], d, im.shape.C)
	}
	f, c, k := int(d[0]), int(d[1]), int(d[2])
	if ks := attrInts(n, "kernel_shape"); ks != nil && !allEqual(ks, int64(k)) {
		return fmt.Errorf("kernel_shape %v does not match the weights' %dx%d", ks, k, k)
	}
	if g := attrInt(n, "group", 1); g != 1 {
		return fmt.Errorf("group %d: cnnplay has no grouped or depthwise convolutions", g)
	}
	if dl := attrInts(n, "dilations"); dl != nil && !allEqual(dl, 1) {
		return fmt.Errorf("dilations %v: cnnplay has no dilated convolutions", dl)
	}
	stride, err := square(n, "strides")
	if err != nil {
		return err
	}
	pad, err := im.pads(n, k, stride)
	if err != nil {
		return err
	}
	w, err := im.floats(n.Input[1], d)
	if err != nil {
		return err
	}
	b := make([]float32, f)
	if len(n.Input) > 2 && n.Input[2] != "" {
		if b, err = im.floats(n.Input[2], []int64{int64(f)}); err != nil {
			return err
		}
	}
	s := im.shape
	if k > s.H+2*pad || k > s.W+2*pad {
		return fmt.Errorf("a %dx%d kernel does not fit a %s input with padding %d", k, k, s, pad)
	}
	im.add(nn.LayerSpec{Type: "conv", Filters: f, Size: k, Stride: stride, Pad: pad})
	im.weights = append(im.weights, oihwToHWIO(w, k, c, f), b)
	im.shape = nn.Shape{H: (s.H+2*pad-k)/stride + 1, W: (s.W+2*pad-k)/stride + 1, C: f}
	return nil
}

// pads returns a convolution's padding, the same on every side, from pads
// or auto_pad (SAME keeps the size for an odd kernel and stride 1).
func (im *importer) pads(n *pb.NodeProto, k, stride int) (int, error) {
	switch a := attrString(n, "auto_pad"); a {
	case "", "NOTSET":
	case "VALID":
		return 0, nil
	case "SAME_UPPER", "SAME_LOWER":
		if stride != 1 || k%2 == 0 {
			return 0, fmt.Errorf("auto_pad %s with a %dx%d kernel and stride %d pads unevenly; cnnplay pads every side alike", a, k, k, stride)
		}
		return (k - 1) / 2, nil
	default:
		return 0, fmt.Errorf("auto_pad %q is not an ONNX padding", a)
	}
	p := attrInts(n, "pads")
	if p == nil {
		return 0, nil
	}
	if len(p) != 4 || !allEqual(p, p[0]) || p[0] < 0 || p[0] >= int64(k) {
		return 0, fmt.Errorf("pads %v; cnnplay pads every side alike, by less than the kernel size", p)
	}
	return int(p[0]), nil
}

func (im *importer) pool(op string, n *pb.NodeProto) error {
	if err := im.needVolume(); err != nil {
		return err
	}
	if len(n.Output) > 1 && n.Output[1] != "" {
		return errors.New("MaxPool's indices output is not supported")
	}
	k, err := square(n, "kernel_shape")
	if err != nil {
		return err
	}
	if attrInts(n, "kernel_shape") == nil {
		return errors.New("no kernel_shape")
	}
	stride, err := square(n, "strides")
	if err != nil {
		return err
	}
	if p := attrInts(n, "pads"); p != nil && !allEqual(p, 0) {
		return fmt.Errorf("pads %v: cnnplay's pooling does not pad", p)
	}
	if a := attrString(n, "auto_pad"); a != "" && a != "NOTSET" && a != "VALID" {
		return fmt.Errorf("auto_pad %s: cnnplay's pooling does not pad", a)
	}
	if attrInt(n, "ceil_mode", 0) != 0 {
		return errors.New("ceil_mode 1: cnnplay's pooling rounds its output size down")
	}
	if dl := attrInts(n, "dilations"); dl != nil && !allEqual(dl, 1) {
		return fmt.Errorf("dilations %v: cnnplay has no dilated pooling", dl)
	}
	if attrInt(n, "storage_order", 0) != 0 {
		return errors.New("storage_order 1 is not supported")
	}
	s := im.shape
	if k > s.H || k > s.W {
		return fmt.Errorf("a %dx%d window does not fit a %s input", k, k, s)
	}
	im.add(nn.LayerSpec{Type: map[string]string{"MaxPool": "maxpool", "AveragePool": "avgpool"}[op], Size: k, Stride: stride})
	im.shape = nn.Shape{H: (s.H-k)/stride + 1, W: (s.W-k)/stride + 1, C: s.C}
	return nil
}

// square reads a 2-D attribute whose two values must be equal (strides,
// kernel_shape), 1 when absent, at most 32 (nn's limit).
func square(n *pb.NodeProto, name string) (int, error) {
	v := attrInts(n, name)
	if v == nil {
		return 1, nil
	}
	if len(v) != 2 || v[0] != v[1] || v[0] < 1 || v[0] > 32 {
		return 0, fmt.Errorf("%s %v; cnnplay needs two equal values from 1 to 32", name, v)
	}
	return int(v[0]), nil
}

func (im *importer) gemm(n *pb.NodeProto) error {
	if attrFloat(n, "alpha", 1) != 1 || attrFloat(n, "beta", 1) != 1 || attrInt(n, "transA", 0) != 0 {
		return errors.New("Gemm with alpha or beta other than 1, or transA, is not a dense layer")
	}
	if len(n.Input) < 2 {
		return errors.New("Gemm without weights")
	}
	transB := attrInt(n, "transB", 0)
	if transB != 0 && transB != 1 {
		return fmt.Errorf("transB %d", transB)
	}
	if err := im.denseLayer(n.Input[1], transB == 1); err != nil {
		return err
	}
	if len(n.Input) > 2 && n.Input[2] != "" {
		return im.setBias(n.Input[2])
	}
	return nil
}

func (im *importer) matmul(n *pb.NodeProto) error {
	if len(n.Input) != 2 {
		return errors.New("MatMul needs two inputs")
	}
	if err := im.denseLayer(n.Input[1], false); err != nil {
		return err
	}
	im.dense = len(im.spec.Layers) - 1
	return nil
}

// bias reads an Add that gives the dense layer a MatMul made (dense, or -1)
// its bias.
func (im *importer) bias(n *pb.NodeProto, dense int) error {
	if dense < 0 || len(n.Input) != 2 {
		return errors.New("Add is supported only as the bias of a MatMul")
	}
	return im.setBias(n.Input[1])
}

// denseLayer adds a dense layer with the weights name, [in,out] or, when
// transposed, [out,in], and a zero bias.
func (im *importer) denseLayer(name string, transposed bool) error {
	if im.layout != flat {
		return fmt.Errorf("the input is a %s volume here; a dense layer needs a Flatten first", im.shape)
	}
	t, ok := im.inits[name]
	if !ok {
		return fmt.Errorf("weights %q are not an initializer", name)
	}
	d := t.GetDims()
	in := int64(im.shape.Size())
	if len(d) != 2 || d[0] < 1 || d[1] < 1 {
		return fmt.Errorf("weights %q of shape %v are not a matrix", name, d)
	}
	units := d[1]
	if transposed {
		units = d[0]
	}
	if transposed && d[1] != in || !transposed && d[0] != in {
		return fmt.Errorf("weights %q of shape %v do not take the %d inputs here", name, d, in)
	}
	if units > 1<<16 {
		return fmt.Errorf("%d units; cnnplay allows at most %d", units, 1<<16)
	}
	w, err := im.floats(name, d)
	if err != nil {
		return err
	}
	if transposed {
		w = transpose(w, int(units), int(in))
	}
	if im.chw != nil {
		w = chwRowsToHWC(w, *im.chw, int(units))
		im.chw = nil
	}
	im.add(nn.LayerSpec{Type: "dense", Units: int(units)})
	im.weights = append(im.weights, w, make([]float32, units))
	im.shape = nn.Shape{H: 1, W: 1, C: int(units)}
	return nil
}

// setBias gives the last dense layer the bias name, [units] or [1,units].
func (im *importer) setBias(name string) error {
	u := int64(im.shape.C)
	t, ok := im.inits[name]
	if !ok {
		return fmt.Errorf("bias %q is not an initializer", name)
	}
	d := t.GetDims()
	if !(len(d) == 1 && d[0] == u || len(d) == 2 && d[0] == 1 && d[1] == u) {
		return fmt.Errorf("bias %q of shape %v; a dense layer of %d units needs [%d]", name, d, u, u)
	}
	b, err := im.floats(name, d)
	if err != nil {
		return err
	}
	im.weights[len(im.weights)-1] = b
	return nil
}

// flatten makes the volume a vector, as a cnnplay flatten layer: ONNX's
// NCHW order differs from cnnplay's HWC one unless the volume is 1x1, so
// the next dense layer's rows are reordered (im.chw).
func (im *importer) flatten() error {
	if im.layout == flat {
		return nil
	}
	if im.layout == nchw && im.shape.H*im.shape.W > 1 {
		s := im.shape
		im.chw = &s
	}
	im.add(nn.LayerSpec{Type: "flatten"})
	im.layout, im.shape = flat, nn.Shape{H: 1, W: 1, C: im.shape.Size()}
	return nil
}

// reshape reads a Reshape to [N,F], a flatten, or from a vector back to a
// 1x1 volume [N,C,1,1].
func (im *importer) reshape(n *pb.NodeProto) error {
	if len(n.Input) != 2 {
		return errors.New("Reshape needs a shape")
	}
	shape, err := im.int64s(n.Input[1])
	if err != nil {
		return err
	}
	size := int64(im.shape.Size())
	batch := func(v int64) bool { return v == -1 || v == 0 || v == 1 }
	switch {
	case len(shape) == 2 && batch(shape[0]) && (shape[1] == size || shape[1] == -1 && shape[0] != -1):
		return im.flatten()
	case len(shape) == 4 && im.layout == flat && batch(shape[0]) && shape[1] == size && shape[2] == 1 && shape[3] == 1:
		im.layout = nchw
		return nil
	}
	return fmt.Errorf("a reshape of a %s tensor to %v; cnnplay reshapes only to flatten each example", im.shape, shape)
}

func (im *importer) transpose(n *pb.NodeProto) error {
	p := attrInts(n, "perm")
	switch {
	case len(p) == 4 && p[0] == 0 && p[1] == 2 && p[2] == 3 && p[3] == 1 && im.layout == nchw:
		im.layout = nhwc
	case len(p) == 4 && p[0] == 0 && p[1] == 3 && p[2] == 1 && p[3] == 2 && im.layout == nhwc:
		im.layout = nchw
	default:
		return fmt.Errorf("a Transpose with perm %v here; cnnplay reads only those between NCHW and NHWC", p)
	}
	return nil
}

// dropout reads a Dropout (the identity in inference) as a dropout layer
// of its ratio: an attribute before opset 12, an input from it on.
func (im *importer) dropout(n *pb.NodeProto) error {
	rate := attrFloat(n, "ratio", 0.5)
	if len(n.Input) > 1 && n.Input[1] != "" {
		v, err := im.floats(n.Input[1], nil)
		if err != nil {
			return err
		}
		if len(v) != 1 {
			return errors.New("the ratio is not one value")
		}
		rate = v[0]
	}
	if len(n.Input) > 2 && n.Input[2] != "" {
		return errors.New("Dropout in training mode is not an inference graph")
	}
	im.add(nn.LayerSpec{Type: "dropout", Rate: float64(rate)})
	return nil
}

func (im *importer) softmax(n *pb.NodeProto) error {
	if im.layout != flat && !(im.layout == nchw && im.shape.H == 1 && im.shape.W == 1) {
		return fmt.Errorf("a Softmax of a %s volume; cnnplay's classifies a vector", im.shape)
	}
	axis := attrInt(n, "axis", 1)
	if axis != 1 && !(axis == -1 && im.layout == flat) {
		return fmt.Errorf("Softmax along axis %d; cnnplay's runs along the classes (axis 1)", axis)
	}
	if im.chw != nil {
		return errors.New("a Softmax straight after flattening an NCHW volume orders its classes unlike cnnplay")
	}
	im.add(nn.LayerSpec{Type: "softmax"})
	return nil
}

// constant makes a Constant node's value a weight like an initializer.
func (im *importer) constant(n *pb.NodeProto) error {
	if len(n.Output) != 1 {
		return errors.New("a Constant has one output")
	}
	for _, a := range n.Attribute {
		if a.GetName() == "value" && a.T != nil {
			im.inits[n.Output[0]] = a.T
			return nil
		}
	}
	return errors.New("only a Constant with a tensor value is supported")
}

// floats returns the float32 values of weight name, checking its dims
// against want when want is not nil, and its size against the data it
// holds before allocating anything.
func (im *importer) floats(name string, want []int64) ([]float32, error) {
	t, ok := im.inits[name]
	if !ok {
		return nil, fmt.Errorf("weight %q is not an initializer", name)
	}
	if want != nil && !slices.Equal(t.GetDims(), want) {
		return nil, fmt.Errorf("weight %q has shape %v, want %v", name, t.GetDims(), want)
	}
	if dt := t.GetDataType(); dt != int32(pb.TensorProto_FLOAT) {
		return nil, fmt.Errorf("weight %q is of type %s; cnnplay reads float32 weights", name, pb.TensorProto_DataType(dt))
	}
	if t.GetDataLocation() == pb.TensorProto_EXTERNAL || len(t.ExternalData) > 0 {
		return nil, fmt.Errorf("weight %q is stored outside the file; cnnplay reads a model in one file", name)
	}
	size, err := elements(t.GetDims())
	if err != nil {
		return nil, fmt.Errorf("weight %q: %w", name, err)
	}
	var v []float32
	switch {
	case t.RawData != nil:
		if int64(len(t.RawData)) != 4*size {
			return nil, fmt.Errorf("weight %q of shape %v needs %d bytes, the file holds %d", name, t.GetDims(), 4*size, len(t.RawData))
		}
		v = make([]float32, size)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.RawData[4*i:]))
		}
	case int64(len(t.FloatData)) == size:
		v = t.FloatData
	default:
		return nil, fmt.Errorf("weight %q of shape %v needs %d values, the file holds %d", name, t.GetDims(), size, len(t.FloatData))
	}
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("weight %q: value %d is %v", name, i, x)
		}
	}
	return v, nil
}

// int64s returns the values of the int64 weight name (a Reshape's shape).
func (im *importer) int64s(name string) ([]int64, error) {
	t, ok := im.inits[name]
	if !ok {
		return nil, fmt.Errorf("%q is not an initializer", name)
	}
	if t.GetDataType() != int32(pb.TensorProto_INT64) || len(t.GetDims()) != 1 || t.GetDims()[0] > 8 {
		return nil, fmt.Errorf("%q is not a short list of int64", name)
	}
	n := int(t.GetDims()[0])
	switch {
	case len(t.RawData) == 8*n:
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(binary.LittleEndian.Uint64(t.RawData[8*i:]))
		}
		return v, nil
	case len(t.Int64Data) == n && t.RawData == nil:
		return t.Int64Data, nil
	}
	return nil, fmt.Errorf("%q holds the wrong number of values for its shape", name)
}

// elements is the number of values of a tensor of dims, an error if a
// dimension or the total is absurd (it does not overflow).
func elements(dims []int64) (int64, error) {
	n := int64(1)
	for _, d := range dims {
		if d < 0 || d > maxTensorDim {
			return 0, fmt.Errorf("dimension %d is out of range", d)
		}
		n *= d
		if n > MaxFileBytes {
			return 0, fmt.Errorf("shape %v holds more values than a file may", dims)
		}
	}
	return n, nil
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

func attr(n *pb.NodeProto, name string) *pb.AttributeProto {
	for _, a := range n.Attribute {
		if a.GetName() == name {
			return a
		}
	}
	return nil
}

func attrInt(n *pb.NodeProto, name string, def int64) int64 {
	if a := attr(n, name); a != nil {
		return a.GetI()
	}
	return def
}

func attrFloat(n *pb.NodeProto, name string, def float32) float32 {
	if a := attr(n, name); a != nil {
		return a.GetF()
	}
	return def
}

func attrInts(n *pb.NodeProto, name string) []int64 {
	if a := attr(n, name); a != nil {
		return a.Ints
	}
	return nil
}

func attrString(n *pb.NodeProto, name string) string {
	if a := attr(n, name); a != nil {
		return string(a.S)
	}
	return ""
}

func allEqual(v []int64, x int64) bool {
	for _, y := range v {
		if y != x {
			return false
		}
	}
	return true
}

// transpose: w rows×cols → cols×rows.
func transpose(w []float32, rows, cols int) []float32 {
	out := make([]float32, len(w))
	for r := range rows {
		for c := range cols {
			out[c*rows+r] = w[r*cols+c]
		}
	}
	return out
}

package onnx

import (
	"errors"
	"fmt"

	"github.com/cnnplay/cnnplay/nn"
	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

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

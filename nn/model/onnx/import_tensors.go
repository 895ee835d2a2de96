package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

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

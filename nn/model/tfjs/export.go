package tfjs

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// shardBytes is the most a weight shard holds, tensorflowjs_converter's
// default (4 MiB), which keeps each file small enough for any host.
const shardBytes = 4 << 20

// kerasVersion is what TF.js 4 writes in a topology it saves; Keras'
// loaders read such a topology as TF.js' own.
const kerasVersion = "tfjs-layers 4.22.0"

// Encode returns m as a TF.js layers model: model.json first, then the
// weight shards it names.
func Encode(m *model.Model) ([]File, error) {
	net := m.Net
	if len(m.Classes) != net.Classes() {
		return nil, fmt.Errorf("tfjs: %d class names for a network with %d classes", len(m.Classes), net.Classes())
	}
	e := encoder{rank: 4}
	in := net.InShape()
	e.inputShape = []any{nil, in.H, in.W, in.C}
	if mean, std := float64(net.Spec.Mean), float64(net.Spec.Std); mean != 0 || std != 0 && std != 1 {
		if std == 0 {
			std = 1
		}
		e.add("Rescaling", "rescaling", map[string]any{"scale": 1 / std, "offset": -mean / std})
	}
	for i, ls := range net.Spec.Layers {
		if err := e.layer(ls, net.Layers[i]); err != nil {
			return nil, err
		}
	}
	topo, err := json.Marshal(map[string]any{
		"class_name":    "Sequential",
		"config":        map[string]any{"name": "cnnplay", "layers": e.layers},
		"keras_version": kerasVersion,
		"backend":       "tensor_flow.js",
	})
	if err != nil {
		return nil, err
	}
	meta, err := json.Marshal(metadata{CNNPlay: &cnnplayMeta{Classes: m.Classes, Record: m.Record}})
	if err != nil {
		return nil, err
	}
	data := make([]byte, 0, 4*len(net.WeightData()))
	for _, w := range e.data {
		for _, v := range w {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
		}
	}
	shards := (len(data) + shardBytes - 1) / shardBytes
	files := []File{{Name: ModelFile}}
	group := weightGroup{Weights: e.specs}
	for i := range shards {
		name := fmt.Sprintf("group1-shard%dof%d.bin", i+1, shards)
		group.Paths = append(group.Paths, name)
		files = append(files, File{Name: name, Data: data[i*shardBytes : min(len(data), (i+1)*shardBytes)]})
	}
	mj := modelJSON{
		Format: "layers-model", GeneratedBy: "cnnplay", ModelTopology: topo,
		WeightsManifest: []weightGroup{group}, UserDefinedMetadata: meta,
	}
	if files[0].Data, err = json.MarshalIndent(mj, "", " "); err != nil {
		return nil, err
	}
	return files, nil
}

// encoder builds the Keras layer list. rank is that of the Keras tensor
// between layers: 4 (NHWC) until a Flatten, then 2.
type encoder struct {
	layers     []map[string]any
	specs      []weightSpec
	data       [][]float32
	inputShape []any // batch_input_shape, written on the first layer
	rank       int
	flattens   int // Flatten layers so far
}

// add appends a Keras layer of the given class, name and config fields.
func (e *encoder) add(class, name string, config map[string]any) {
	config["name"] = name
	config["trainable"] = true
	config["dtype"] = "float32"
	if len(e.layers) == 0 {
		config["batch_input_shape"] = e.inputShape
	}
	e.layers = append(e.layers, map[string]any{"class_name": class, "config": config})
}

// weights records a layer's kernel and bias, in cnnplay's layout, which is
// Keras'.
func (e *encoder) weights(name string, ps []*nn.Param) {
	for i, p := range ps {
		role := [...]string{"kernel", "bias"}[i]
		e.specs = append(e.specs, weightSpec{Name: name + "/" + role, Shape: p.Dims, Dtype: "float32"})
		e.data = append(e.data, p.W)
	}
}

// flatten adds a Flatten before a layer that needs a vector, unless the
// tensor is one already. Flattens are named as cnnplay names its layers,
// those it adds too, so that the model Decode makes of them encodes the
// same.
func (e *encoder) flatten() {
	if e.rank != 2 {
		e.flattens++
		e.add("Flatten", fmt.Sprintf("flatten%d", e.flattens), map[string]any{"data_format": "channels_last"})
		e.rank = 2
	}
}

func (e *encoder) layer(ls nn.LayerSpec, l nn.Layer) error {
	name := l.Name()
	switch ls.Type {
	case "conv":
		in, out := l.InShape(), l.OutShape()
		stride := max(ls.Stride, 1)
		padding := "same"
		if !sameIsPad(in.H, ls.Size, stride, ls.Pad) || !sameIsPad(in.W, ls.Size, stride, ls.Pad) {
			padding = "valid"
			if ls.Pad > 0 {
				p := []int{ls.Pad, ls.Pad}
				e.add("ZeroPadding2D", name+"_pad", map[string]any{"padding": [][]int{p, p}, "data_format": "channels_last"})
			}
		}
		e.add("Conv2D", name, map[string]any{
			"filters": out.C, "kernel_size": []int{ls.Size, ls.Size}, "strides": []int{stride, stride},
			"padding": padding, "data_format": "channels_last", "dilation_rate": []int{1, 1},
			"activation": "linear", "use_bias": true,
		})
		e.weights(name, l.Params())
	case "maxpool", "avgpool":
		stride := ls.Stride
		if stride == 0 {
			stride = ls.Size
		}
		class := map[string]string{"maxpool": "MaxPooling2D", "avgpool": "AveragePooling2D"}[ls.Type]
		e.add(class, name, map[string]any{
			"pool_size": []int{ls.Size, ls.Size}, "strides": []int{stride, stride},
			"padding": "valid", "data_format": "channels_last",
		})
	case "dense":
		e.flatten()
		e.add("Dense", name, map[string]any{"units": l.OutShape().C, "activation": "linear", "use_bias": true})
		e.weights(name, l.Params())
	case "relu", "tanh", "sigmoid":
		e.add("Activation", name, map[string]any{"activation": ls.Type})
	case "softmax":
		e.flatten()
		e.add("Activation", name, map[string]any{"activation": "softmax"})
	case "leakyrelu":
		alpha := ls.Alpha
		if alpha == 0 {
			alpha = 0.01 // nn's default
		}
		e.add("LeakyReLU", name, map[string]any{"alpha": alpha})
	case "dropout":
		e.add("Dropout", name, map[string]any{"rate": ls.Rate})
	case "flatten":
		e.rank = 0 // a flatten of the spec's own is always written
		e.flatten()
	default:
		return fmt.Errorf("tfjs: %s: layer type %q has no TF.js counterpart", name, ls.Type)
	}
	return nil
}

// sameIsPad reports whether Keras' "same" padding of an n-pixel side, for
// a kernel of k and the given stride, is exactly pad pixels on either side:
// the same output size and the same pixels before the first window.
// "same" pads max((ceil(n/s)-1)·s+k-n, 0) in all, the smaller half first.
func sameIsPad(n, k, stride, pad int) bool {
	out := (n + stride - 1) / stride
	total := max((out-1)*stride+k-n, 0)
	return out == (n+2*pad-k)/stride+1 && total/2 == pad
}

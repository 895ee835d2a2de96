package tfjs

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// kerasSpec is the network the hand-written Keras models below describe:
// Conv2D(4, 3, relu), Conv2D(6, 3, padding same), MaxPooling2D, Dropout,
// Flatten, Dense(5, relu), Dense(3, softmax) on 10x10x1.
var kerasSpec = nn.Spec{Input: nn.Shape{H: 10, W: 10, C: 1}, Layers: []nn.LayerSpec{
	{Type: "conv", Filters: 4, Size: 3}, {Type: "relu"},
	{Type: "conv", Filters: 6, Size: 3, Pad: 1},
	{Type: "maxpool", Size: 2}, {Type: "dropout", Rate: 0.25}, {Type: "flatten"},
	{Type: "dense", Units: 5}, {Type: "relu"}, {Type: "dense", Units: 3}, {Type: "softmax"}}}

// kerasLayers are its layers as Keras 2 writes them (class, name, config).
func kerasLayers() [][3]any {
	conv := func(f int, act, pad string) map[string]any {
		return map[string]any{"filters": f, "kernel_size": []int{3, 3}, "strides": []int{1, 1}, "padding": pad,
			"data_format": "channels_last", "dilation_rate": []int{1, 1}, "groups": 1, "activation": act, "use_bias": true,
			"kernel_initializer": map[string]any{"class_name": "GlorotUniform", "config": map[string]any{"seed": nil}}}
	}
	return [][3]any{
		{"Conv2D", "conv2d", conv(4, "relu", "valid")},
		{"Conv2D", "conv2d_1", conv(6, "linear", "same")},
		{"MaxPooling2D", "max_pooling2d", map[string]any{"pool_size": []int{2, 2}, "padding": "valid", "strides": []int{2, 2}, "data_format": "channels_last"}},
		{"Dropout", "dropout", map[string]any{"rate": 0.25, "noise_shape": nil, "seed": nil}},
		{"Flatten", "flatten", map[string]any{"data_format": "channels_last"}},
		{"Dense", "dense", map[string]any{"units": 5, "activation": "relu", "use_bias": true}},
		{"Dense", "dense_1", map[string]any{"units": 3, "activation": "softmax", "use_bias": true}},
	}
}

// kerasModel returns a model.json of kerasSpec in one of the forms Keras
// and TF.js write, with the weights of m, named with prefix, and m's
// weights as one shard.
func kerasModel(t *testing.T, form, prefix string, m *model.Model) []File {
	t.Helper()
	var layers []map[string]any
	var weights []map[string]any
	var data []byte
	params := m.Net.Params()
	prev := "input_1"
	for _, l := range kerasLayers() {
		class, name, cfg := l[0].(string), l[1].(string), l[2].(map[string]any)
		cfg["name"], cfg["trainable"], cfg["dtype"] = name, true, "float32"
		entry := map[string]any{"class_name": class, "config": cfg}
		switch form {
		case "keras2-functional":
			entry["name"] = name
			entry["inbound_nodes"] = []any{[]any{[]any{prev, 0, 0, map[string]any{}}}}
		case "keras3-functional":
			entry["name"] = name
			entry["inbound_nodes"] = []any{map[string]any{"args": []any{map[string]any{
				"class_name": "__keras_tensor__", "config": map[string]any{"shape": []any{nil, 10}, "dtype": "float32", "keras_history": []any{prev, 0, 0}}}},
				"kwargs": map[string]any{"training": false}}}
		}
		prev = name
		layers = append(layers, entry)
		if class == "Conv2D" || class == "Dense" {
			for _, role := range []string{"kernel", "bias"} {
				p := params[0]
				params = params[1:]
				weights = append(weights, map[string]any{"name": prefix + name + "/" + role, "shape": p.Dims, "dtype": "float32"})
				for _, v := range p.W {
					data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
				}
			}
		}
	}
	input := map[string]any{"class_name": "InputLayer", "config": map[string]any{
		"batch_input_shape": []any{nil, 10, 10, 1}, "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}}
	var topo map[string]any
	switch form {
	case "tfjs-sequential": // TF.js' own save: the shape on the first layer
		layers[0]["config"].(map[string]any)["batch_input_shape"] = []any{nil, 10, 10, 1}
		topo = map[string]any{"class_name": "Sequential", "config": map[string]any{"name": "sequential_1", "layers": layers},
			"keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}
	case "keras2-sequential": // tensorflowjs_converter of a Keras 2 .h5
		topo = map[string]any{"keras_version": "2.15.0", "backend": "tensorflow", "model_config": map[string]any{
			"class_name": "Sequential", "config": map[string]any{"name": "sequential", "layers": append([]map[string]any{input}, layers...)}},
			"training_config": map[string]any{"loss": "categorical_crossentropy"}}
	case "keras2-functional":
		input["name"], input["inbound_nodes"] = "input_1", []any{}
		topo = map[string]any{"keras_version": "2.15.0", "backend": "tensorflow", "model_config": map[string]any{
			"class_name": "Functional", "config": map[string]any{"name": "model", "layers": append([]map[string]any{input}, layers...),
				"input_layers": []any{[]any{"input_1", 0, 0}}, "output_layers": []any{[]any{"dense_1", 0, 0}}}}}
	case "keras3-functional":
		cfg := input["config"].(map[string]any)
		delete(cfg, "batch_input_shape")
		cfg["batch_shape"] = []any{nil, 10, 10, 1}
		input["name"], input["inbound_nodes"] = "input_1", []any{}
		topo = map[string]any{"keras_version": "3.3.3", "backend": "tensorflow", "model_config": map[string]any{
			"class_name": "Functional", "config": map[string]any{"name": "functional", "layers": append([]map[string]any{input}, layers...),
				"input_layers": []any{"input_1", 0, 0}, "output_layers": []any{"dense_1", 0, 0}}}}
	default:
		t.Fatalf("form %q", form)
	}
	mj, err := json.Marshal(map[string]any{
		"format": "layers-model", "generatedBy": "keras v2.15.0", "convertedBy": "TensorFlow.js Converter v4.22.0",
		"modelTopology":   topo,
		"weightsManifest": []any{map[string]any{"paths": []string{"group1-shard1of1.bin"}, "weights": weights}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return []File{{ModelFile, mj}, {"group1-shard1of1.bin", data}}
}

// TestDecodeKerasForms: the same network saved by TF.js, converted from a
// Keras 2 Sequential and Functional model and from a Keras 3 Functional
// one (whose weight names may carry the model's name) reads as the same
// cnnplay model, classes "0", "1", "2".
func TestDecodeKerasForms(t *testing.T) {
	m := testModel(t, kerasSpec, 5)
	m.Classes, m.Record = []string{"0", "1", "2"}, model.Record{}
	for _, c := range []struct{ form, prefix string }{
		{"tfjs-sequential", ""}, {"keras2-sequential", ""}, {"keras2-functional", ""},
		{"keras3-functional", "functional/"}, {"keras3-functional", ""},
	} {
		got, err := Decode(kerasModel(t, c.form, c.prefix, m))
		if err != nil {
			t.Errorf("%s: %v", c.form, err)
			continue
		}
		if !slices.Equal(got.Net.Spec.Layers, kerasSpec.Layers) {
			t.Errorf("%s: layers %+v", c.form, got.Net.Spec.Layers)
		}
		checkSame(t, m, got)
	}
}

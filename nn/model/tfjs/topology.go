package tfjs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// kerasLayer is one layer of a topology with its 1-based position in the
// layer list, the position errors name.
type kerasLayer struct {
	pos   int
	class string
	name  string
	cfg   layerConfig
}

func (l *kerasLayer) String() string {
	return fmt.Sprintf("layer %d (%s %q)", l.pos, l.class, l.name)
}

// errorf returns an error about layer l.
func (l *kerasLayer) errorf(format string, args ...any) error {
	return fmt.Errorf("tfjs: %s: %s", l, fmt.Sprintf(format, args...))
}

// layerConfig holds the config fields of every layer class Decode reads.
// Fields that may be a number or a list are kept raw and read by ints.
type layerConfig struct {
	Name            string          `json:"name"`
	BatchInputShape []*int          `json:"batch_input_shape"`
	BatchShape      []*int          `json:"batch_shape"` // Keras 3
	Filters         int             `json:"filters"`
	KernelSize      json.RawMessage `json:"kernel_size"`
	Strides         json.RawMessage `json:"strides"`
	PoolSize        json.RawMessage `json:"pool_size"`
	Padding         json.RawMessage `json:"padding"`
	DataFormat      *string         `json:"data_format"`
	DilationRate    json.RawMessage `json:"dilation_rate"`
	Groups          *int            `json:"groups"`
	Activation      json.RawMessage `json:"activation"`
	UseBias         *bool           `json:"use_bias"`
	Units           int             `json:"units"`
	Rate            float64         `json:"rate"`
	Alpha           *float64        `json:"alpha"`
	NegativeSlope   *float64        `json:"negative_slope"` // Keras 3's alpha
	MaxValue        *float64        `json:"max_value"`
	Threshold       *float64        `json:"threshold"`
	Axis            json.RawMessage `json:"axis"`
	Scale           json.RawMessage `json:"scale"`
	Offset          json.RawMessage `json:"offset"`
}

// layers returns the layers of a topology (modelTopology, or the
// model_config tensorflowjs_converter wraps it in) in the order they
// compute: a Sequential model's list, or a Functional one's after checking
// that each layer takes the output of the one before.
func layers(raw json.RawMessage) ([]kerasLayer, error) {
	var top topology
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("tfjs: modelTopology: %w", err)
	}
	if len(top.ModelConfig) > 0 {
		if err := json.Unmarshal(top.ModelConfig, &top); err != nil {
			return nil, fmt.Errorf("tfjs: modelTopology.model_config: %w", err)
		}
	}
	var list []layer
	switch top.ClassName {
	case "Sequential":
		// Keras before 2.2.3 wrote the list itself as the config.
		if err := json.Unmarshal(top.Config, &list); err != nil {
			var c struct{ Layers []layer }
			if err := json.Unmarshal(top.Config, &c); err != nil {
				return nil, fmt.Errorf("tfjs: the Sequential model's config: %w", err)
			}
			list = c.Layers
		}
	case "Model", "Functional":
		var c struct {
			Layers       []layer
			InputLayers  json.RawMessage `json:"input_layers"`
			OutputLayers json.RawMessage `json:"output_layers"`
		}
		if err := json.Unmarshal(top.Config, &c); err != nil {
			return nil, fmt.Errorf("tfjs: the %s model's config: %w", top.ClassName, err)
		}
		if err := chain(c.Layers, c.InputLayers, c.OutputLayers); err != nil {
			return nil, err
		}
		list = c.Layers
	case "":
		return nil, errors.New("tfjs: modelTopology has no model (no class_name)")
	default:
		return nil, fmt.Errorf("tfjs: the model is a %q; cnnplay imports Sequential and Functional (Model) models", top.ClassName)
	}
	if len(list) == 0 {
		return nil, errors.New("tfjs: the model has no layers")
	}
	if len(list) > MaxLayers {
		return nil, fmt.Errorf("tfjs: the model has %d layers; at most %d are allowed", len(list), MaxLayers)
	}
	ls := make([]kerasLayer, len(list))
	for i, l := range list {
		ls[i] = kerasLayer{pos: i + 1, class: l.ClassName, name: l.Name}
		if len(l.Config) > 0 && string(l.Config) != "null" {
			if err := json.Unmarshal(l.Config, &ls[i].cfg); err != nil {
				return nil, fmt.Errorf("tfjs: %s: config: %w", &ls[i], err)
			}
		}
		if ls[i].name == "" {
			ls[i].name = ls[i].cfg.Name
		}
	}
	return ls, nil
}

// chain returns an error unless a Functional model's layers form one
// chain in the order listed: an input layer, then layers that each take
// one tensor, the output of the layer before, the last being the output.
func chain(ls []layer, inputs, outputs json.RawMessage) error {
	if len(ls) > MaxLayers {
		return fmt.Errorf("tfjs: the model has %d layers; at most %d are allowed", len(ls), MaxLayers)
	}
	name := func(l layer) string {
		if l.Name != "" {
			return l.Name
		}
		var c struct{ Name string }
		json.Unmarshal(l.Config, &c) // a bad config is reported with the layer's own
		return c.Name
	}
	for i, l := range ls {
		from, err := inbound(l.InboundNodes)
		if err != nil {
			return fmt.Errorf("tfjs: layer %d (%s %q): inbound_nodes: %w", i+1, l.ClassName, name(l), err)
		}
		switch {
		case i == 0 && len(from) > 0:
			return fmt.Errorf("tfjs: layer 1 (%s %q) takes the input of %q: the first layer must be the model's input", l.ClassName, name(l), from)
		case i > 0 && (len(from) != 1 || from[0] != name(ls[i-1])):
			return fmt.Errorf("tfjs: layer %d (%s %q) takes %q, not the output of the layer before it (%q): cnnplay imports only a chain of layers", i+1, l.ClassName, name(l), from, name(ls[i-1]))
		}
	}
	if len(ls) == 0 {
		return nil
	}
	if in := stringsIn(inputs); len(in) != 1 || in[0] != name(ls[0]) {
		return fmt.Errorf("tfjs: the model's inputs are %q; cnnplay imports a model with one input, its first layer", in)
	}
	if out := stringsIn(outputs); len(out) != 1 || out[0] != name(ls[len(ls)-1]) {
		return fmt.Errorf("tfjs: the model's outputs are %q; cnnplay imports a model with one output, its last layer", out)
	}
	return nil
}

// inbound returns the names of the layers whose outputs a Functional
// model's layer takes, from its inbound_nodes in Keras 2's and TF.js'
// form ([[["name", 0, 0, {}], …]]) or Keras 3's ([{"args": [{"config":
// {"keras_history": ["name", 0, 0]}}, …]}]). A layer called more than
// once (shared) is an error.
func inbound(raw json.RawMessage) ([]string, error) {
	var nodes []json.RawMessage
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &nodes); err != nil {
			return nil, err
		}
	}
	switch len(nodes) {
	case 0:
		return nil, nil
	case 1:
	default:
		return nil, fmt.Errorf("the layer is called %d times; cnnplay imports layers used once", len(nodes))
	}
	var args []json.RawMessage
	if err := json.Unmarshal(nodes[0], &args); err != nil {
		var k3 struct{ Args []json.RawMessage }
		if err := json.Unmarshal(nodes[0], &k3); err != nil {
			return nil, errors.New("a node is neither a list nor an object with args")
		}
		args = k3.Args
	}
	var from []string
	for _, a := range args {
		var k2 []json.RawMessage
		var s string
		if json.Unmarshal(a, &k2) == nil && len(k2) > 0 && json.Unmarshal(k2[0], &s) == nil {
			from = append(from, s)
			continue
		}
		var k3 struct {
			Config struct {
				KerasHistory []json.RawMessage `json:"keras_history"`
			}
		}
		if json.Unmarshal(a, &k3) == nil && len(k3.Config.KerasHistory) > 0 && json.Unmarshal(k3.Config.KerasHistory[0], &s) == nil {
			from = append(from, s)
			continue
		}
		return nil, fmt.Errorf("an input %s names no layer", short(a))
	}
	return from, nil
}

// stringsIn returns every string in the JSON value raw, depth first: the
// layer names of input_layers or output_layers in any of their forms
// ([["a", 0, 0]] or Keras 3's ["a", 0, 0] for one).
func stringsIn(raw json.RawMessage) []string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// short returns a JSON value for an error message, cut to 60 bytes.
func short(raw json.RawMessage) string {
	s := strings.Join(strings.Fields(string(raw)), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

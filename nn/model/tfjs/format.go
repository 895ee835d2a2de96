package tfjs

import (
	"encoding/json"

	"github.com/cnnplay/cnnplay/nn/model"
)

// modelJSON is model.json: what tf.io's handlers save and
// tensorflowjs_converter writes for a layers model.
type modelJSON struct {
	Format              string          `json:"format"`
	GeneratedBy         string          `json:"generatedBy"`
	ConvertedBy         *string         `json:"convertedBy"`
	ModelTopology       json.RawMessage `json:"modelTopology"`
	WeightsManifest     []weightGroup   `json:"weightsManifest"`
	UserDefinedMetadata json.RawMessage `json:"userDefinedMetadata,omitempty"`
}

// weightGroup is one entry of the manifest: its weights, end to end, are
// the concatenation of the files in Paths.
type weightGroup struct {
	Paths   []string     `json:"paths"`
	Weights []weightSpec `json:"weights"`
}

type weightSpec struct {
	Name         string        `json:"name"`
	Shape        []int         `json:"shape"`
	Dtype        string        `json:"dtype"`
	Quantization *quantization `json:"quantization,omitempty"`
}

// quantization is how tensorflowjs_converter's --quantize_uint8,
// --quantize_uint16 and --quantize_float16 store a float32 weight: as
// uint8 or uint16 q meaning q·Scale+Min, or as IEEE half floats.
type quantization struct {
	Dtype string  `json:"dtype"`
	Scale float64 `json:"scale,omitempty"`
	Min   float64 `json:"min,omitempty"`
}

// topology is modelTopology (or the model_config inside the one
// tensorflowjs_converter writes).
type topology struct {
	ClassName    string          `json:"class_name"`
	Config       json.RawMessage `json:"config"`
	KerasVersion string          `json:"keras_version,omitempty"`
	Backend      string          `json:"backend,omitempty"`
	ModelConfig  json.RawMessage `json:"model_config,omitempty"`
}

// layer is one entry of a topology's layer list. Name and InboundNodes are
// set only in Functional models.
type layer struct {
	ClassName    string          `json:"class_name"`
	Config       json.RawMessage `json:"config"`
	Name         string          `json:"name,omitempty"`
	InboundNodes json.RawMessage `json:"inbound_nodes,omitempty"`
}

// metadata is the userDefinedMetadata Encode writes.
type metadata struct {
	CNNPlay *cnnplayMeta `json:"cnnplay,omitempty"`
}

type cnnplayMeta struct {
	Classes []string     `json:"classes"`
	Record  model.Record `json:"record"`
}

// File is one file of a layers model: model.json or a weight shard.
type File struct {
	Name string
	Data []byte
}

// ModelFile is the name Encode gives the model's description.
const ModelFile = "model.json"

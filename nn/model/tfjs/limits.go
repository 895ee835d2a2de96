package tfjs

import "github.com/cnnplay/cnnplay/nn/model"

// Limits Decode checks before it allocates anything in proportion to what a
// model.json declares. The network itself must then be within nn's and
// nn/model's limits (model.MaxLayers, model.MaxActivationBytes), checked
// on its description before it is built.
const (
	// MaxModelJSONBytes is the largest model.json: the topology of a
	// network of 64 layers, its manifest and a thousand class names take a
	// small part of it.
	MaxModelJSONBytes = 1 << 20

	// MaxLayers is the most layers a topology may list: cnnplay's 64, each
	// of which an export may precede with a ZeroPadding2D or Flatten,
	// plus an input layer and a Rescaling.
	MaxLayers = 2*model.MaxLayers + 2

	// MaxListItems is the most elements any list in model.json may hold
	// (the class names are the longest) and MaxNesting the deepest it may
	// nest (a Functional model's inbound nodes nest about ten deep).
	// They are checked by a scan that keeps nothing before the JSON is
	// decoded, as nn/model checks its header.
	MaxListItems = 1000
	MaxNesting   = 32

	// MaxWeightBytes is the most the weights of a manifest may declare in
	// all, used or not: nn/model's file limit, far above the 200 MB of
	// nn's largest network.
	MaxWeightBytes = model.MaxFileBytes
)

package onnx

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cnnplay/cnnplay/nn/model"
)

// Limits Decode checks before it allocates anything in proportion to what
// a file declares. The architecture limits are package model's (MaxLayers,
// MaxActivationBytes) and nn's, checked before any network is built.
const (
	// MaxFileBytes bounds what Decode reads: the .cnn format's own bound,
	// far above any network cnnplay builds.
	MaxFileBytes = model.MaxFileBytes

	// MaxNodes is the most nodes a graph may have: a cnnplay layer takes at
	// most three (a Transpose and a Flatten before a Gemm, say), and
	// normalisation two more.
	MaxNodes = 4*model.MaxLayers + 8

	// maxDepth is the deepest protobuf messages may nest. A classifier
	// graph nests six deep (model, graph, node, attribute, tensor…);
	// subgraphs go deeper, and Decode refuses them anyway.
	maxDepth = 24

	// maxTensorDim bounds any dimension of a weight tensor: nn's largest
	// (64Ki units of a dense layer; an input of 1024x1024x1024 values).
	maxTensorDim = 1 << 30
)

// decodeCost estimates, without allocating, the memory protobuf's decoder
// takes for data: every message, every string and bytes value and every
// element of a packed list, walking the wire format against the schema
// (protowire and the generated descriptors, no encoding of our own). A
// file of a few bytes per message would otherwise decode into a hundred
// times its size: the cost must stay within costBudget of the file.
func decodeCost(data []byte, md protoreflect.MessageDescriptor, depth int) (int64, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("messages nest more than %d deep", maxDepth)
	}
	const perMessage, perValue = 256, 24 // generous Go sizes of a message struct and a slice entry
	cost := int64(perMessage)
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return 0, protowire.ParseError(n)
		}
		data = data[n:]
		m := protowire.ConsumeFieldValue(num, typ, data)
		if m < 0 {
			return 0, protowire.ParseError(m)
		}
		value := data[:m]
		data = data[m:]
		fd := md.Fields().ByNumber(num)
		switch {
		case fd == nil:
			cost += int64(m) + perValue // kept as unknown bytes
		case fd.Kind() == protoreflect.MessageKind && typ == protowire.BytesType:
			v, _ := protowire.ConsumeBytes(value)
			c, err := decodeCost(v, fd.Message(), depth+1)
			if err != nil {
				return 0, err
			}
			cost += c + perValue
		case fd.Kind() == protoreflect.GroupKind:
			return 0, errors.New("a group where ONNX has none")
		case typ == protowire.BytesType && (fd.Kind() == protoreflect.StringKind || fd.Kind() == protoreflect.BytesKind):
			cost += int64(m) + perValue
		case typ == protowire.BytesType && fixedWidth(fd.Kind()):
			cost += 2 * int64(m) // a packed list of floats: their bytes, with room to grow
		case typ == protowire.BytesType:
			cost += 16 * int64(m) // a packed list of varints: up to one per byte, 8 bytes each
		default:
			cost += 16 // one scalar, or one element of a list
		}
	}
	return cost, nil
}

func fixedWidth(k protoreflect.Kind) bool {
	switch k {
	case protoreflect.FloatKind, protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind,
		protoreflect.DoubleKind, protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind:
		return true
	}
	return false
}

// costBudget is the most memory decoding a file of n bytes may take: the
// file's weights are copied once, and everything else is small.
func costBudget(n int) int64 { return 3*int64(n) + 16<<20 }

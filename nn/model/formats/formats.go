// Package formats reads and writes a model in every file format cnnplay
// has, in one place for the command line and the page: the .cnn file
// (package model), ONNX (package onnx) and TensorFlow.js (to come).
package formats

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/onnx"
)

// The formats Encode writes.
const (
	CNN  = "cnn"  // cnnplay's own model file
	ONNX = "onnx" // ONNX, opset 13
	TFJS = "tfjs" // a TensorFlow.js layers model, zipped
)

// ErrNotBuilt is wrapped by the error for a format cnnplay names but does
// not write or read yet.
var ErrNotBuilt = errors.New("not built yet")

// Ext is the file name extension of each format Encode writes.
var Ext = map[string]string{CNN: ".cnn", ONNX: ".onnx", TFJS: ".zip"}

// Available reports whether Encode writes format.
func Available(format string) bool { return format == CNN || format == ONNX }

// Encode returns m in the named format.
func Encode(format string, m *model.Model) ([]byte, error) {
	switch format {
	case CNN:
		var buf bytes.Buffer
		err := m.Encode(&buf)
		return buf.Bytes(), err
	case ONNX:
		return onnx.Marshal(m)
	case TFJS:
		return nil, fmt.Errorf("the TensorFlow.js export is %w", ErrNotBuilt)
	}
	return nil, fmt.Errorf("unknown model format %q (want cnn, onnx or tfjs)", format)
}

// Decode reads the model file name, of any format cnnplay reads: ONNX by
// its extension; otherwise a cnnplay model file, or ONNX after all when
// the data is not one (a file renamed, or without an extension).
func Decode(name string, data []byte) (*model.Model, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".onnx":
		return onnx.Unmarshal(data)
	case ".zip", ".json":
		return nil, fmt.Errorf("reading TensorFlow.js models is %w", ErrNotBuilt)
	}
	m, err := model.Decode(bytes.NewReader(data))
	if errors.Is(err, model.ErrNotModel) {
		if mo, oerr := onnx.Unmarshal(data); oerr == nil {
			return mo, nil
		}
	}
	return m, err
}

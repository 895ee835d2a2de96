// Package formats reads and writes a model in every file format cnnplay
// has, in one place for the command line and the page: the .cnn file
// (package model), ONNX (package onnx) and TensorFlow.js (package tfjs).
package formats

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/onnx"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
)

// The formats Encode writes.
const (
	CNN  = "cnn"  // cnnplay's own model file
	ONNX = "onnx" // ONNX, opset 13
	TFJS = "tfjs" // a TensorFlow.js layers model, zipped
)

// Ext is the file name extension of each format Encode writes.
var Ext = map[string]string{CNN: ".cnn", ONNX: ".onnx", TFJS: ".zip"}

// Available reports whether Encode writes format.
func Available(format string) bool { return format == CNN || format == ONNX || format == TFJS }

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
		var buf bytes.Buffer
		err := tfjs.WriteZip(&buf, m)
		return buf.Bytes(), err
	}
	return nil, fmt.Errorf("unknown model format %q (want cnn, onnx or tfjs)", format)
}

// Decode reads the model file name, of any format cnnplay reads: ONNX and
// a zipped TF.js model by their extensions (a model.json alone, whose
// weights are in other files, gets an error saying so); otherwise a
// cnnplay model file, or ONNX or a zip after all when the data is not one
// (a file renamed, or without an extension).
func Decode(name string, data []byte) (*model.Model, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".onnx":
		return onnx.Unmarshal(data)
	case ".zip":
		return tfjs.ReadZip(bytes.NewReader(data), int64(len(data)))
	case ".json":
		return tfjs.Decode([]tfjs.File{{Name: path.Base(name), Data: data}})
	}
	m, err := model.Decode(bytes.NewReader(data))
	if errors.Is(err, model.ErrNotModel) && bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return tfjs.ReadZip(bytes.NewReader(data), int64(len(data)))
	}
	if errors.Is(err, model.ErrNotModel) {
		if mo, oerr := onnx.Unmarshal(data); oerr == nil {
			return mo, nil
		}
	}
	return m, err
}

// Convert is what the page's model converter (wasm/convert, a Web Worker
// loaded on first use, which keeps this package's protobuf code out of the
// page's own program) does for it. With op "encode", in is a .cnn model
// file and Convert returns the model in format; with op "decode", in is
// the contents of the file name, in any format Decode reads, and Convert
// returns the model as a .cnn file.
func Convert(op, format, name string, in []byte) ([]byte, error) {
	switch op {
	case "encode":
		m, err := model.Decode(bytes.NewReader(in))
		if err != nil {
			return nil, err
		}
		return Encode(format, m)
	case "decode":
		m, err := Decode(name, in)
		if err != nil {
			return nil, err
		}
		return Encode(CNN, m)
	}
	return nil, fmt.Errorf("unknown conversion %q (want encode or decode)", op)
}

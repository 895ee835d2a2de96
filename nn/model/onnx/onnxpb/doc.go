// Package onnxpb holds the Go types of the ONNX protobuf schema, generated
// from the official onnx.proto (ONNX 1.23.0, Apache-2.0, committed beside
// them) by protoc 3.21.12 (Debian's protobuf-compiler) and protoc-gen-go
// v1.36.12 (go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12).
// Package onnx reads and writes models with them; nothing here is edited by
// hand.
package onnxpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go_opt=Monnx.proto=github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb;onnxpb onnx.proto

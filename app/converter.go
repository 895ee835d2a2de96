package app

// convertScript is the bootstrap of the model converter, a Web Worker
// running wasm/convert, which writes and reads other frameworks' model
// formats (package formats) for the model file controls. The page starts
// it on first use: the protobuf code ONNX needs would make app.wasm, which
// every visit loads, 3.9 MB larger (0.7 MB gzipped).
const convertScript = "/web/convert.js"

// Conversions the converter does (formats.Convert): a .cnn file to another
// format, and a file of any format to a .cnn file.
const (
	convertEncode = "encode"
	convertDecode = "decode"
)

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cnnplay/cnnplay/internal/atomicfile"
	"github.com/cnnplay/cnnplay/nn/model/formats"
)

// exportCmd writes a model in another framework's format.
func exportCmd(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	format := fs.String("format", "onnx", "onnx (ONNX opset 13, for ONNX Runtime, PyTorch, …), tfjs (TensorFlow.js layers model) or cnn")
	out := fs.String("o", "", "file to write, e.g. model.onnx (tfjs: a zip of model.json and its weights)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: cnn export -format onnx|tfjs -o OUT model.cnn\n\nexample: cnn export -format onnx -o digits.onnx digits.cnn")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() != 1 || *out == "" {
		fs.Usage()
		return errors.New("export needs one model file and -o")
	}
	if err := atomicfile.CheckWritable(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	m, err := loadModel(fs.Arg(0))
	if err != nil {
		return err
	}
	b, err := formats.Encode(*format, m)
	if err != nil {
		return fmt.Errorf("-format %s: %w", *format, err)
	}
	if err := atomicfile.Write(*out, 0o644, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return fmt.Errorf("writing %s: %w (it was left as it was)", *out, err)
	}
	in, shape := m.Net.InShape(), "[N,%[1]d,%[2]d,%[3]d]" // NCHW
	if *format == formats.TFJS {
		shape = "[N,%[2]d,%[3]d,%[1]d]" // NHWC
	}
	fmt.Fprintf(w, "wrote %s (%s): input %s of pixels in [0,1], output [N,%d] probabilities\n",
		printable(*out), *format, fmt.Sprintf(shape, in.C, in.H, in.W), m.Net.Classes())
	return nil
}

// importCmd reads a model of another framework's format and writes it as
// a cnnplay model file.
func importCmd(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	out := fs.String("o", "model.cnn", "cnnplay model file to write")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: cnn import -o m.cnn model.onnx|model.zip|model.json\n\nexample: cnn import -o mine.cnn mine.onnx\n         cnn import -o keras.cnn tfjs_model/model.json (its weight files beside it)")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import needs one model file")
	}
	if err := atomicfile.CheckWritable(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	m, err := loadModel(fs.Arg(0))
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, 0o644, m.Encode); err != nil {
		return fmt.Errorf("writing %s: %w (it was left as it was)", *out, err)
	}
	var layers []string
	for _, l := range m.Net.Layers {
		layers = append(layers, l.Name())
	}
	fmt.Fprintf(w, "wrote %s: %s input, %d classes, %d weights; layers %s\n", printable(*out), m.Net.InShape(),
		m.Net.Classes(), m.Net.ParamCount(), strings.Join(layers, " "))
	return nil
}

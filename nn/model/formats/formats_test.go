package formats

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
)

func TestEncodeDecode(t *testing.T) {
	spec, _ := nn.Preset("convnetjs")
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Model{Net: net, Classes: strings.Split("0123456789", ""), Record: model.Record{Dataset: "mnist"}}
	for _, c := range []struct{ format, name string }{
		{CNN, "m.cnn"}, {ONNX, "m.onnx"}, {CNN, "m"}, {ONNX, "m"}, {ONNX, "renamed.cnn"},
		{TFJS, "m.zip"}, {TFJS, "m"}, {TFJS, "renamed.cnn"},
	} {
		b, err := Encode(c.format, m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(c.name, b)
		if err != nil {
			t.Fatalf("%s as %s: %v", c.format, c.name, err)
		}
		if !slices.Equal(got.Net.Weights(), m.Net.Weights()) {
			t.Errorf("%s as %s: weights differ", c.format, c.name)
		}
	}
	if !Available(TFJS) {
		t.Error("tfjs is not available")
	}
	// A model.json alone: its weights are in files beside it.
	files, err := tfjs.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode("model.json", files[0].Data); err == nil || !strings.Contains(err.Error(), `weight file "group1-shard1of1.bin": not among the files`) {
		t.Errorf("model.json alone: %v", err)
	}
	if _, err := Decode("m.cnn", []byte("neither")); !errors.Is(err, model.ErrNotModel) {
		t.Errorf("junk: %v, want the .cnn reader's error", err)
	}
	if _, err := Decode("m.onnx", []byte("neither")); err == nil || !strings.Contains(err.Error(), "ONNX") {
		t.Errorf("junk .onnx: %v, want the ONNX reader's error", err)
	}
}

func TestConvert(t *testing.T) {
	spec, _ := nn.Preset("lenet5")
	net, err := nn.Build(spec, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Model{Net: net, Classes: strings.Split("0123456789", ""), Record: model.Record{Dataset: "mnist", Epochs: 2}}
	cnn, err := Encode(CNN, m)
	if err != nil {
		t.Fatal(err)
	}
	onnxBytes, err := Convert("encode", ONNX, "", cnn)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Convert("decode", "", "m.onnx", onnxBytes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := model.Decode(bytes.NewReader(back))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Net.Weights(), m.Net.Weights()) || got.Record != m.Record {
		t.Error(".cnn → ONNX → .cnn changed the weights or the record")
	}
	for _, c := range []struct{ op, format, name string }{
		{"encode", ONNX, ""}, {"decode", "", "m.onnx"}, {"shred", "", ""},
	} {
		if _, err := Convert(c.op, c.format, c.name, []byte("junk")); err == nil {
			t.Errorf("%s of junk: no error", c.op)
		}
	}
}

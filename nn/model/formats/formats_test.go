package formats

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
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
	if _, err := Encode(TFJS, m); !errors.Is(err, ErrNotBuilt) || Available(TFJS) {
		t.Errorf("tfjs: %v", err)
	}
	if _, err := Decode("m.cnn", []byte("neither")); !errors.Is(err, model.ErrNotModel) {
		t.Errorf("junk: %v, want the .cnn reader's error", err)
	}
	if _, err := Decode("m.onnx", []byte("neither")); err == nil || !strings.Contains(err.Error(), "ONNX") {
		t.Errorf("junk .onnx: %v, want the ONNX reader's error", err)
	}
}

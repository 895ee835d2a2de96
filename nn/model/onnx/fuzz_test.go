package onnx

import (
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/onnx/onnxtest"
)

// FuzzDecode: whatever the bytes, Unmarshal returns a model or an error,
// never panics; a model it returns runs, and exports and imports again to
// the same weights.
func FuzzDecode(f *testing.F) {
	for name, spec := range testSpecs(f) {
		if _, err := nn.Preset(name); err == nil {
			continue // megabytes: too large a seed to mutate
		}
		f.Add(marshal(f, testModel(f, spec, 1)))
	}
	small := testModel(f, smallSpec, 2)
	f.Add(marshal(f, small))
	for _, write := range []func(*model.Model) ([]byte, error){onnxtest.KerasStyle, onnxtest.PyTorchStyle} {
		if b, err := write(small); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Unmarshal(data)
		if err != nil {
			return
		}
		x := make([]float32, m.Net.InShape().Size())
		if p := m.Net.Predict(x); len(p) != m.Net.Classes() {
			t.Fatalf("%d probabilities for %d classes", len(p), m.Net.Classes())
		}
		b, err := Marshal(m)
		if err != nil {
			t.Fatalf("an imported model does not export: %v", err)
		}
		again, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("an imported model's export does not import: %v", err)
		}
		w1, w2 := m.Net.Weights(), again.Net.Weights()
		for i := range w1 {
			if w1[i] != w2[i] {
				t.Fatalf("weight %d: %v, then %v", i, w1[i], w2[i])
			}
		}
	})
}

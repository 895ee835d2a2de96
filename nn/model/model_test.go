package model

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

func testModel(t testing.TB) *Model {
	spec, _ := nn.Preset("convnetjs")
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return &Model{Net: net, Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
		Record: Record{Dataset: "mnist", Epochs: 2, Seed: 1, TestAcc: 0.98}}
}

func encode(t testing.TB, m *Model) []byte {
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	m := testModel(t)
	got, err := Decode(bytes.NewReader(encode(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Net.Weights(), m.Net.Weights()) || !slices.Equal(got.Classes, m.Classes) || got.Record != m.Record {
		t.Fatal("decoded model differs from the encoded one")
	}
	img := make([]float32, 28*28)
	for i := range img {
		img[i] = float32(i%7) / 7
	}
	p1, _ := m.Predict(img, 28, 28)
	p1 = slices.Clone(p1)
	p2, _ := got.Predict(img, 28, 28)
	if !slices.Equal(p1, p2) {
		t.Error("decoded model predicts differently")
	}
}

func TestDecodeRejectsBadFiles(t *testing.T) {
	good := encode(t, testModel(t))
	flip := slices.Clone(good)
	flip[len(flip)/2] ^= 0x40
	version := slices.Clone(good)
	version[8] = 9
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a cnnplay model file"},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), "not a cnnplay model file"},
		{"truncated", good[:len(good)-100], "checksum mismatch"},
		{"header only", good[:20], "truncated"},
		{"bit flip", flip, "checksum mismatch"},
		{"future version", version, "version 9"},
	} {
		_, err := Decode(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := Decode(bytes.NewReader([]byte("hello"))); !errors.Is(err, ErrNotModel) {
		t.Errorf("foreign file: %v is not ErrNotModel", err)
	}
}

// FuzzDecode: no input makes Decode panic, and whatever it accepts encodes
// back to a file it accepts again.
func FuzzDecode(f *testing.F) {
	good := encode(f, testModel(f))
	f.Add(good)
	f.Add(good[:40])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if _, err := Decode(bytes.NewReader(encode(t, m))); err != nil {
			t.Fatalf("re-encoded model rejected: %v", err)
		}
	})
}

// TestDecodeSameAsBuild: Decode builds the network without drawing initial
// weights, and the result is the network Build and SetWeights make, bit for
// bit: the same weights and the same predictions, for each preset.
func TestDecodeSameAsBuild(t *testing.T) {
	img := make([]float32, 28*28)
	for i := range img {
		img[i] = float32(i%11) / 11
	}
	for _, name := range nn.PresetNames() {
		spec, _ := nn.Preset(name)
		net, err := nn.Build(spec, rand.New(rand.NewPCG(7, 8)))
		if err != nil {
			t.Fatal(err)
		}
		m := &Model{Net: net, Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}
		got, err := Decode(bytes.NewReader(encode(t, m)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if err := want.SetWeights(net.Weights()); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Net.Weights(), want.Weights()) {
			t.Fatalf("%s: decoded weights differ", name)
		}
		p1, _ := got.Predict(img, 28, 28)
		p1 = slices.Clone(p1)
		p2, _ := (&Model{Net: want, Classes: m.Classes}).Predict(img, 28, 28)
		if !slices.Equal(p1, p2) {
			t.Errorf("%s: the decoded network predicts %v, a built one %v", name, p1, p2)
		}
	}
}

// BenchmarkDecode reads a keras preset model file (1.2M weights), as the
// page does for every model it loads or restores.
func BenchmarkDecode(b *testing.B) {
	spec, _ := nn.Preset("keras")
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	data := encode(b, &Model{Net: net, Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

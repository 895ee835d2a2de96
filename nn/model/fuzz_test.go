package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

// signed returns the model file of payload, everything between the version
// and the checksum (header length, header, weight count, weights), with a
// correct checksum.
func signed(payload []byte) []byte {
	file := append([]byte(magic), binary.LittleEndian.AppendUint32(nil, version)...)
	file = append(file, payload...)
	return binary.LittleEndian.AppendUint32(file, crc32.ChecksumIEEE(file))
}

// payload is the inverse of signed.
func payload(file []byte) []byte { return file[len(magic)+4 : len(file)-4] }

// fuzzSeeds are small models of every layer kind, several input shapes and
// class counts.
func fuzzSeeds(t testing.TB) []*Model {
	specs := []nn.Spec{
		{Input: nn.Shape{H: 6, W: 6, C: 1}, Mean: 0.1, Std: 0.3, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 2, Size: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Size: 2},
			{Type: "flatten"}, {Type: "dense", Units: 3}, {Type: "softmax"}}},
		{Input: nn.Shape{H: 5, W: 4, C: 3}, Init: "glorot", Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 2, Size: 2, Stride: 2}, {Type: "leakyrelu", Alpha: 0.2}, {Type: "avgpool", Size: 2, Stride: 1},
			{Type: "dropout", Rate: 0.5}, {Type: "flatten"}, {Type: "dense", Units: 2}, {Type: "tanh"},
			{Type: "dense", Units: 2}, {Type: "sigmoid"}, {Type: "softmax"}}},
		{Input: nn.Shape{H: 30, W: 30, C: 1}, Init: "he", Layers: []nn.LayerSpec{
			{Type: "flatten"}, {Type: "dense", Units: 4}, {Type: "softmax"}}},
	}
	var ms []*Model
	for i, spec := range specs {
		net, err := nn.Build(spec, rand.New(rand.NewPCG(uint64(i), 1)))
		if err != nil {
			t.Fatal(err)
		}
		classes := make([]string, net.Classes())
		for j := range classes {
			classes[j] = string(rune('a' + j))
		}
		ms = append(ms, &Model{Net: net, Classes: classes, Record: Record{Dataset: "mnist", Epochs: i, Command: "cnn train"}})
	}
	return ms
}

// FuzzDecodePayload mutates a model file's payload and signs it, so that
// what the fuzzer makes gets past the checksum to the decoder: no payload
// makes Decode panic or allocate more than a small multiple of the file,
// and whatever it accepts encodes back to the same model and predicts, a
// probability per class, for a 28x28 picture.
func FuzzDecodePayload(f *testing.F) {
	for _, m := range fuzzSeeds(f) {
		f.Add(payload(encode(f, m)))
	}
	img := make([]float32, 28*28)
	for i := range img {
		img[i] = float32(i%9) / 8
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		file := signed(p)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := Decode(bytes.NewReader(file))
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20+16*uint64(len(file)) {
			t.Fatalf("decoding a %d-byte file allocated %d bytes (%v)", len(file), n, err)
		}
		if err != nil {
			return
		}
		again, err := Decode(bytes.NewReader(encode(t, m)))
		if err != nil {
			t.Fatalf("re-encoded model rejected: %v", err)
		}
		if !slices.Equal(again.Net.Weights(), m.Net.Weights()) || !slices.Equal(again.Classes, m.Classes) || again.Record != m.Record {
			t.Fatal("re-encoded model differs")
		}
		if sum, _ := nn.Analyze(m.Net.Spec); sum.FLOPs > 1<<22 {
			return // accepted, but too slow to run at every input
		}
		probs, err := m.Predict(img, 28, 28)
		if err != nil || len(probs) != len(m.Classes) {
			t.Fatalf("predict: %d probabilities for %d classes, %v", len(probs), len(m.Classes), err)
		}
	})
}

// FuzzDecodeHeader mutates a model file's JSON header alone and frames it
// as a file with as many weights as its architecture has (when nn can
// analyse it and it has at most a million), so that the fuzzer explores
// architectures and header fields rather than framing: the same properties
// as FuzzDecodePayload hold.
func FuzzDecodeHeader(f *testing.F) {
	for _, m := range fuzzSeeds(f) {
		p := payload(encode(f, m))
		hlen := binary.LittleEndian.Uint32(p)
		f.Add(p[4 : 4+hlen])
	}
	img := make([]float32, 28*28)
	for i := range img {
		img[i] = float32(i%5) / 4
	}
	f.Fuzz(func(t *testing.T, h []byte) {
		count := 0
		var parsed header
		if json.Unmarshal(h, &parsed) == nil {
			if sum, err := nn.Analyze(parsed.Spec); err == nil && sum.Params <= 1<<20 {
				count = sum.Params
			}
		}
		p := binary.LittleEndian.AppendUint32(nil, uint32(len(h)))
		p = append(p, h...)
		p = binary.LittleEndian.AppendUint32(p, uint32(count))
		for i := range count {
			p = binary.LittleEndian.AppendUint32(p, math.Float32bits(float32(i%7-3)/10))
		}
		file := signed(p)
		m, err := Decode(bytes.NewReader(file))
		if err != nil {
			return
		}
		if _, err := Decode(bytes.NewReader(encode(t, m))); err != nil {
			t.Fatalf("re-encoded model rejected: %v", err)
		}
		if sum, _ := nn.Analyze(m.Net.Spec); sum.FLOPs > 1<<22 {
			return
		}
		probs, err := m.Predict(img, 28, 28)
		if err != nil || len(probs) != len(m.Classes) {
			t.Fatalf("predict: %d probabilities for %d classes, %v", len(probs), len(m.Classes), err)
		}
	})
}

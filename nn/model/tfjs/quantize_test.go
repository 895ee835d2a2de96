package tfjs

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"testing"
)

// TestHalf: IEEE half floats, by their bit patterns.
func TestHalf(t *testing.T) {
	for bits, want := range map[uint16]float32{
		0x0000: 0, 0x3c00: 1, 0xc000: -2, 0x3555: 0.333251953125, 0x7bff: 65504,
		0x0400: 1.0 / (1 << 14), 0x0001: 1.0 / (1 << 24), 0x83ff: -1023.0 / (1 << 24),
	} {
		if got := half(bits); got != want {
			t.Errorf("half(%#04x) = %v, want %v", bits, got, want)
		}
	}
	if !math.IsInf(float64(half(0xfc00)), -1) || !math.IsNaN(float64(half(0x7e00))) {
		t.Errorf("half(0xfc00) = %v, half(0x7e00) = %v", half(0xfc00), half(0x7e00))
	}
}

// TestDecodeQuantized: weights tensorflowjs_converter quantized to uint8,
// uint16 and float16 read as q·scale+min and as half floats.
func TestDecodeQuantized(t *testing.T) {
	m := testModel(t, testSpecs()["same-pads"], 1) // conv1 kernel, bias; dense1 kernel, bias
	files, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	params := m.Net.Params()
	halves := []uint16{0x3c00, 0xc000, 0x3555}
	var shard []byte
	var want []float32
	for i := range params[0].W {
		shard = append(shard, byte(i*9))
		want = append(want, float32(float64(byte(i*9))*0.01-1))
	}
	for _, h := range halves {
		shard = binary.LittleEndian.AppendUint16(shard, h)
		want = append(want, half(h))
	}
	for i := range params[2].W {
		q := uint16(i * 300)
		shard = binary.LittleEndian.AppendUint16(shard, q)
		want = append(want, float32(float64(q)*0.001-2))
	}
	for _, v := range params[3].W {
		shard = binary.LittleEndian.AppendUint32(shard, math.Float32bits(v))
		want = append(want, v)
	}
	quantized := mutate(t, files, func(mj map[string]any, ls []any) []any {
		w := weightsOf(mj)
		w[0].(map[string]any)["quantization"] = map[string]any{"dtype": "uint8", "scale": 0.01, "min": -1}
		w[1].(map[string]any)["quantization"] = map[string]any{"dtype": "float16"}
		w[2].(map[string]any)["quantization"] = map[string]any{"dtype": "uint16", "scale": 0.001, "min": -2}
		return ls
	})
	quantized[1].Data = shard
	got, err := Decode(quantized)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got.Net.WeightData() {
		if v != want[i] {
			t.Fatalf("weight %d is %v, want %v", i, v, want[i])
		}
	}
	var mj struct{ WeightsManifest []weightGroup }
	if err := json.Unmarshal(quantized[0].Data, &mj); err != nil || mj.WeightsManifest[0].Weights[1].Quantization.Dtype != "float16" {
		t.Fatalf("the test did not quantize: %v", err)
	}
}

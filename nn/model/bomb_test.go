package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

// rawFile assembles a model file around header, with count zero weights
// and a correct checksum: what a hostile file looks like to Decode once it
// is past the checksum.
func rawFile(header string, count int) []byte {
	var b bytes.Buffer
	b.WriteString(magic)
	b.Write(binary.LittleEndian.AppendUint32(nil, version))
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(header))))
	b.WriteString(header)
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(count)))
	b.Write(make([]byte, 4*count))
	b.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))
	return b.Bytes()
}

// specHeader is a header for spec with the given class count and no
// parameter list.
func specHeader(t testing.TB, spec nn.Spec, classes int) string {
	b, err := json.Marshal(header{Spec: spec, Classes: make([]string, classes)})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodeCost decodes file and returns its error and the bytes allocated.
func decodeCost(file []byte) (error, uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decode(bytes.NewReader(file))
	runtime.ReadMemStats(&after)
	return err, after.TotalAlloc - before.TotalAlloc
}

// TestDecodeRefusesParameterBomb: a file of a few hundred bytes whose
// header declares 52 million parameters is refused for under 20 MB (nn.Build
// ran first and allocated hundreds of megabytes).
func TestDecodeRefusesParameterBomb(t *testing.T) {
	spec := nn.Spec{Input: nn.Shape{H: 1020, W: 1020, C: 5}, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}
	file := rawFile(specHeader(t, spec, 10), 0)
	err, cost := decodeCost(file)
	t.Logf("%d-byte file declaring 52,020,010 parameters: %v; allocated %d KB", len(file), err, cost>>10)
	if err == nil || !strings.Contains(err.Error(), "the architecture has 52020010 weights; the file holds 0") {
		t.Errorf("error %v", err)
	}
	if cost >= 20<<20 {
		t.Errorf("refusing it allocated %d MB, want under 20", cost>>20)
	}
}

// TestDecodeRefusesActivationBomb: an honest file of a network with few
// weights but a gigabyte of activations for one example is refused before
// anything is built.
func TestDecodeRefusesActivationBomb(t *testing.T) {
	spec := nn.Spec{Input: nn.Shape{H: 1024, W: 1024, C: 1}, Layers: []nn.LayerSpec{
		{Type: "conv", Filters: 256, Size: 1}, {Type: "avgpool", Size: 32},
		{Type: "conv", Filters: 2, Size: 32}, {Type: "flatten"}, {Type: "softmax"}}}
	sum, err := nn.Analyze(spec)
	if err != nil {
		t.Fatal(err)
	}
	file := rawFile(specHeader(t, spec, 2), sum.Params)
	err, cost := decodeCost(file)
	t.Logf("%d-byte file, %d weights: %v; allocated %d MB", len(file), sum.Params, err, cost>>20)
	if err == nil || !strings.Contains(err.Error(), "activations of one example take 1029 MiB; at most 768 MiB") {
		t.Errorf("error %v", err)
	}
	if cost >= 3*uint64(len(file))+20<<20 {
		t.Errorf("refusing it allocated %d MB", cost>>20)
	}
}

// TestDecodeRefusesLongLists: a megabyte header of a third of a million
// empty layers, parameters, class names or dimensions (which decoded into up
// to 120 MB of structures) is refused for under 20 MB, as is deep nesting.
func TestDecodeRefusesLongLists(t *testing.T) {
	many := func(item string) string { return strings.Repeat(item+",", 349000) + item }
	for name, h := range map[string]string{
		"layers":  `{"spec":{"layers":[` + many("{}") + `]}}`,
		"params":  `{"params":[` + many("{}") + `]}`,
		"classes": `{"classes":[` + many(`""`) + `]}`,
		"dims":    `{"params":[{"dims":[` + many("1") + `]}]}`,
		"nesting": `{"record":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
	} {
		err, cost := decodeCost(rawFile(h, 0))
		t.Logf("%s: %v; allocated %d KB", name, err, cost>>10)
		if err == nil || !strings.Contains(err.Error(), "model: header:") {
			t.Errorf("%s: error %v", name, err)
		}
		if cost >= 20<<20 {
			t.Errorf("%s: refusing it allocated %d MB, want under 20", name, cost>>20)
		}
	}
}

// TestDecodeRefusesTooManyLayers: the layer count is checked against
// MaxLayers with a message that says so.
func TestDecodeRefusesTooManyLayers(t *testing.T) {
	spec := nn.Spec{Input: nn.Shape{H: 4, W: 4, C: 1}}
	for range MaxLayers {
		spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "relu"})
	}
	spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "flatten"}, nn.LayerSpec{Type: "softmax"})
	_, err := Decode(bytes.NewReader(rawFile(specHeader(t, spec, 16), 0)))
	if want := fmt.Sprintf("%d layers; at most %d", MaxLayers+2, MaxLayers); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestScanLists(t *testing.T) {
	for _, c := range []struct {
		json  string
		items int
		depth int
	}{
		{`{}`, 0, 1},
		{`[]`, 0, 1},
		{`[ ]`, 0, 1},
		{`[1]`, 1, 1},
		{`[1, 2 ,3]`, 3, 1},
		{`{"a":[[],[1,2],{"b":"x,y]"}],"c":"\"[,,,"}`, 3, 3},
		{`["\\",",",""]`, 3, 1},
	} {
		items, depth := scanLists([]byte(c.json))
		if items != c.items || depth != c.depth {
			t.Errorf("%s: longest list %d, depth %d; want %d, %d", c.json, items, depth, c.items, c.depth)
		}
	}
}

package tfjs

import (
	"bytes"
	"encoding/json"
	"math"
	"runtime"
	"strings"
	"testing"
)

// mutate returns files with model.json changed by f, which gets it decoded
// and the list of its topology's layers.
func mutate(t *testing.T, files []File, f func(mj map[string]any, layers []any) []any) []File {
	t.Helper()
	var mj map[string]any
	if err := json.Unmarshal(files[0].Data, &mj); err != nil {
		t.Fatal(err)
	}
	cfg := mj["modelTopology"].(map[string]any)["config"].(map[string]any)
	cfg["layers"] = f(mj, cfg["layers"].([]any))
	b, err := json.Marshal(mj)
	if err != nil {
		t.Fatal(err)
	}
	return append([]File{{ModelFile, b}}, files[1:]...)
}

func cfgOf(l any) map[string]any { return l.(map[string]any)["config"].(map[string]any) }

func weightsOf(mj map[string]any) []any {
	return mj["weightsManifest"].([]any)[0].(map[string]any)["weights"].([]any)
}

// TestDecodeErrors: what cnnplay cannot read is an error that says what
// and, for a layer, names its class, name and position.
func TestDecodeErrors(t *testing.T) {
	// explicit-pads is ZeroPadding2D conv1_pad, Conv2D conv1, LeakyReLU,
	// ZeroPadding2D, Conv2D conv2, Activation, AveragePooling2D, Dropout,
	// Flatten, Dense, Activation, Dense, Activation softmax, on 8x7x2.
	files, err := Encode(testModel(t, testSpecs()["explicit-pads"], 1))
	if err != nil {
		t.Fatal(err)
	}
	type edit = func(mj map[string]any, ls []any) []any
	cases := []struct {
		name string
		edit edit
		want string
	}{
		{"unknown layer", func(_ map[string]any, ls []any) []any {
			ls[1].(map[string]any)["class_name"] = "BatchNormalization"
			return ls
		}, `layer 2 (BatchNormalization "conv1"): cnnplay has no BatchNormalization layer; it imports InputLayer`},
		{"unequal padding", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[0])["padding"] = [][]int{{0, 1}, {0, 1}}
			return ls
		}, `layer 1 (ZeroPadding2D "conv1_pad"): padding top 0, bottom 1, left 0, right 1: cnnplay pads all four sides equally`},
		{"same pads unequally", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[1])["padding"], cfgOf(ls[1])["batch_input_shape"] = "same", cfgOf(ls[0])["batch_input_shape"]
			return ls[1:]
		}, `layer 1 (Conv2D "conv1"): padding "same" for a 3x3 window, stride 2, on a 8x7 input pads more at the bottom and right`},
		{"padding before pooling", func(_ map[string]any, ls []any) []any {
			return append(ls[:6:6], append([]any{ls[0]}, ls[6:]...)...)
		}, `layer 7 (ZeroPadding2D "conv1_pad"): padding before a AveragePooling2D`},
		{"channels first", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[1])["data_format"] = "channels_first"
			return ls
		}, `layer 2 (Conv2D "conv1"): data_format "channels_first"`},
		{"dilation", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[1])["dilation_rate"] = []int{2, 2}
			return ls
		}, `dilation rate [2,2]`},
		{"rectangular kernel", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[1])["kernel_size"] = []int{3, 1}
			return ls
		}, `kernel size [3,1]: cnnplay takes square windows`},
		{"dense on a volume", func(_ map[string]any, ls []any) []any {
			return append(ls[:8:8], ls[9:]...)
		}, `layer 9 (Dense "dense1"): a Dense on a rank-4 tensor acts on each position`},
		{"unknown activation", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[5])["activation"] = "elu"
			return ls
		}, `layer 6 (Activation "tanh1"): activation "elu"`},
		{"leaky slope", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[2])["alpha"] = 1.5
			return ls
		}, `negative slope 1.5`},
		{"softmax axis", func(_ map[string]any, ls []any) []any {
			ls[12] = map[string]any{"class_name": "Softmax", "config": map[string]any{"name": "s", "axis": 0}}
			return ls
		}, `softmax over axis 0`},
		{"no softmax", func(_ map[string]any, ls []any) []any { return ls[:12] }, "does not end in a softmax"},
		{"kernel shape", func(mj map[string]any, ls []any) []any {
			weightsOf(mj)[0].(map[string]any)["shape"] = []int{3, 3, 2, 4}
			return ls
		}, `layer 2 (Conv2D "conv1"): weight "conv1/kernel" has shape [3 3 2 4]; the layer needs [3 3 2 3]`},
		{"missing weight", func(mj map[string]any, ls []any) []any {
			weightsOf(mj)[1].(map[string]any)["name"] = "other/bias"
			return ls
		}, `the manifest has no weight "conv1/bias"`},
		{"quantized", func(mj map[string]any, ls []any) []any {
			weightsOf(mj)[0].(map[string]any)["quantization"] = map[string]any{"dtype": "int8", "scale": 0.1, "min": -1}
			return ls
		}, `weight "conv1/kernel": float32 quantized as "int8"; TF.js quantizes float32 as uint8, uint16 or float16`},
		{"int weights", func(mj map[string]any, ls []any) []any {
			weightsOf(mj)[0].(map[string]any)["dtype"] = "int32"
			return ls
		}, `layer 2 (Conv2D "conv1"): weight "conv1/kernel" is int32; cnnplay reads float32 weights`},
		{"absurd weight", func(mj map[string]any, ls []any) []any {
			weightsOf(mj)[2].(map[string]any)["shape"] = []int{1 << 30, 1 << 30}
			return ls
		}, `has shape [1073741824 1073741824]: over 256 MiB`},
		{"too many weights", func(mj map[string]any, ls []any) []any {
			w := weightsOf(mj)
			for i := range 3 {
				w = append(w, map[string]any{"name": "x" + string(rune('a'+i)), "shape": []int{6000, 6000}, "dtype": "float32"})
			}
			mj["weightsManifest"].([]any)[0].(map[string]any)["weights"] = w
			return ls
		}, `the manifest declares over 256 MiB of weights`},
		{"wrong class count", func(mj map[string]any, ls []any) []any {
			mj["userDefinedMetadata"].(map[string]any)["cnnplay"].(map[string]any)["classes"] = []string{"a"}
			return ls
		}, `userDefinedMetadata names 1 classes for a network of 3`},
		{"graph model", func(mj map[string]any, ls []any) []any {
			mj["format"] = "graph-model"
			return ls
		}, `a TF.js graph model`},
		{"too many layers", func(_ map[string]any, ls []any) []any {
			for range 120 {
				ls = append(ls[:8:8], append([]any{ls[7]}, ls[8:]...)...)
			}
			return ls
		}, `the model has 133 layers; at most 130 are allowed`},
		{"too many cnnplay layers", func(_ map[string]any, ls []any) []any {
			for range 60 {
				ls = append(ls[:8:8], append([]any{ls[7]}, ls[8:]...)...)
			}
			return ls
		}, `the model makes 71 cnnplay layers; at most 64 are allowed`},
		{"no input shape", func(_ map[string]any, ls []any) []any {
			delete(cfgOf(ls[0]), "batch_input_shape")
			return ls
		}, `layer 1 (ZeroPadding2D "conv1_pad"): the first layer declares no input shape`},
		{"absurd input", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[0])["batch_input_shape"] = []any{nil, 1 << 40, 7, 2}
			return ls
		}, `input shape [?,1099511627776,7,2]: every size but the batch must be between 1 and 1024`},
	}
	for _, c := range cases {
		_, err := Decode(mutate(t, files, c.edit))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	shard := files[1].Data
	nan := append([]byte(nil), shard...)
	copy(nan, []byte{0, 0, 0xc0, 0x7f})
	for _, c := range []struct {
		name  string
		files []File
		want  string
	}{
		{"short shard", []File{files[0], {files[1].Name, shard[:len(shard)-4]}}, "hold fewer bytes than its weights take"},
		{"long shard", []File{files[0], {files[1].Name, append(shard[:len(shard):len(shard)], 0)}}, "hold more bytes than its weights take"},
		{"NaN weight", []File{files[0], {files[1].Name, nan}}, `weight "conv1/kernel" holds NaN`},
		{"missing shard", files[:1], `weight file "group1-shard1of1.bin": not among the files`},
		{"no model.json", files[1:], "no model.json"},
		{"deep", []File{{ModelFile, []byte(strings.Repeat("[", 40) + strings.Repeat("]", 40))}}, "nested more than 32 deep"},
		{"long list", []File{{ModelFile, []byte(`{"x":[` + strings.Repeat("{},", 2000) + `{}]}`)}}, "a list of more than 1000 items"},
		{"large", []File{{ModelFile, bytes.Repeat([]byte(" "), MaxModelJSONBytes+1)}}, "model.json is larger than 1024 KiB"},
		{"not JSON", []File{{ModelFile, []byte("\x89PNG")}}, "tfjs: model.json: invalid character"},
	} {
		_, err := Decode(c.files)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestDecodeRefusesBombs: a model.json of a few kilobytes that declares a
// network of 50 million weights, or a gigabyte of activations, is refused
// for little memory, before anything is built or read.
func TestDecodeRefusesBombs(t *testing.T) {
	files, err := Encode(testModel(t, testSpecs()["explicit-pads"], 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(map[string]any, []any) []any
		want string
	}{
		{"parameters", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[8])["batch_input_shape"] = []any{nil, 1024, 1024, 3}
			cfgOf(ls[9])["units"] = 20
			return ls[8:] // Flatten, Dense(20), …: 3 million inputs
		}, "over 50 million weights"},
		{"activations", func(_ map[string]any, ls []any) []any {
			cfgOf(ls[0])["batch_input_shape"] = []any{nil, 1024, 1024, 2}
			cfgOf(ls[1])["filters"] = 1000
			return ls
		}, "the activations of one example take"},
	} {
		bomb := mutate(t, files, c.edit)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Decode(bomb)
		runtime.ReadMemStats(&after)
		cost := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d-byte model.json: %v; allocated %d KB", c.name, len(bomb[0].Data), err, cost>>10)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if cost > 4<<20 {
			t.Errorf("%s: refusing it allocated %d KB, want under 4 MB", c.name, cost>>10)
		}
	}
}

// FuzzDecode: no model.json and shard make Decode panic, and what it
// reads encodes again.
func FuzzDecode(f *testing.F) {
	for _, spec := range testSpecs() {
		files, err := Encode(testModel(f, spec, 1))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(files[0].Data, files[1].Data)
	}
	f.Fuzz(func(t *testing.T, mj, shard []byte) {
		m, err := Decode([]File{{ModelFile, mj}, {"group1-shard1of1.bin", shard}})
		if err != nil {
			return
		}
		for _, v := range m.Net.WeightData() {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("a weight is %v", v)
			}
		}
		if _, err := Encode(m); err != nil {
			t.Fatalf("Decode read a model Encode refuses: %v", err)
		}
	})
}

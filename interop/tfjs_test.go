//go:build !js

package interop

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
	"github.com/cnnplay/cnnplay/nn/train"
)

// everyLayerSpec has every layer kind cnnplay has, a stride-2 convolution
// of an even side and an even kernel (which Keras' "same" pads
// asymmetrically, so the export pads explicitly), and a dense layer straight
// on a volume (the export adds the Flatten Keras needs).
var everyLayerSpec = nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Mean: 0.1307, Std: 0.3081, Layers: []nn.LayerSpec{
	{Type: "conv", Filters: 8, Size: 3, Stride: 2, Pad: 1}, {Type: "leakyrelu", Alpha: 0.1},
	{Type: "conv", Filters: 12, Size: 4, Pad: 1}, {Type: "tanh"},
	{Type: "avgpool", Size: 2, Stride: 1},
	{Type: "maxpool", Size: 3, Stride: 2}, {Type: "sigmoid"},
	{Type: "conv", Filters: 16, Size: 3, Pad: 1}, {Type: "relu"},
	{Type: "dropout", Rate: 0.3},
	{Type: "dense", Units: 32}, {Type: "relu"},
	{Type: "dense", Units: 10}, {Type: "softmax"},
}}

// TestTFJS exports every preset (trained briefly with a fixed seed), a
// network of every layer kind and both shipped models as TF.js layers
// models, runs them in TensorFlow.js (pure JS, cpu backend) on the 10,000
// test images, and compares the probabilities with cnnplay's own.
func TestTFJS(t *testing.T) {
	nm := nodeModules(t, "@tensorflow/tfjs")
	cands := candidates(t)
	mnistTrain, _ := testImages(t, "mnist")
	cands = append(cands, candidate{name: "every layer kind", m: trainBriefly(t, "every layer kind", everyLayerSpec, mnistTrain), test: cands[0].test})
	dir := t.TempDir()
	t.Logf("%-22s %8s %12s %10s %10s", "model", "top-1 =", "max |Δp|", "cnnplay", "TF.js")
	for _, c := range cands {
		files, err := tfjs.Encode(c.m)
		if err != nil {
			t.Fatal(err)
		}
		folder, err := os.MkdirTemp(dir, "model")
		if err != nil {
			t.Fatal(err)
		}
		got, meta := tfjsPredict(t, nm, writeModel(t, folder, files), pixels(c.m.Net, c.test), c.test.N)
		r := compareProbs(cnnplayProbs(t, c.m.Net, c.test), got, c.test.Labels, c.m.Net.Classes())
		t.Logf("%-22s %7.2f%% %12.3g %9.2f%% %9.2f%%", c.name, 100*float64(r.agree)/float64(c.test.N), r.maxDiff,
			100*float64(r.rightGo)/float64(c.test.N), 100*float64(r.rightORT)/float64(c.test.N))
		if r.agree*1000 < c.test.N*999 {
			t.Errorf("%s: top-1 agrees on %d of %d test images; want at least 99.9%%", c.name, r.agree, c.test.N)
		}
		if !(r.maxDiff <= 1e-4) {
			t.Errorf("%s: probabilities differ by up to %g; want at most 1e-4", c.name, r.maxDiff)
		}
		if c.shipped {
			// cnn eval's figure: train.Evaluate, as evalCmd runs it.
			ev := train.Evaluate(c.m.Net, c.test, 500)
			if right := int(math.Round(ev.Acc * float64(c.test.N))); right != r.rightORT {
				t.Errorf("%s: TF.js classifies %d of %d right, cnn eval %d", c.name, r.rightORT, c.test.N, right)
			}
		}
		var md struct{ CNNPlay struct{ Classes []string } }
		if err := json.Unmarshal(meta, &md); err != nil || !slices.Equal(md.CNNPlay.Classes, c.m.Classes) {
			t.Errorf("%s: TF.js read the metadata %s (%v)", c.name, meta, err)
		}
	}
}

// TestTFJSTrainedInTFJS: Keras' mnist_cnn (the keras preset's layers),
// trained for one epoch in TF.js on the first 256 MNIST training images
// and saved by TF.js, imports into cnnplay as the keras preset and gives
// TF.js' own predictions on the first 1,000 test images; and it exports
// and imports again unchanged.
func TestTFJSTrainedInTFJS(t *testing.T) {
	nm := nodeModules(t, "@tensorflow/tfjs")
	const n, m = 256, 1000
	mnistTrain, mnistTest := testImages(t, "mnist")
	trainSet, test := mnistTrain.Head(n), mnistTest.Head(m)
	dir := t.TempDir()
	all := func(s *dataset.Set) []float32 {
		x := make([]float32, 0, s.N*s.H*s.W)
		for i := range s.N {
			x = append(x, s.Image(i)...)
		}
		return x
	}
	writeFloats(t, filepath.Join(dir, "train-x.bin"), all(trainSet))
	if err := os.WriteFile(filepath.Join(dir, "train-y.bin"), trainSet.Labels, 0o644); err != nil {
		t.Fatal(err)
	}
	writeFloats(t, filepath.Join(dir, "test-x.bin"), all(test))
	out := filepath.Join(dir, "saved")
	stdout := runNode(t, nm, "tfjs_train.mjs", filepath.Join(dir, "train-x.bin"), filepath.Join(dir, "train-y.bin"),
		strconv.Itoa(n), filepath.Join(dir, "test-x.bin"), strconv.Itoa(m), out)
	t.Logf("TF.js trained one epoch on %d images: %s", n, stdout)
	want := readFloats(t, filepath.Join(out, "probs.bin"))

	got, err := tfjs.ReadFS(os.DirFS(out), tfjs.ModelFile)
	if err != nil {
		t.Fatal(err)
	}
	keras, _ := nn.Preset("keras")
	if !slices.Equal(got.Net.Spec.Layers, keras.Layers) || got.Net.Spec.Input != keras.Input {
		t.Errorf("imported %+v, want the keras preset's layers %+v", got.Net.Spec, keras)
	}
	r := compareProbs(cnnplayProbs(t, got.Net, test), want, test.Labels, 10)
	t.Logf("%d test images: top-1 agreement %.2f%%, largest probability difference %.3g, accuracy cnnplay %.2f%% TF.js %.2f%%",
		m, 100*float64(r.agree)/m, r.maxDiff, 100*float64(r.rightGo)/m, 100*float64(r.rightORT)/m)
	if r.agree*1000 < m*999 || !(r.maxDiff <= 1e-4) {
		t.Errorf("top-1 agrees on %d of %d (want 99.9%%), probabilities within %g (want 1e-4)", r.agree, m, r.maxDiff)
	}
	// One epoch of 256 images reached 56.6% here (chance is 10%; the
	// order and the dropout are TF.js' own random draws, so it varies).
	if r.rightORT < m*3/10 {
		t.Errorf("TF.js' model is right on %d of %d: it did not train", r.rightORT, m)
	}
	files, err := tfjs.Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	again, err := tfjs.Decode(files)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Net.WeightData(), got.Net.WeightData()) || !slices.Equal(again.Net.Spec.Layers, got.Net.Spec.Layers) {
		t.Error("export → import changed the imported model")
	}
}

// runNode runs a script of this folder with the pinned modules and returns
// what it prints.
func runNode(t *testing.T, nm, script string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("node", append([]string{script}, args...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nm)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("node %s: %v\n%s", script, err, msg)
	}
	return out
}

// tfjsPredict runs the layers model at modelPath in TF.js on n examples x
// (NHWC) and returns its probabilities and its userDefinedMetadata as
// TF.js read it.
func tfjsPredict(t *testing.T, nm, modelPath string, x []float32, n int) ([]float32, json.RawMessage) {
	t.Helper()
	dir := filepath.Dir(modelPath)
	in, out := filepath.Join(dir, "x.bin"), filepath.Join(dir, "probs.bin")
	writeFloats(t, in, x)
	stdout := runNode(t, nm, "tfjs_predict.mjs", modelPath, in, strconv.Itoa(n), out)
	var info struct{ Metadata json.RawMessage }
	if err := json.Unmarshal(stdout, &info); err != nil {
		t.Fatalf("tfjs_predict.mjs printed %q: %v", stdout, err)
	}
	return readFloats(t, out), info.Metadata
}

// writeModel writes a layers model's files into dir and returns the path
// of its model.json.
func writeModel(t *testing.T, dir string, files []tfjs.File) string {
	t.Helper()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, tfjs.ModelFile)
}

func writeFloats(t *testing.T, path string, v []float32) {
	t.Helper()
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFloats(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// pixels returns the images of s as an exported model takes them: [0,1],
// cropped to the network's input at the centre, as cnnplay crops them,
// and repeated across its channels (NHWC).
func pixels(net *nn.Network, s *dataset.Set) []float32 {
	in := net.InShape()
	x := make([]float32, 0, s.N*in.Size())
	img := make([]float32, s.H*s.W)
	y0, x0 := (s.H-in.H)/2, (s.W-in.W)/2
	for i := range s.N {
		s.ImageTo(img, i)
		for y := range in.H {
			for _, v := range img[(y0+y)*s.W+x0:][:in.W] {
				for range in.C {
					x = append(x, v)
				}
			}
		}
	}
	return x
}

// cnnplayProbs returns cnnplay's probabilities for every image of s, each
// fed as model.Predict feeds it (model.Input: cropped and normalised).
func cnnplayProbs(t *testing.T, net *nn.Network, s *dataset.Set) []float32 {
	t.Helper()
	in := net.InShape().Size()
	const batch = 500
	x := make([]float32, batch*in)
	img := make([]float32, s.H*s.W)
	probs := make([]float32, 0, s.N*net.Classes())
	for i := 0; i < s.N; i += batch {
		m := min(batch, s.N-i)
		for j := range m {
			if err := model.Input(net, x[j*in:(j+1)*in], s.ImageTo(img, i+j), s.H, s.W); err != nil {
				t.Fatal(err)
			}
		}
		probs = append(probs, net.Forward(x[:m*in], m, nn.Pass{})...)
	}
	return probs
}

// compareProbs compares cnnplay's probabilities (ours) with a runtime's
// (theirs, counted in rightORT), n×k each, n the number of labels.
func compareProbs(ours, theirs []float32, labels []uint8, k int) comparison {
	var r comparison
	if len(ours) != len(theirs) {
		r.maxDiff = math.Inf(1)
		return r
	}
	for i, y := range labels {
		p, q := ours[i*k:(i+1)*k], theirs[i*k:(i+1)*k]
		for j := range p {
			if d := math.Abs(float64(q[j] - p[j])); d > r.maxDiff || math.IsNaN(d) {
				r.maxDiff = d
			}
		}
		a, b := nn.Argmax(p), nn.Argmax(q)
		if a == b {
			r.agree++
		}
		if a == int(y) {
			r.rightGo++
		}
		if b == int(y) {
			r.rightORT++
		}
	}
	return r
}

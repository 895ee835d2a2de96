//go:build !js

package tfjs

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/train"
	models "github.com/cnnplay/cnnplay/web/models"
)

// The tests named TestInteropTFJS* run exported models in TensorFlow.js
// (@tensorflow/tfjs, pinned in interop/package-lock.json, pure JS on its
// cpu backend) under node and compare its outputs with cnnplay's. They
// need node and the pinned packages in .cache/npm-interop (or the folder
// CNNPLAY_NPM_INTEROP names), which `make test-interop` installs; without
// either they skip, saying so.

// interopNPMEnv names a folder holding node_modules with the pinned
// packages, instead of the repository's .cache/npm-interop.
const interopNPMEnv = "CNNPLAY_NPM_INTEROP"

// nodeEnv returns node's path and the npm folder, or skips the test.
func nodeEnv(t *testing.T) (node, npm string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the TF.js interop tests need it (make test-interop)")
	}
	npm = os.Getenv(interopNPMEnv)
	if npm == "" {
		npm, err = filepath.Abs("../../../.cache/npm-interop")
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(npm, "node_modules/@tensorflow/tfjs/package.json")); err != nil {
		t.Skipf("@tensorflow/tfjs is not installed in %s: run make test-interop (npm ci --ignore-scripts of interop/package-lock.json there)", npm)
	}
	return node, npm
}

// script returns the path of a node script in interop/.
func script(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("../../../interop", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeFiles writes a layers model's files into dir and returns the path
// of its model.json.
func writeFiles(t *testing.T, dir string, files []File) string {
	t.Helper()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, ModelFile)
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

// tfjsInfo is what tfjs_predict.mjs prints of the model TF.js loaded.
type tfjsInfo struct {
	Input    []*int          `json:"input"`
	Output   []*int          `json:"output"`
	Layers   []string        `json:"layers"`
	Metadata json.RawMessage `json:"metadata"`
}

// tfjsPredict runs the layers model at modelPath in TF.js on n examples x
// (NHWC) and returns its probabilities and what it says of the model.
func tfjsPredict(t *testing.T, modelPath string, x []float32, n int) ([]float32, tfjsInfo) {
	t.Helper()
	node, npm := nodeEnv(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "x.bin"), filepath.Join(dir, "probs.bin")
	writeFloats(t, in, x)
	cmd := exec.Command(node, script(t, "tfjs_predict.mjs"), npm, modelPath, in, itoa(n), out)
	stdout, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("tfjs_predict.mjs: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var info tfjsInfo
	if err := json.Unmarshal(stdout, &info); err != nil {
		t.Fatalf("tfjs_predict.mjs printed %q: %v", stdout, err)
	}
	return readFloats(t, out), info
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// testSet returns the test set of the named dataset, or skips for an
// optional dataset that is not installed.
func testSet(t *testing.T, name string) *dataset.Set {
	t.Helper()
	e, err := dataset.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := e.Load()
	if err != nil {
		if e.Install != "" {
			t.Skipf("%s is not installed (%s): %v", e.Title, e.Install, err)
		}
		t.Fatal(err)
	}
	return test
}

// pixels returns the test images as an exported model takes them: [0,1],
// cropped to the network's input at the centre, as cnnplay crops them, and
// repeated across its channels.
func pixels(net *nn.Network, s *dataset.Set) []float32 {
	in := net.InShape()
	x := make([]float32, 0, s.N*in.Size())
	img := make([]float32, s.H*s.W)
	y0, x0 := (s.H-in.H)/2, (s.W-in.W)/2
	for i := range s.N {
		s.ImageTo(img, i)
		for y := range in.H {
			for _, v := range img[(y0+y)*s.W+x0 : (y0+y)*s.W+x0+in.W] {
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
	var probs []float32
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

// agreement compares two sets of n×k probabilities: the fraction of
// examples whose top-1 class is the same, the largest difference of any
// probability, and each side's accuracy against labels.
type agreement struct {
	top1, maxDiff, accA, accB float64
}

func compare(a, b []float32, labels []uint8, k int) agreement {
	n := len(labels)
	var r agreement
	same, rightA, rightB := 0, 0, 0
	for i := range n {
		ra, rb := a[i*k:(i+1)*k], b[i*k:(i+1)*k]
		ta, tb := nn.Argmax(ra), nn.Argmax(rb)
		if ta == tb {
			same++
		}
		if ta == int(labels[i]) {
			rightA++
		}
		if tb == int(labels[i]) {
			rightB++
		}
		for j := range ra {
			r.maxDiff = max(r.maxDiff, math.Abs(float64(ra[j]-rb[j])))
		}
	}
	r.top1 = float64(same) / float64(n)
	r.accA, r.accB = float64(rightA)/float64(n), float64(rightB)/float64(n)
	return r
}

// interopModels are the models the agreement test exports: every preset,
// trained briefly from a fixed seed, a network of every layer kind with
// paddings Keras' "same" cannot express, and both shipped models.
func interopModels(t *testing.T) map[string]*model.Model {
	t.Helper()
	ms := map[string]*model.Model{}
	trainSet := trainingHead(t, 2000)
	for _, name := range nn.PresetNames() {
		spec, err := nn.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		ms[name] = trainBriefly(t, spec, trainSet)
	}
	ms["every-layer"] = trainBriefly(t, everyLayerSpec(), trainSet)
	for name, file := range map[string]string{"digits": models.Digits, "fashion": models.Fashion} {
		f, err := models.Files.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		ms[name] = m
	}
	return ms
}

// everyLayerSpec has every layer kind cnnplay has, a stride-2 convolution
// of an even side and an even kernel (which Keras' "same" pads
// asymmetrically, so the export pads explicitly), and a dense layer straight
// on a volume (the export adds the Flatten Keras needs).
func everyLayerSpec() nn.Spec {
	return nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Mean: 0.1307, Std: 0.3081, Layers: []nn.LayerSpec{
		{Type: "conv", Filters: 8, Size: 3, Stride: 2, Pad: 1}, {Type: "leakyrelu", Alpha: 0.1},
		{Type: "conv", Filters: 12, Size: 4, Pad: 1}, {Type: "tanh"},
		{Type: "avgpool", Size: 2, Stride: 1},
		{Type: "maxpool", Size: 3, Stride: 2}, {Type: "sigmoid"},
		{Type: "conv", Filters: 16, Size: 3, Pad: 1}, {Type: "relu"},
		{Type: "dropout", Rate: 0.3},
		{Type: "dense", Units: 32}, {Type: "relu"},
		{Type: "dense", Units: 10}, {Type: "softmax"},
	}}
}

func trainingHead(t *testing.T, n int) *dataset.Set {
	t.Helper()
	dir, err := dataset.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	trainSet, _, err := dataset.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	return trainSet.Head(n)
}

// trainBriefly builds spec from a fixed seed and trains it for one epoch on
// s, enough to make its predictions confident and its top-1 class
// meaningful.
func trainBriefly(t *testing.T, spec nn.Spec, s *dataset.Set) *model.Model {
	t.Helper()
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := train.Config{Optimizer: nn.OptimizerSpec{Kind: "adam", LR: 0.001}, BatchSize: 32, Epochs: 1, Seed: 3}
	tr, err := train.New(net, s, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for !tr.Done() {
		if _, err := tr.Step(); err != nil {
			t.Fatal(err)
		}
	}
	return &model.Model{Net: net, Classes: dataset.MNISTClasses, Record: model.Record{Dataset: "mnist", Epochs: 1, Examples: s.N, Seed: 3}}
}

// TestInteropTFJSAgreement exports every preset, a network of every layer
// kind and both shipped models, runs them in TF.js on the 10,000 test
// images of their dataset and compares with cnnplay: the top-1 class must
// agree on at least 99.9% of them, every probability within 1e-4, and the
// shipped models' accuracy in TF.js must be cnn eval's (train.Evaluate).
func TestInteropTFJSAgreement(t *testing.T) {
	nodeEnv(t)
	mnist := testSet(t, "mnist")
	for name, m := range interopModels(t) {
		t.Run(name, func(t *testing.T) {
			s := mnist
			if name == "fashion" {
				s = testSet(t, "fashion")
			}
			files, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			tf, info := tfjsPredict(t, writeFiles(t, t.TempDir(), files), pixels(m.Net, s), s.N)
			ours := cnnplayProbs(t, m.Net, s)
			if len(tf) != len(ours) {
				t.Fatalf("TF.js returned %d probabilities, cnnplay %d", len(tf), len(ours))
			}
			r := compare(ours, tf, s.Labels, m.Net.Classes())
			t.Logf("%s: %d images, top-1 agreement %.4f%%, largest probability difference %.2g, accuracy cnnplay %.2f%% TF.js %.2f%%; TF.js layers %v",
				name, s.N, 100*r.top1, r.maxDiff, 100*r.accA, 100*r.accB, info.Layers)
			if r.top1 < 0.999 {
				t.Errorf("top-1 agreement %.4f, want at least 0.999", r.top1)
			}
			if r.maxDiff > 1e-4 {
				t.Errorf("probabilities differ by up to %g, want at most 1e-4", r.maxDiff)
			}
			if name == "digits" || name == "fashion" {
				if eval := train.Evaluate(m.Net, s, 500); r.accB != eval.Acc {
					t.Errorf("TF.js accuracy %.4f, cnn eval's %.4f", r.accB, eval.Acc)
				}
			}
			var meta metadata
			if err := json.Unmarshal(info.Metadata, &meta); err != nil || meta.CNNPlay == nil || len(meta.CNNPlay.Classes) != len(m.Classes) || meta.CNNPlay.Classes[1] != m.Classes[1] {
				t.Errorf("TF.js read the metadata %s (%v)", info.Metadata, err)
			}
		})
	}
}

// TestInteropTFJSTrainedInTFJS: Keras' mnist_cnn, trained for one epoch in
// TF.js on the first 512 MNIST training images and saved by TF.js, imports
// into cnnplay and gives TF.js' own predictions on the first 1,000 test
// images (top-1 on at least 99.9%, probabilities within 1e-4), and the
// import exports, and imports again, unchanged.
func TestInteropTFJSTrainedInTFJS(t *testing.T) {
	node, npm := nodeEnv(t)
	const n, m = 512, 1000
	trainSet, test := trainingHead(t, n), testSet(t, "mnist").Head(m)
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
	cmd := exec.Command(node, script(t, "tfjs_train.mjs"), npm, filepath.Join(dir, "train-x.bin"), filepath.Join(dir, "train-y.bin"),
		itoa(n), filepath.Join(dir, "test-x.bin"), itoa(m), out)
	stdout, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("tfjs_train.mjs: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	t.Logf("TF.js trained one epoch on %d images: %s", n, stdout)
	tf := readFloats(t, filepath.Join(out, "probs.bin"))

	got, err := ReadFS(os.DirFS(out), ModelFile)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := nn.Preset("keras")
	if !slices.Equal(got.Net.Spec.Layers, want.Layers) || got.Net.Spec.Input != want.Input {
		t.Errorf("imported %+v, want the keras preset's layers %+v", got.Net.Spec, want)
	}
	ours := cnnplayProbs(t, got.Net, test)
	r := compare(ours, tf, test.Labels, 10)
	t.Logf("%d test images: top-1 agreement %.2f%%, largest probability difference %.2g, accuracy cnnplay %.2f%% TF.js %.2f%%",
		m, 100*r.top1, r.maxDiff, 100*r.accA, 100*r.accB)
	if r.top1 < 0.999 || r.maxDiff > 1e-4 {
		t.Errorf("top-1 agreement %.4f (want at least 0.999), probabilities within %g (want 1e-4)", r.top1, r.maxDiff)
	}
	if r.accB < 0.5 {
		t.Errorf("TF.js' model is right on %.1f%%: it did not train", 100*r.accB)
	}
	files, err := Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Decode(files)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, got, again)
}

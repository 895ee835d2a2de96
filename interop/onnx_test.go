//go:build !js

// Package interop checks cnnplay's exported models against the real
// runtimes, in node: `make test-interop` installs them (package-lock.json,
// into .cache/npm-interop) and runs these tests.
package interop

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/onnx"
	"github.com/cnnplay/cnnplay/nn/model/onnx/onnxtest"
	"github.com/cnnplay/cnnplay/nn/train"
	"github.com/cnnplay/cnnplay/web/models"
)

// npmEnv names the folder whose node_modules hold the pinned runtimes; make
// test-interop sets it.
const npmEnv = "CNNPLAY_INTEROP_NPM"

// nodeModules returns the node_modules folder of the runtimes, or skips
// the test: when not run by make test-interop, or, outside CI, when node
// is missing. In CI a missing node or module fails.
func nodeModules(t *testing.T, module string) string {
	t.Helper()
	dir := os.Getenv(npmEnv)
	if dir == "" {
		t.Skipf("%s is not set: run `make test-interop`, which installs the runtimes and sets it", npmEnv)
	}
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("node is missing (sudo apt-get install nodejs npm): the interop check needs it")
	}
	nm := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(nm, module, "package.json")); err != nil {
		missing("%s is not installed in %s: run `make test-interop`", module, nm)
	}
	return nm
}

// testImages returns the named dataset's 10,000 test images, or fails.
func testImages(t *testing.T, name string) (trainSet, test *dataset.Set) {
	t.Helper()
	e, err := dataset.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	trainSet, test, err = e.Load()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return trainSet, test
}

// candidate is one model the runtime is checked on.
type candidate struct {
	name    string
	m       *model.Model
	test    *dataset.Set
	shipped bool // compare the accuracy with cnn eval's as well
	// style, if set, writes the ONNX file instead of cnnplay's export
	// (onnxtest's Keras or PyTorch conventions), and cnnplay's side of the
	// comparison is the model it imports from that file.
	style func(*model.Model) ([]byte, error)
	nhwc  bool // the file's input is [N,H,W,C]
}

// TestONNXRuntime exports every preset (trained briefly with a fixed seed)
// and both shipped models, runs them in ONNX Runtime on the 10,000 test
// images, and compares the probabilities with cnnplay's own. Each preset
// is also written as Keras (through tf2onnx) and PyTorch write such a net
// (onnxtest): what ONNX Runtime computes from those files is compared with
// what cnnplay imports from them.
func TestONNXRuntime(t *testing.T) {
	nm := nodeModules(t, "onnxruntime-node")
	var cands []candidate
	for _, c := range candidates(t) {
		cands = append(cands, c)
		if !c.shipped {
			cands = append(cands,
				candidate{name: "  as Keras writes it", m: c.m, test: c.test, style: onnxtest.KerasStyle, nhwc: true},
				candidate{name: "  as PyTorch writes it", m: c.m, test: c.test, style: onnxtest.PyTorchStyle})
		}
	}
	dir := t.TempDir()
	t.Logf("%-24s %8s %12s %10s %10s", "model", "top-1 =", "max |Δp|", "cnnplay", "ORT")
	for i, c := range cands {
		r := runONNX(t, nm, filepath.Join(dir, strconv.Itoa(i)), c)
		t.Logf("%-24s %7.2f%% %12.3g %9.2f%% %9.2f%%", c.name, 100*float64(r.agree)/float64(c.test.N), r.maxDiff,
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
				t.Errorf("%s: ONNX Runtime classifies %d of %d right, cnn eval %d", c.name, r.rightORT, c.test.N, right)
			}
		}
	}
}

// candidates are the models every runtime is checked on: every preset,
// trained briefly with a fixed seed, and both shipped models, each with
// its dataset's 10,000 test images.
func candidates(t *testing.T) []candidate {
	t.Helper()
	mnistTrain, mnistTest := testImages(t, "mnist")
	_, fashionTest := testImages(t, "fashion")
	var cands []candidate
	for _, name := range nn.PresetNames() {
		spec, err := nn.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		cands = append(cands, candidate{name: "preset " + name, m: trainBriefly(t, name, spec, mnistTrain), test: mnistTest})
	}
	for _, s := range []struct{ file, data string }{{models.Digits, "mnist"}, {models.Fashion, "fashion"}} {
		f, err := models.Files.Open(s.file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		test := mnistTest
		if s.data == "fashion" {
			test = fashionTest
		}
		cands = append(cands, candidate{name: "shipped " + s.file, m: m, test: test, shipped: true})
	}
	return cands
}

// trainBriefly trains spec on the first 3,000 training images for one
// epoch (Adam, seed 1): enough for confident predictions, so that top-1
// compares answers rather than near-ties of random weights.
func trainBriefly(t *testing.T, name string, spec nn.Spec, trainSet *dataset.Set) *model.Model {
	t.Helper()
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, 3000)
	for i := range idx {
		idx[i] = i
	}
	tr, err := train.New(net, trainSet.Subset(idx), nil, train.Config{
		Optimizer: nn.OptimizerSpec{Kind: "adam", LR: 0.001}, BatchSize: 32, Epochs: 1, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for !tr.Done() {
		if _, err := tr.Step(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return &model.Model{Net: net, Classes: trainSet.Classes, Record: model.Record{Dataset: "mnist", Epochs: 1, Seed: 1}}
}

type comparison struct {
	agree, rightGo, rightORT int
	maxDiff                  float64
}

// runONNX writes c's model to file.onnx (exported, or in c's style), runs
// it in ONNX Runtime on c's test images, raw pixels in [0,1] cropped to the
// input's centre as cnnplay crops them, and compares the result with
// cnnplay's probabilities: the model's own, or for a style, those of the
// model cnnplay imports from the file.
func runONNX(t *testing.T, nm, file string, c candidate) comparison {
	t.Helper()
	net, s := c.m.Net, c.test
	in := net.InShape()
	if in.C != 1 {
		t.Fatalf("%s: %d input channels", c.name, in.C)
	}
	write := onnx.Marshal
	if c.style != nil {
		write = c.style
	}
	b, err := write(c.m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file+".onnx", b, 0o644); err != nil {
		t.Fatal(err)
	}
	if c.style != nil {
		imported, err := onnx.Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: cnnplay does not import it: %v", c.name, err)
		}
		net = imported.Net
	}
	// cnnplay's probabilities, and the raw inputs for the runtime.
	k := net.Classes()
	want := make([]float32, 0, s.N*k)
	raw := make([]byte, 0, 4*s.N*in.Size())
	img := make([]float32, s.H*s.W)
	const batch = 500
	x := make([]float32, batch*in.Size())
	for start := 0; start < s.N; start += batch {
		n := min(batch, s.N-start)
		for j := range n {
			s.ImageTo(img, start+j)
			net.Prepare(x[j*in.Size():(j+1)*in.Size()], img, s.H, s.W, nil)
			y0, x0 := (s.H-in.H)/2, (s.W-in.W)/2
			for y := range in.H {
				for _, v := range img[(y0+y)*s.W+x0:][:in.W] {
					raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
				}
			}
		}
		want = append(want, net.Forward(x[:n*in.Size()], n, nn.Pass{})...)
	}
	if err := os.WriteFile(file+".in", raw, 0o644); err != nil {
		t.Fatal(err)
	}
	dims := []string{"1", strconv.Itoa(in.H), strconv.Itoa(in.W)} // one channel: the same bytes either way
	if c.nhwc {
		dims = []string{strconv.Itoa(in.H), strconv.Itoa(in.W), "1"}
	}
	cmd := exec.Command("node", append([]string{"onnx_run.js", file + ".onnx", file + ".in", strconv.Itoa(s.N)}, append(dims, file+".out")...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nm)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s: node onnx_run.js: %v\n%s", c.name, err, msg)
	}
	var info struct {
		ORT             string
		Inputs, Outputs []string
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("%s: onnx_run.js printed %q: %v", c.name, out, err)
	}
	if c.style == nil && (info.ORT != "1.30.0" || len(info.Inputs) != 1 || info.Inputs[0] != onnx.InputName || len(info.Outputs) != 1 || info.Outputs[0] != onnx.OutputName) {
		t.Errorf("%s: runtime %s, inputs %v, outputs %v; want 1.30.0, [%s], [%s]", c.name, info.ORT, info.Inputs, info.Outputs, onnx.InputName, onnx.OutputName)
	}
	gotBytes, err := os.ReadFile(file + ".out")
	if err != nil {
		t.Fatal(err)
	}
	if len(gotBytes) != 4*len(want) {
		t.Fatalf("%s: ONNX Runtime gave %d values, want %d", c.name, len(gotBytes)/4, len(want))
	}
	var r comparison
	for i := range s.N {
		p := want[i*k : (i+1)*k]
		q := make([]float32, k)
		for j := range q {
			q[j] = math.Float32frombits(binary.LittleEndian.Uint32(gotBytes[4*(i*k+j):]))
			if d := math.Abs(float64(q[j] - p[j])); d > r.maxDiff || math.IsNaN(d) {
				r.maxDiff = d // NaN stays
			}
		}
		a, b := nn.Argmax(p), nn.Argmax(q)
		if a == b {
			r.agree++
		}
		if a == int(s.Labels[i]) {
			r.rightGo++
		}
		if b == int(s.Labels[i]) {
			r.rightORT++
		}
	}
	return r
}

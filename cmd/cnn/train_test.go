//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/train"
)

// quick are the flags of a training run of a few seconds.
var quick = []string{"-limit", "300", "-val", "100", "-epochs", "1", "-workers", "1"}

// started reports whether a cnn train process began training.
func (r result) started() bool { return strings.Contains(r.stderr, "training ") }

// folderHolds fails the test unless dir holds exactly the named files.
func folderHolds(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("folder holds %v, want %v", got, names)
	}
}

// TestTrainChecksOutputFirst: an output path that cannot be written is
// refused before any data is loaded or any training done (it used to train
// in full and then fail).
func TestTrainChecksOutputFirst(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ out, want string }{
		{filepath.Join(dir, "missing", "m.cnn"), "does not exist"},
		{dir, "is a folder"},
	} {
		r := runCNN(t, append([]string{"train", "-o", c.out}, quick...)...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || r.started() {
			t.Errorf("-o %s: exit %d, stderr %q; want exit 1 before training, saying %q", c.out, r.code, r.stderr, c.want)
		}
	}
}

// TestTrainReadOnlyFolder runs cnn train with -o in a folder it may not
// write: as an unprivileged user (nobody, when the tests run as root, who
// may write anywhere), from a copy of the test binary that user can run.
func TestTrainReadOnlyFolder(t *testing.T) {
	dir, err := os.MkdirTemp("", "cnn-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "cnn")
	copyFile(t, bin, os.Args[0])
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	cmd := exec.Command(bin, append([]string{"train", "-o", filepath.Join(ro, "m.cnn")}, quick...)...)
	if os.Getuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	r := runCmd(t, cmd)
	if r.code != 1 || !strings.Contains(r.stderr, "cannot write in folder "+ro) || r.started() {
		t.Errorf("exit %d, stderr %q; want exit 1 before training, saying it cannot write in %s", r.code, r.stderr, ro)
	}
	folderHolds(t, ro)
}

func copyFile(t *testing.T, dst, src string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestTrainWriteFailsKeepsOldModel trains under `ulimit -f 100` (100 KiB),
// so writing the 250 KB model fails midway as on a full disk: the model
// that was there must come through whole (it used to be truncated first),
// no temporary file may be left, and nothing may claim it was written.
func TestTrainWriteFailsKeepsOldModel(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.cnn")
	old := []byte("the model trained yesterday")
	os.WriteFile(out, old, 0o644)
	args := append([]string{"-c", `ulimit -f 100 && exec "$0" "$@"`, os.Args[0], "train", "-preset", "lenet5", "-o", out}, quick...)
	r := runCmd(t, exec.Command("bash", args...))
	if r.code != 1 || !strings.Contains(r.stderr, "file too large") || strings.Contains(r.stdout+r.stderr, "wrote") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 with the write error", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != string(old) {
		t.Errorf("the old model now holds %d bytes", len(b))
	}
	folderHolds(t, dir, "m.cnn")
}

// linearSpec is a deep linear network (no activations): with plain SGD at
// a high learning rate its weights grow without bound, so training
// diverges, deterministically for a given seed and one worker.
const linearSpec = `{"input":{"h":28,"w":28,"c":1},"layers":[{"type":"flatten"},
	{"type":"dense","units":32},{"type":"dense","units":32},{"type":"dense","units":32},
	{"type":"dense","units":10},{"type":"softmax"}]}`

// diverge runs cnn train on linearSpec with 64 training images in batches
// of batch at learning rate lr, writing to dir/m.cnn.
func diverge(t *testing.T, dir, batch, lr string) result {
	spec := filepath.Join(dir, "linear.json")
	os.WriteFile(spec, []byte(linearSpec), 0o644)
	return runCNN(t, "train", "-spec", spec, "-limit", "164", "-val", "100", "-batch", batch, "-epochs", "8",
		"-workers", "1", "-opt", "sgd", "-lr", lr, "-o", filepath.Join(dir, "m.cnn"))
}

// TestTrainDivergedWritesBest: when training diverges after a good epoch,
// cnn train writes the best weights it had, says so and which epoch they
// are from, and exits 1 (it used to say they were kept and write nothing).
func TestTrainDivergedWritesBest(t *testing.T) {
	dir := t.TempDir()
	r := diverge(t, dir, "64", "3")
	if r.code != 1 || !strings.Contains(r.stderr, "training diverged at epoch") ||
		!strings.Contains(r.stderr, "wrote the best weights, of epoch 1, to "+filepath.Join(dir, "m.cnn")) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 saying it wrote the epoch-1 weights", r.code, r.stdout, r.stderr)
	}
	f, err := os.Open(filepath.Join(dir, "m.cnn"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if m.Record.Epochs != 1 || !m.Net.Finite() {
		t.Errorf("the model written records epoch %d (finite weights: %v), want epoch 1", m.Record.Epochs, m.Net.Finite())
	}
	folderHolds(t, dir, "linear.json", "m.cnn")
}

// TestTrainDivergedInFirstEpoch: with no epoch finished there are no best
// weights; cnn train says that nothing was written, exits 1, and leaves the
// file that was there alone.
func TestTrainDivergedInFirstEpoch(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.cnn"), []byte("older model"), 0o644)
	r := diverge(t, dir, "4", "10")
	if r.code != 1 || !strings.Contains(r.stderr, "training diverged at epoch 1") ||
		!strings.Contains(r.stderr, "no epoch finished, so nothing was written to "+filepath.Join(dir, "m.cnn")) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 saying nothing was written", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "m.cnn")); string(b) != "older model" {
		t.Errorf("the old file now holds %d bytes", len(b))
	}
}

// TestTrainRefusesClassMismatch: a spec with more classes than the dataset
// trains (the labels fit) but could never be written with the dataset's
// class names; it is refused before training, as one with fewer is.
func TestTrainRefusesClassMismatch(t *testing.T) {
	dir := t.TempDir()
	for _, classes := range []int{12, 3} {
		spec, _ := json.Marshal(denseSpec(nn.Shape{H: 28, W: 28, C: 1}, classes))
		path := filepath.Join(dir, "spec.json")
		os.WriteFile(path, spec, 0o644)
		r := runCNN(t, append([]string{"train", "-spec", path, "-o", filepath.Join(dir, "m.cnn")}, quick...)...)
		if r.code != 1 || !strings.Contains(r.stderr, "mnist-train has 10 classes; the network tells "+fmt.Sprint(classes)+" apart") || r.started() {
			t.Errorf("%d classes: exit %d, stderr %q; want exit 1 before training", classes, r.code, r.stderr)
		}
	}
	folderHolds(t, dir, "spec.json")
}

// TestNothingToWrite: after divergence, weights from no finished epoch or
// with an infinite value are not written, and the message says why.
func TestNothingToWrite(t *testing.T) {
	net, err := nn.Build(denseSpec(nn.Shape{H: 2, W: 2, C: 1}, 2), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	diverged := fmt.Errorf("%w at epoch 3: the loss became NaN; the best weights so far were kept", train.ErrDiverged)
	if err := nothingToWrite(nil, 0, net, "m.cnn"); err != nil {
		t.Errorf("no divergence: %v", err)
	}
	if err := nothingToWrite(diverged, 2, net, "m.cnn"); err != nil {
		t.Errorf("finite weights of epoch 2: %v", err)
	}
	if err := nothingToWrite(diverged, 0, net, "m.cnn"); err == nil || err.Error() != "training diverged at epoch 3: the loss became NaN; no epoch finished, so nothing was written to m.cnn" {
		t.Errorf("no epoch: %v", err)
	}
	net.WeightData()[1] = float32(math.Inf(1))
	if err := nothingToWrite(diverged, 2, net, "m.cnn"); err == nil || !strings.Contains(err.Error(), "the best weights are not all finite, so nothing was written to m.cnn") {
		t.Errorf("infinite weights: %v", err)
	}
}

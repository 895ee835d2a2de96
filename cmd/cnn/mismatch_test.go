package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// mismatched are valid models that do not fit MNIST, as issue 17 lists
// them: too few or too many classes, a larger input, three channels.
var mismatched = []struct {
	name    string
	in      nn.Shape
	classes int
	eval    string // what cnn eval's refusal says
}{
	{"two-class", nn.Shape{H: 28, W: 28, C: 1}, 2, "tells 2 classes apart; mnist has 10"},
	{"thousand-class", nn.Shape{H: 28, W: 28, C: 1}, 1000, "tells 1000 classes apart; mnist has 10"},
	{"32x32", nn.Shape{H: 32, W: 32, C: 1}, 10, "mnist-test has 28x28 images; the network takes 32x32x1"},
	{"rgb", nn.Shape{H: 28, W: 28, C: 3}, 10, "mnist-test has 28x28 images; the network takes 28x28x3"},
	{"14x14x2", nn.Shape{H: 14, W: 14, C: 2}, 5, "tells 5 classes apart; mnist has 10"},
}

func classNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("class %d", i)
	}
	return names
}

// TestEvalRefusesMismatchedModels: cnn eval refuses every valid model that
// does not fit the dataset with a message and exit code 1 (it panicked on
// the two-class model, the 32x32 and the three-channel ones, and printed a
// 1000×10 matrix of nonsense for the thousand-class one).
func TestEvalRefusesMismatchedModels(t *testing.T) {
	dir := t.TempDir()
	for _, c := range mismatched {
		path := writeModel(t, dir, c.name+".cnn", denseSpec(c.in, c.classes), classNames(c.classes))
		r := runCNN(t, "eval", "-model", path)
		if r.code != 1 || !strings.Contains(r.stderr, c.eval) || strings.Contains(r.stderr, "panic") || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %.200q, stderr %.300q; want exit 1 saying %q", c.name, r.code, r.stdout, r.stderr, c.eval)
		}
	}
}

// TestEvalCroppedInput: a model whose input is smaller than the images is
// evaluated on centre crops, as it was trained.
func TestEvalCroppedInput(t *testing.T) {
	path := writeModel(t, t.TempDir(), "24x24.cnn", denseSpec(nn.Shape{H: 24, W: 24, C: 1}, 10), dataset.MNISTClasses)
	r := runCNN(t, "eval", "-model", path)
	if r.code != 0 || !strings.Contains(r.stdout, "mnist test set: accuracy") {
		t.Errorf("exit %d, stdout %.300q, stderr %.300q", r.code, r.stdout, r.stderr)
	}
}

// TestPredictAnyModel: cnn predict answers with every valid model of one
// image input, whatever its classes, input size and channels (the 32x32 and
// three-channel models used to be refused): each file gets a class of the
// model and probabilities that sum to 1.
func TestPredictAnyModel(t *testing.T) {
	s, dir := testDigits(t), t.TempDir()
	img := writePhoto(t, dir, s, 0)
	for _, c := range mismatched {
		path := writeModel(t, dir, c.name+".cnn", denseSpec(c.in, c.classes), classNames(c.classes))
		var out bytes.Buffer
		if err := predictCmd([]string{"-json", "-model", path, img}, &out); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var r struct {
			Class         string
			Probabilities map[string]float64
		}
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sum := 0.0
		for _, p := range r.Probabilities {
			sum += p
		}
		if len(r.Probabilities) != c.classes || math.Abs(sum-1) > 1e-3 || !strings.HasPrefix(r.Class, "class ") {
			t.Errorf("%s: class %q, %d probabilities summing to %v", c.name, r.Class, len(r.Probabilities), sum)
		}
	}
}

//go:build unix

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/model"
)

// shapeFolder writes perClass generated drawings of each of the first
// classes shapes into a new folder set and returns its path.
func shapeFolder(t *testing.T, classes, perClass int, seed uint64) string {
	t.Helper()
	s, err := strokes.Set("shapes", classes, perClass, seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shapes")
	if err := strokes.WriteFolder(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestTrainOwnData trains on a folder of hand-drawn shapes with a broken
// file among them, then evaluates the model on shapes drawn with another
// seed and classifies one: the broken file is named and the rest trained
// on, the model file carries the set's classes, name and framing, and eval
// prints the accuracy line and the confusion matrix with the class names.
func TestTrainOwnData(t *testing.T) {
	dir := shapeFolder(t, 3, 30, 1)
	if err := os.WriteFile(filepath.Join(dir, "circle", "broken.png"), []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "shapes.cnn")
	r := runCNN(t, "train", "-data", dir, "-epochs", "30", "-workers", "1", "-o", out)
	if r.code != 0 {
		t.Fatalf("train: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "circle/broken.png: is not a picture") || !strings.Contains(r.stderr, "on 72 shapes images (18 held out)") {
		t.Errorf("train's stderr does not name the broken file or count the split:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, "validation accuracy") {
		t.Errorf("train printed %q", r.stdout)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Classes, ",") != "circle,square,triangle" || m.Record.Set != "shapes" || m.Record.Framing != "digits" || m.Record.Dataset != "" || m.Net.Classes() != 3 {
		t.Fatalf("model classes %v, record %+v", m.Classes, m.Record)
	}
	if !strings.Contains(m.Record.Augment, "rotate") {
		t.Errorf("a small set trained without augmentation: %q", m.Record.Augment)
	}

	test := shapeFolder(t, 3, 20, 2)
	r = runCNN(t, "eval", "-model", out, "-data", test)
	if r.code != 0 {
		t.Fatalf("eval: exit %d\n%s", r.code, r.stderr)
	}
	acc := regexp.MustCompile(`test set: accuracy (\d+\.\d\d)% \(\d+ of 60\)`).FindStringSubmatch(r.stdout)
	if acc == nil || !strings.Contains(r.stdout, "triang") || !strings.Contains(r.stdout, "circle") {
		t.Fatalf("eval printed:\n%s", r.stdout)
	}
	if a, _ := strconv.ParseFloat(acc[1], 64); a < 90 {
		t.Errorf("accuracy %.2f%% on new drawings of 3 shapes, want at least 90%%", a)
	}
	t.Logf("eval:\n%s", r.stdout)

	r = runCNN(t, "predict", "-model", out, filepath.Join(test, "triangle", "triangle-000.png"))
	if r.code != 0 || !strings.Contains(r.stdout, "\ttriangle\t") {
		t.Errorf("predict: exit %d, %q", r.code, r.stdout)
	}

	other := shapeFolder(t, 5, 1, 3) // has cross and star, which the model does not know
	if r = runCNN(t, "eval", "-model", out, "-data", other); r.code != 1 || !strings.Contains(r.stderr, "does not know: cross, star") {
		t.Errorf("eval on unknown classes: exit %d, %q", r.code, r.stderr)
	}
}

// TestTrainFromDigits starts from the shipped digits model's convolutions,
// frozen: the model written has them unchanged and its own head.
func TestTrainFromDigits(t *testing.T) {
	dir := shapeFolder(t, 3, 12, 4)
	out := filepath.Join(t.TempDir(), "from.cnn")
	r := runCNN(t, "train", "-data", dir, "-from", "digits", "-freeze", "-epochs", "3", "-workers", "1", "-o", out)
	if r.code != 0 || !strings.Contains(r.stderr, "starting from digits's conv1, conv2 (frozen: true)") {
		t.Fatalf("train: exit %d\n%s", r.code, r.stderr)
	}
	digits, err := loadModel("")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m.Net.Classes() != 3 || !m.Net.Spec.Layers[0].Frozen {
		t.Fatalf("spec %+v", m.Net.Spec)
	}
	for i, p := range m.Net.Params() {
		if strings.HasPrefix(p.Name, "conv") && !slices.Equal(p.W, digits.Net.Params()[i].W) {
			t.Errorf("%s changed though frozen", p.Name)
		}
	}
}

package models

import (
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/preprocess"
	"github.com/cnnplay/cnnplay/nn/train"
)

func load(t *testing.T, name string) *model.Model {
	t.Helper()
	f, err := Files.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDigitsModelOnMNIST measures the shipped digits model on the full MNIST
// test set: the playground promises at least 99.3%.
func TestDigitsModelOnMNIST(t *testing.T) {
	m := load(t, Digits)
	dir, err := dataset.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := dataset.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := train.Evaluate(m.Net, test, 500)
	t.Logf("shipped digits model: %.2f%% on the MNIST test set (record says %.2f%%)", 100*r.Acc, 100*m.Record.TestAcc)
	if r.Acc < 0.993 {
		t.Errorf("test accuracy %.2f%%, want at least 99.3%%", 100*r.Acc)
	}
}

// TestFashionModelOnFashionMNIST measures the shipped Fashion-MNIST model
// on its full test set and checks it names the classes. The data comes
// from Debian's dataset-fashion-mnist, which make test installs.
func TestFashionModelOnFashionMNIST(t *testing.T) {
	m := load(t, Fashion)
	_, test, err := dataset.LoadFashion(dataset.FashionDir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Classes, dataset.FashionClasses) {
		t.Errorf("classes %q, want %q", m.Classes, dataset.FashionClasses)
	}
	r := train.Evaluate(m.Net, test, 500)
	t.Logf("shipped fashion model: %.2f%% on the Fashion-MNIST test set (record says %.2f%%)", 100*r.Acc, 100*m.Record.TestAcc)
	if r.Acc < 0.90 {
		t.Errorf("test accuracy %.2f%%, want at least 90%%", 100*r.Acc)
	}
}

// TestDigitsModelOnStrokes reads the hand-drawn stroke fixtures (off-centre,
// small, large, slanted) through the same preprocessing as the canvas.
func TestDigitsModelOnStrokes(t *testing.T) {
	m := load(t, Digits)
	size, drawings, err := strokes.Load("../../testdata/strokes/digits.json")
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, d := range drawings {
		gray := preprocess.GrayRGBA(strokes.Render(d, size, strokes.Brush), size, size)
		digit, err := preprocess.Digit(gray, size, size)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		p, err := m.Predict(digit, preprocess.Size, preprocess.Size)
		if err != nil {
			t.Fatal(err)
		}
		if got := nn.Argmax(p); got == d.Label {
			right++
		} else {
			t.Logf("%s: read as %d (%.2f)", d.Name, got, p[got])
		}
	}
	t.Logf("%d of %d stroke drawings read right", right, len(drawings))
	if right < len(drawings)-1 {
		t.Errorf("%d of %d stroke drawings read right; want all but at most one", right, len(drawings))
	}
}

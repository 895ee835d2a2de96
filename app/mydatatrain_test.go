package app

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// TestOwnStart: a set trains with its classes, framing and prepared images;
// a set with an empty class or one class is refused with its name.
func TestOwnStart(t *testing.T) {
	old := pageSets.Sets
	defer func() { pageSets.Sets = old }()
	s, _ := pageSets.newSet("Bars", 7)
	s.addClass("left")
	s.addClass("right")
	s.addClass("none")
	s.addExample(0, "", picture(t, 20, 20, 3), nil)
	s.addExample(1, "", picture(t, 20, 20, 15), nil)
	if _, _, err := s.ownStart(); err == nil || !strings.Contains(err.Error(), "none") {
		t.Errorf("a set with an empty class: %v", err)
	}
	s.deleteClass(2)
	s.addExample(1, "bad.png", []byte("junk"), nil)
	own, problems, err := s.ownStart()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(own.Classes, []string{"left", "right"}) || own.Framing != "digits" || own.Name != "Bars" {
		t.Errorf("own set %q %q %q", own.Name, own.Classes, own.Framing)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "bad.png") {
		t.Errorf("problems %q", problems)
	}
	imgs, err := dataset.Load(bytes.NewReader(own.Images), bytes.NewReader(own.Labels), "bars", own.Classes)
	if err != nil || imgs.N != 2 || imgs.H != 28 || !slices.Equal(imgs.Labels, []uint8{0, 1}) {
		t.Fatalf("the IDX sent: %v, %+v", err, imgs)
	}

	// The form takes the set's defaults and sizes the network to 2 classes.
	f := newTrainForm(nil)
	f.setDataset(s.datasetName())
	if f.settings.Preset != "lenet5" || !f.settings.Shift || !f.settings.Rotate || f.settings.Epochs != "100" {
		t.Errorf("settings for a small set: %+v", f.settings)
	}
	// The epoch estimate counts the set's images, not MNIST's 60000.
	if trainN, valN := newEstimator(&f, newTrainState(func() float64 { return 0 }, "")).sizes(); trainN+valN != 3 {
		t.Errorf("the estimate's sizes for a set of 3 pictures: %d to train, %d to validate", trainN, valN)
	}
	start, net, ok := f.start(2)
	if !ok {
		t.Fatalf("start refused: %v", f.bad)
	}
	if net.Classes() != 2 || mustBuild(t, start.Spec).Classes() != 2 {
		t.Errorf("the network tells %d classes apart, want 2", net.Classes())
	}
	s.addClass("up")
	if spec := fitClasses(f.spec, s.datasetName()); mustBuild(t, spec).Classes() != 3 {
		t.Error("a class added after choosing the set does not resize the network")
	}
	if spec := fitClasses(f.spec, "mnist"); mustBuild(t, spec).Classes() != 2 {
		t.Error("fitClasses changed a network for MNIST")
	}
}

func mustBuild(t *testing.T, spec nn.Spec) *nn.Network {
	t.Helper()
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// TestOwnInspect: a model trained on one's own set is inspected with the
// set's pictures and class names.
func TestOwnInspect(t *testing.T) {
	old := pageSets.Sets
	defer func() { pageSets.Sets = old }()
	s, _ := pageSets.newSet("Bars", 9)
	s.addClass("left")
	s.addClass("right")
	s.addExample(0, "", picture(t, 20, 20, 3), nil)
	s.addExample(1, "", picture(t, 20, 20, 15), nil)
	m := &model.Model{Classes: []string{"left", "right"}}
	m.Record.Dataset = s.datasetName()
	if got := inspectDatasetOf(m); got != s.datasetName() {
		t.Errorf("inspectDatasetOf = %q, want the set's %q", got, s.datasetName())
	}
	imgs, ok, err := ownImages(s.datasetName())
	if !ok || err != nil || imgs.N != 2 || imgs.H != 28 || !slices.Equal(imgs.Classes, []string{"left", "right"}) {
		t.Fatalf("ownImages = %+v, %v, %v", imgs, ok, err)
	}
	if _, ok, _ := ownImages("mnist"); ok {
		t.Error("ownImages took MNIST for one's own set")
	}
	// A drawing is framed as the set says.
	gray := make([]float32, 40*40)
	for y := 5; y < 15; y++ {
		for x := 5; x < 30; x++ {
			gray[y*40+x] = 1
		}
	}
	for _, f := range []dataset.Framing{dataset.DigitFraming, dataset.ItemFraming} {
		s.Framing = f
		got, _ := frameFor(s.datasetName())(gray, 40, 40)
		want, _ := imageset.Frame(f)(gray, 40, 40)
		other, _ := imageset.Frame(1-f)(gray, 40, 40)
		if !slices.Equal(got, want) || slices.Equal(got, other) {
			t.Errorf("framing %v: the drawing is not framed as the set says", f)
		}
	}
	m.Record.Dataset = "fashion"
	if got := inspectDatasetOf(m); got != "fashion" {
		t.Errorf("a Fashion-MNIST model is inspected with %q", got)
	}
}

// TestTrainPanelOwnSet: with one's own set chosen, the training panel says
// how it is split, names the classes too small to validate and offers to
// start from the digits model; the form takes the set's defaults, the
// optimizer with them.
func TestTrainPanelOwnSet(t *testing.T) {
	old := pageSets.Sets
	defer func() { pageSets.Sets = old }()
	s, _ := pageSets.newSet("Bars", 11)
	s.addClass("left")
	s.addClass("right")
	s.addExample(0, "", picture(t, 20, 20, 3), nil)
	p := newTrainPanel()
	p.setup()
	if h := app.HTMLString(p); strings.Contains(h, fromDigitsID) {
		t.Error("the digits model is offered for MNIST")
	}
	p = newTrainPanel()
	p.setup()
	p.form.setDataset(s.datasetName())
	d := imageset.DefaultsFor(1)
	if got := p.form.settings; got.Optimizer != d.Optimizer || got.LR != defaultLR(d.Optimizer) || got.Preset != d.Preset {
		t.Errorf("an own set's settings: optimizer %q at %q, preset %q; want the set's defaults (%s, %s)", got.Optimizer, got.LR, got.Preset, d.Optimizer, d.Preset)
	}
	p.st.started = &wire.Started{Dataset: s.datasetName(), Classes: []string{"left", "right"}, TooFew: []string{"right"}}
	h := app.HTMLString(p)
	for _, want := range []string{fromDigitsID, freezeID, "Bars: 1 examples. 20% of each class", "Too few examples to validate: right."} {
		if !strings.Contains(h, want) {
			t.Errorf("the training panel lacks %q", want)
		}
	}
}

// TestTrainPanelPlusMNIST: a set of the digits 0–9 (in any order) is
// offered MNIST's training images, another set is not; chosen, the start
// asks for them and an epoch becomes one.
func TestTrainPanelPlusMNIST(t *testing.T) {
	old := pageSets.Sets
	defer func() { pageSets.Sets = old }()
	digits, _ := pageSets.newSet("Class ABCD", 12)
	for _, c := range []string{"7", "0", "1", "2", "3", "4", "5", "6", "8", "9"} {
		i, _ := digits.addClass(c)
		digits.addExample(i, "", picture(t, 20, 20, 3+i), nil)
		digits.addExample(i, "", picture(t, 20, 20, 4+i), nil)
	}
	bars, _ := pageSets.newSet("Bars", 13)
	bars.addClass("left")
	bars.addClass("right")
	if !digits.digitClasses() || bars.digitClasses() {
		t.Fatalf("digit classes: %v for the digits, %v for bars", digits.digitClasses(), bars.digitClasses())
	}
	p := newTrainPanel()
	p.setup()
	p.form.setDataset(bars.datasetName())
	if h := app.HTMLString(p); strings.Contains(h, plusMNISTID) {
		t.Error("MNIST's images are offered for a set of bars")
	}
	p = newTrainPanel() // a component renders its HTML once
	p.setup()
	p.form.setDataset(digits.datasetName())
	if h := app.HTMLString(p); !strings.Contains(h, plusMNISTID) {
		t.Error("MNIST's images are not offered for a set of the digits")
	}
	for _, plus := range []bool{false, true} {
		p.transfer.plusMNIST = plus
		start := wire.Start{Dataset: digits.datasetName()}
		if !p.ownSet(&start) {
			t.Fatalf("plus %v: %s", plus, p.st.err)
		}
		if want := map[bool]string{true: "mnist"}[plus]; start.Own.Plus != want {
			t.Errorf("plus %v: the start trains with %q", plus, start.Own.Plus)
		}
	}
}

package session

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// ownSet makes a set of one's own from the first n training digits 0, 1 and
// 2 of the MNIST extract, under other names, as the page would send it.
func ownSet(t *testing.T, n int) *wire.OwnSet {
	t.Helper()
	f := fixtureFiles(t)
	all, err := dataset.Load(bytes.NewReader(f[0]), bytes.NewReader(f[1]), "x", dataset.MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	var idx []int
	for i, l := range all.Labels {
		if l <= 2 && len(idx) < n {
			idx = append(idx, i)
		}
	}
	s := all.Subset(idx)
	img, lab, err := imageset.EncodeIDX(s)
	if err != nil {
		t.Fatal(err)
	}
	return &wire.OwnSet{Name: "mine", Classes: []string{"zero", "one", "two"}, Framing: "digits", Images: img, Labels: lab}
}

func ownStart(t *testing.T, own *wire.OwnSet, epochs int) wire.Start {
	spec, err := nn.WithClasses(preset(t, "lenet5"), 3)
	if err != nil {
		t.Fatal(err)
	}
	return wire.Start{Own: own, Spec: spec,
		Config: train.Config{Optimizer: nn.OptimizerSpec{Kind: "adam"}, BatchSize: 16, Epochs: epochs, Seed: 1}}
}

// TestOwnSet trains on a set sent with the start: nothing is read from the
// dataset files, the split is stratified, the small set gets augmentation,
// and the network learns it.
func TestOwnSet(t *testing.T) {
	start := ownStart(t, ownSet(t, 150), 3)
	s, err := New(start, Data{}, nil) // no files: Open would panic
	if err != nil {
		t.Fatal(err)
	}
	setClock(s, 0)
	st := s.Started().Started
	if !slices.Equal(st.Classes, start.Own.Classes) || st.Train+st.Val != 150 || st.Test != st.Val || st.TestOn != "validation" || st.Augment != imageset.DefaultsFor(150).Augment {
		t.Fatalf("started %+v", st)
	}
	perClass := make([]int, 3)
	for _, l := range s.valSet.Labels {
		perClass[l]++
	}
	for c, n := range perClass {
		all := slices.Index(s.trainSet.Labels, uint8(c)) // some of each class train
		if n == 0 || all < 0 {
			t.Errorf("class %d: %d validation images, trains: %v", c, n, all >= 0)
		}
	}
	msgs := runToEnd(t, s)
	done := kinds(msgs, wire.KindDone)
	if len(done) != 1 || done[0].Done.Test.Acc < 0.8 {
		t.Fatalf("done %+v", done)
	}
	t.Logf("test accuracy %.3f on %d images", done[0].Done.Test.Acc, done[0].Done.Test.N)

	start.Own.NoAutoAugment, start.Own.Val, start.Own.Test = true, 0.2, 0.1
	s, err = New(start, Data{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Started().Started; !st.Augment.IsIdentity() || st.Test == st.Val || st.Train+st.Val+st.Test != 150 || st.TestOn != "" {
		t.Errorf("without auto augmentation and with a test part: %+v", st)
	}
}

// TestStartJSONUnchanged: a start without one's own set or a transfer
// encodes as before, so pages and workers of either age understand it.
func TestStartJSONUnchanged(t *testing.T) {
	b, err := json.Marshal(wire.Start{Dataset: "mnist", Spec: preset(t, "lenet5")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"own"`) || strings.Contains(string(b), `"transfer"`) || strings.Contains(string(b), "frozen") {
		t.Errorf("a plain start encodes new fields: %s", b)
	}
	b, _ = json.Marshal(wire.Started{Dataset: "mnist"})
	if strings.Contains(string(b), "augment") || strings.Contains(string(b), "tooFew") || strings.Contains(string(b), "testOn") {
		t.Errorf("a plain started message encodes new fields: %s", b)
	}
}

func TestOwnSetRefused(t *testing.T) {
	for name, change := range map[string]func(*wire.Start){
		"one class":      func(s *wire.Start) { s.Own.Classes = []string{"zero"} },
		"class twice":    func(s *wire.Start) { s.Own.Classes = []string{"zero", "one", "zero"} },
		"framing":        func(s *wire.Start) { s.Own.Framing = "sideways" },
		"labels":         func(s *wire.Start) { s.Own.Labels = s.Own.Images },
		"fractions":      func(s *wire.Start) { s.Own.Val, s.Own.Test = 0.6, 0.6 },
		"classifier":     func(s *wire.Start) { s.Spec = preset(t, "lenet5") },
		"transfer shape": func(s *wire.Start) { s.Transfer = &wire.Transfer{From: preset(t, "keras")} },
	} {
		start := ownStart(t, ownSet(t, 30), 1)
		change(&start)
		w := []float32{1}
		if _, err := New(start, Data{}, w); err == nil {
			t.Errorf("%s: the session started", name)
		}
	}
	m := wire.StartMessage(ownStart(t, ownSet(t, 30), 1), nil)
	m.Start.Transfer = &wire.Transfer{From: preset(t, "lenet5")}
	if err := m.Check(); err == nil {
		t.Error("a transfer without weights passed the check")
	}
}

// TestTransferFreeze starts from a ten-class model's convolutions with a
// new head for three classes: the conv weights are the model's, and stay
// so when frozen while the head trains; unfrozen, they train too.
func TestTransferFreeze(t *testing.T) {
	from := preset(t, "lenet5")
	src := newSession(t, wire.Start{Dataset: "mnist", Spec: from, Config: adadelta(32, 1), Limit: 300}, fixtures(t))
	runToEnd(t, src)
	model := src.Net().Weights()
	for _, freeze := range []bool{true, false} {
		start := ownStart(t, ownSet(t, 90), 2)
		spec, err := nn.TransferSpec(from, 3, freeze)
		if err != nil {
			t.Fatal(err)
		}
		start.Spec, start.Transfer = spec, &wire.Transfer{From: from}
		s, err := New(start, Data{}, model)
		if err != nil {
			t.Fatal(err)
		}
		setClock(s, 0)
		if got := s.Started().Started.Transferred; !slices.Equal(got, []string{"conv1", "conv2"}) {
			t.Fatalf("transferred %v", got)
		}
		for range 8 {
			s.Handle(wire.Command(wire.KindStep))
		}
		srcParams := src.Net().Params()
		for i, p := range s.Net().Params() {
			same := slices.Equal(p.W, srcParams[i].W)
			switch {
			case p.Name[:4] == "conv" && same != freeze:
				t.Errorf("freeze %v: %s kept the model's weights: %v", freeze, p.Name, same)
			case p.Name[:4] == "dens" && p.Decay && same:
				t.Errorf("freeze %v: %s is the model's", freeze, p.Name)
			}
		}
	}
}

// TestOwnSetHelpers: helper workers get one's own set with the join, not
// from the files, and train as goroutine workers do, augmentation and all.
func TestOwnSetHelpers(t *testing.T) {
	start := ownStart(t, ownSet(t, 120), 1)
	start.Config.Workers = 2
	run := func(ports []Port) ([]float32, wire.Test) {
		var s *Session
		var err error
		if ports != nil {
			s, err = NewWithHelpers(start, Data{}, nil, ports)
		} else {
			s, err = New(start, Data{}, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		setClock(s, 0)
		for range 5 {
			if out := s.Handle(wire.Command(wire.KindStep)); len(kinds(out, wire.KindError)) > 0 {
				t.Fatalf("step: %+v", kinds(out, wire.KindError)[0].Error)
			}
		}
		w := s.Net().Weights()
		// the test after Stop is spread over the helpers, each of which
		// must find the same test part of the set as the session
		s.Handle(wire.Command(wire.KindStop))
		done := kinds(runToEnd(t, s), wire.KindDone)
		if len(done) != 1 || done[0].Done.Test.N == 0 {
			t.Fatalf("no test after Stop: %+v", done)
		}
		return w, done[0].Done.Test
	}
	want, wantTest := run(nil)
	ports := startHelpers(t, 1, Data{}, nil)
	got, gotTest := run(ports)
	select {
	case a := <-ports[0].(*chanPort).tests:
		if a.Kind != wire.KindTestPart {
			t.Errorf("the helper answered its test job with %s, not its part", a.Kind)
		}
	default:
		t.Error("the helper had no test job")
	}
	if !slices.Equal(got, want) {
		t.Error("a helper trained one's own set otherwise than a goroutine worker")
	}
	if gotTest.N != wantTest.N || gotTest.Acc != wantTest.Acc || !slices.EqualFunc(gotTest.Confusion, wantTest.Confusion, slices.Equal) {
		t.Errorf("tested with a helper: %d images, accuracy %v, confusion %v; alone %d, %v, %v",
			gotTest.N, gotTest.Acc, gotTest.Confusion, wantTest.N, wantTest.Acc, wantTest.Confusion)
	}
}

// digitsSet makes a set of one's own of the first n test digits of the
// MNIST extract with MNIST's classes in reverse order ("9" first), as the
// page sends a class's drawings: another order than the dataset's.
func digitsSet(t *testing.T, n int) *wire.OwnSet {
	t.Helper()
	f := fixtureFiles(t)
	all, err := dataset.LoadN(bytes.NewReader(f[2]), bytes.NewReader(f[3]), "x", dataset.MNISTClasses, n)
	if err != nil {
		t.Fatal(err)
	}
	classes := slices.Clone(dataset.MNISTClasses)
	slices.Reverse(classes)
	for i, l := range all.Labels {
		all.Labels[i] = 9 - l
	}
	img, lab, err := imageset.EncodeIDX(all)
	if err != nil {
		t.Fatal(err)
	}
	return &wire.OwnSet{Name: "class", Classes: classes, Framing: "digits", Images: img, Labels: lab, Plus: "mnist"}
}

// TestOwnPlusMNIST trains a set of digits with MNIST's training images:
// they train with the set's training part, their labels turned into the
// set's classes, while validation and test stay the set's; helpers load
// the same images. A set of other classes, or an unknown dataset, is
// refused.
func TestOwnPlusMNIST(t *testing.T) {
	own := digitsSet(t, 200)
	start := wire.Start{Own: own, Spec: preset(t, "lenet5"),
		Config: train.Config{Optimizer: nn.OptimizerSpec{Kind: "adam"}, BatchSize: 16, Epochs: 1, Seed: 1}}
	s, err := New(start, fixtures(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	setClock(s, 0)
	st := s.Started().Started
	alone, err := New(wire.Start{Own: &wire.OwnSet{Name: own.Name, Classes: own.Classes, Framing: own.Framing, Images: own.Images, Labels: own.Labels, NoAutoAugment: true},
		Spec: start.Spec, Config: start.Config}, Data{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ast := alone.Started().Started
	if st.Train != 2000+ast.Train || st.Val != ast.Val || st.Test != ast.Test || !st.Augment.IsIdentity() || !slices.Equal(st.Classes, own.Classes) {
		t.Fatalf("with MNIST: %+v; the set alone: %+v", st, ast)
	}
	f := fixtureFiles(t)
	mnist, err := dataset.Load(bytes.NewReader(f[0]), bytes.NewReader(f[1]), "m", dataset.MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range mnist.Labels {
		if s.trainSet.Labels[i] != 9-l {
			t.Fatalf("MNIST's image %d (a %d) trains as class %q", i, l, own.Classes[s.trainSet.Labels[i]])
		}
	}
	if !bytes.Equal(s.trainSet.Pixels[:len(mnist.Pixels)], mnist.Pixels) || !bytes.Equal(s.trainSet.Pixels[len(mnist.Pixels):], alone.trainSet.Pixels) ||
		!slices.Equal(s.trainSet.Labels[mnist.N:], alone.trainSet.Labels) {
		t.Error("the training images are not MNIST's followed by the set's training part")
	}
	if !bytes.Equal(s.valSet.Pixels, alone.valSet.Pixels) || !bytes.Equal(s.testSet.Pixels, alone.testSet.Pixels) {
		t.Error("validation or test is not the set's own")
	}

	// A helper loads MNIST for the join and trains as a goroutine does.
	start.Config.Workers = 2
	steps := func(s *Session) []float32 {
		defer s.Close()
		setClock(s, 0)
		for range 4 {
			if out := s.Handle(wire.Command(wire.KindStep)); len(kinds(out, wire.KindError)) > 0 {
				t.Fatalf("step: %+v", kinds(out, wire.KindError)[0].Error)
			}
		}
		return s.Net().Weights()
	}
	s1, err := New(start, fixtures(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := steps(s1)
	s2, err := NewWithHelpers(start, fixtures(t), nil, startHelpers(t, 1, fixtures(t), nil))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(steps(s2), want) {
		t.Error("a helper trained the set with MNIST otherwise than a goroutine worker")
	}

	for name, change := range map[string]func(*wire.OwnSet){
		"other classes": func(o *wire.OwnSet) { o.Classes = slices.Clone(o.Classes); o.Classes[0] = "nine" },
		"unknown":       func(o *wire.OwnSet) { o.Plus = "imagenet" },
	} {
		o := *digitsSet(t, 50)
		change(&o)
		if _, err := New(wire.Start{Own: &o, Spec: start.Spec, Config: start.Config}, fixtures(t), nil); err == nil {
			t.Errorf("%s: the session started", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

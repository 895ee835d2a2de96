package session

import (
	"slices"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn/train"
)

// TestQuickValMarks: the marks double from 1000 until they are 10000
// apart, and an epoch counts its own.
func TestQuickValMarks(t *testing.T) {
	var marks []int
	for m := QuickValFirst; m <= 60000; m = nextQuickMark(m) {
		marks = append(marks, m)
	}
	want := []int{1000, 2000, 4000, 8000, 16000, 26000, 36000, 46000, 56000}
	if !slices.Equal(marks, want) {
		t.Errorf("marks %v, want %v", marks, want)
	}
	for _, c := range []struct{ from, to, want int }{{0, 55000, 8}, {0, 999, 0}, {0, 1000, 1}, {55000, 110000, 6}, {1000, 1999, 0}} {
		if got := QuickValMarks(c.from, c.to); got != c.want {
			t.Errorf("QuickValMarks(%d, %d) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	// Epoch 1 of MNIST's 55000 (5000 held out): the full validation and
	// eight of 1000 images; epoch 2 counts the marks 56000 to 106000.
	if got := EpochEvalImages(55000, 5000, 1); got != 13000 {
		t.Errorf("epoch 1 validates %d images, want 13000", got)
	}
	if got := EpochEvalImages(55000, 5000, 2); got != 5000+6*1000 {
		t.Errorf("epoch 2 validates %d images, want 11000", got)
	}
	if got := EpochEvalImages(55000, 0, 1); got != 0 {
		t.Errorf("without validation %d images", got)
	}
	if got := EpochEvalImages(1800, 200, 1); got != 200+200 {
		t.Errorf("a small set validates %d images, want 400 (one mark, its 200 images)", got)
	}
}

// TestQuickValidation trains the mlp preset (dropout: random numbers in
// every step) on 1400 digits with 600 held out, and checks that quick
// validations come at the marks, on the first 600 validation images,
// agree with train.Evaluate of the weights at that point, are skipped at an
// epoch's end, and leave the weights exactly as training without them.
func TestQuickValidation(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(50, 2), Validation: 600, Limit: 2000}
	data := fixtures(t)
	s := newSession(t, start, data)
	var quick []wire.QuickVal
	var epochsAt []int
	for i := 0; s.Busy(); i++ {
		if i > 100000 {
			t.Fatal("the session never finished")
		}
		for _, m := range s.Run(0) { // one step or chunk: the weights stay those checked
			switch m.Kind {
			case wire.KindQuickVal:
				q := *m.QuickVal
				quick = append(quick, q)
				// The weights now are those checked: compare.
				if s.quick.set.N != 600 {
					t.Fatalf("quick subset of %d images", s.quick.set.N)
				}
				r := train.Evaluate(s.net, s.quick.set, 100)
				if q.Acc != r.Acc || q.N != 600 || q.Seen != s.tr.Seen() {
					t.Errorf("quick validation %+v; train.Evaluate of the same weights on the subset: %.4f", q, r.Acc)
				}
			case wire.KindEpoch:
				epochsAt = append(epochsAt, m.Epoch.Seen)
			}
		}
	}
	// 1400 training images a step of 50: marks 1000 (at 1000), 2000 (at
	// 2000), 4000 is past the end (2800); 1400 ends epoch 1.
	var seen []int
	for _, q := range quick {
		seen = append(seen, q.Seen)
	}
	t.Logf("quick validations %+v; epochs ended at %v", quick, epochsAt)
	if !slices.Equal(seen, []int{1000, 2000}) || !slices.Equal(epochsAt, []int{1400, 2800}) {
		t.Errorf("quick validations at %v, epochs at %v; want quick at 1000 and 2000", seen, epochsAt)
	}
	if quick[0].Epoch != 1 || quick[1].Epoch != 2 {
		t.Errorf("epochs of the quick validations %d, %d", quick[0].Epoch, quick[1].Epoch)
	}

	// The same without quick validations trains the same weights.
	s2, err := New(start, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	setClock(s2, time.Millisecond)
	s2.quick.off = true
	msgs := runToEnd(t, s2)
	if len(kinds(msgs, wire.KindQuickVal)) != 0 {
		t.Fatal("quick validations while off")
	}
	if !slices.Equal(s.net.Weights(), s2.net.Weights()) {
		t.Error("quick validations changed the weights trained")
	}
}

// TestQuickValidationMarkAtEpochEnd: a mark passed by an epoch's last step
// is not checked again (the full validation just ran), and no validation
// set means no quick validations.
func TestQuickValidationMarkAtEpochEnd(t *testing.T) {
	// 1000 training images: epoch 1 ends at 1000, the first mark.
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(50, 1), Validation: 200, Limit: 1200}
	msgs := runToEnd(t, newSession(t, start, fixtures(t)))
	if q := kinds(msgs, wire.KindQuickVal); len(q) != 0 {
		t.Errorf("a quick validation at the epoch's end: %+v", q[0].QuickVal)
	}
	start = wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(50, 1), Validation: -1, Limit: 1500}
	msgs = runToEnd(t, newSession(t, start, fixtures(t)))
	if q := kinds(msgs, wire.KindQuickVal); len(q) != 0 {
		t.Errorf("a quick validation without a validation set: %+v", q[0].QuickVal)
	}
}

// TestPauseDuringQuickValidation: a pause stops a quick validation between
// chunks; resuming finishes it; a step meanwhile drops it (its weights
// changed).
func TestPauseDuringQuickValidation(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(50, 2), Validation: 600, Limit: 2000}
	s := newSession(t, start, fixtures(t))
	for s.tr.Seen() < 1000 && s.Busy() {
		s.Run(0)
	}
	if !s.quick.due() {
		t.Fatal("no quick validation due at 1000 examples")
	}
	s.Run(0) // one chunk of at most 200 images
	s.Handle(wire.Command(wire.KindPause))
	if got := s.Run(time.Second); got != nil || !s.quick.due() {
		t.Fatalf("paused: Run returned %v", kindList(got))
	}
	s.Handle(wire.Command(wire.KindResume))
	msgs := s.Run(0)
	for s.quick.due() {
		msgs = append(msgs, s.Run(0)...)
	}
	if q := kinds(msgs, wire.KindQuickVal); len(q) != 1 || q[0].QuickVal.Seen != 1000 {
		t.Fatalf("after resuming: %v", kindList(msgs))
	}
	// Run to the next mark, then step by hand: the check is dropped.
	for !s.quick.due() && s.Busy() {
		s.Run(0)
	}
	if s.tr.Seen() != 2000 {
		t.Fatalf("no quick validation due at 2000 examples (seen %d)", s.tr.Seen())
	}
	s.Handle(wire.Command(wire.KindPause))
	s.Handle(wire.Command(wire.KindStep))
	if s.quick.due() {
		t.Error("a step left the quick validation due")
	}
}

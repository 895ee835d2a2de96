package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// TestHistoryRoundTrip keeps a session's charts and figures and reads them
// into a fresh state: the same points, figures and test result, without
// the mistakes' images.
func TestHistoryRoundTrip(t *testing.T) {
	s := newTrainState(func() float64 { return 0 }, "")
	s.begin(wire.Start{Dataset: "fashion"}, nil)
	for _, m := range []wire.Message{started("fashion", classesOf("fashion")),
		progress(200, 2.1, 0.3), progress(400, 1.5, 0.5), epochEnd(5000, 0.82, true), progress(5200, 0.9, 0.7)} {
		s.handle(m)
	}
	s.test = &wire.Test{N: 10, Acc: 0.8, Confusion: [][]int{{1, 2}, {3, 4}}, Mistakes: []wire.Mistake{{Index: 3}}}
	s.testTitle = "Test"

	r := newTrainState(func() float64 { return 0 }, "")
	if err := r.restoreHistory(s.history()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"loss", r.lossPts, s.lossPts}, {"acc", r.accPts, s.accPts},
		{"val loss", r.valLoss, s.valLoss}, {"val acc", r.valAcc, s.valAcc},
		{"figures", []any{r.epoch, r.seen, r.steps, r.bestVal, r.hasBest, r.run.Dataset}, []any{s.epoch, s.seen, s.steps, s.bestVal, s.hasBest, "fashion"}},
		{"confusion", r.test.Confusion, s.test.Confusion},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %v; want %v", c.name, c.got, c.want)
		}
	}
	if len(r.lossPts) != 3 || r.test.Mistakes != nil || r.testTitle != "Test" {
		t.Errorf("%d loss points, mistakes %v, title %q", len(r.lossPts), r.test.Mistakes, r.testTitle)
	}
	if r.phase != phaseIdle {
		t.Errorf("phase %q after restoring a history; want idle (no session)", r.phase)
	}
}

// TestHistoryUnreadable checks that a broken history is an error and
// changes nothing.
func TestHistoryUnreadable(t *testing.T) {
	s := newTrainState(func() float64 { return 0 }, "")
	s.lossPts = []chartPoint{{1, 2}}
	for _, b := range []string{"", "{", `{"loss": 5}`, `[1,2]`} {
		if err := s.restoreHistory([]byte(b)); err == nil {
			t.Errorf("history %q read without an error", b)
		}
	}
	if len(s.lossPts) != 1 {
		t.Error("a broken history changed the charts")
	}
}

// TestFormRoundTrip keeps an edited form, one field typed wrong, and reads
// it back as typed, with its message.
func TestFormRoundTrip(t *testing.T) {
	f := newTrainForm(nil)
	f.setPreset("mlp")
	f.setDataset("fashion")
	f.setText(fieldLR, "0.5x")
	f.setText(fieldWorkers, "2")
	f.setCheck(rotateID, true)
	g, err := decodeForm(encodeForm(&f))
	if err != nil {
		t.Fatal(err)
	}
	if g.settings != f.settings || g.workers != "2" || !reflect.DeepEqual(g.spec, f.spec) {
		t.Errorf("read back %+v, %q; want %+v, 2", g.settings, g.workers, f.settings)
	}
	if g.bad[fieldLR] == "" {
		t.Error("the wrong learning rate came back without its message")
	}
	for _, b := range []string{"", "{", `{"settings": 3}`, `{"settings": {}, "spec": {}}`} {
		if _, err := decodeForm([]byte(b)); err == nil {
			t.Errorf("settings %q read without an error", b)
		}
	}
}

// TestStrokesRoundTrip keeps strokes and reads them back to 1/100 pixel;
// drawings that are not the page's are errors.
func TestStrokesRoundTrip(t *testing.T) {
	strokes := [][]point{{{10.123, 20.456}, {30, 40}}, {{140, 140}}}
	got, err := decodeStrokes(encodeStrokes(strokes))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]point{{{10.12, 20.46}, {30, 40}}, {{140, 140}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %v; want %v", got, want)
	}
	if got, err := decodeStrokes(encodeStrokes(nil)); err != nil || len(got) != 0 {
		t.Errorf("an empty drawing: %v, %v", got, err)
	}
	long := "[" + strings.Repeat("1,2,", maxSavedPoints) + "1,2]"
	for _, b := range []string{"", "{", `{"strokes": [[1]]}`, `{"strokes": [[]]}`, `{"strokes": [[1, 1e9]]}`,
		`{"strokes": [` + long + `]}`} {
		if _, err := decodeStrokes([]byte(b)); err == nil {
			t.Errorf("drawing %.40q read without an error", b)
		}
	}
}

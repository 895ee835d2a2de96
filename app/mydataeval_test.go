package app

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// TestEvaluate tests a model that always answers "b" on a set of a and b:
// b is all right, a all wrong, the confusion says so, and the mistakes are
// the set's own pictures.
func TestEvaluate(t *testing.T) {
	spec, _ := nn.Preset("convnetjs")
	spec, _ = nn.WithClasses(spec, 3)
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// A last dense layer of zero weights and a bias for class 1 answers 1.
	ps := net.Params()
	last := ps[len(ps)-1] // the bias of the classifier
	for _, p := range ps[len(ps)-2:] {
		clear(p.W)
	}
	last.W[1] = 5
	m := &model.Model{Net: net, Classes: []string{"a", "b", "c"}}
	s := &mySet{ID: "e", Name: "e"}
	s.addClass("b")
	s.addClass("a")
	for i := range 3 {
		s.addExample(0, "", picture(t, 20, 20, 3+i), nil)
		s.addExample(1, "", picture(t, 20, 20, 10+i), nil)
	}
	s.addExample(1, "blank.png", picture(t, 20, 20, 0)[:20], nil) // not a PNG
	ev, err := evaluate(m, "the test model", s)
	if err != nil {
		t.Fatal(err)
	}
	if ev.N != 6 || ev.Right != 3 || ev.acc() != 0.5 {
		t.Errorf("%d of %d right", ev.Right, ev.N)
	}
	if ev.PerClass[0] != (myClassResult{"b", 3, 3}) || ev.PerClass[1] != (myClassResult{"a", 3, 0}) {
		t.Errorf("per class %+v", ev.PerClass)
	}
	if ev.Confusion[0][1] != 3 || ev.Confusion[1][1] != 3 || ev.Confusion[2][2] != 0 {
		t.Errorf("confusion %v", ev.Confusion)
	}
	if len(ev.Worst) != 3 || ev.Worst[0].Class != "a" || ev.Worst[0].Pred != "b" || ev.Worst[0].Example.Data == nil {
		t.Errorf("worst %+v", ev.Worst)
	}
	if len(ev.Skipped) != 1 || !strings.Contains(ev.Skipped[0], "blank.png") {
		t.Errorf("skipped %q", ev.Skipped)
	}
	h := app.HTMLString(&myDataPanel{sets: &mySets{Sets: []*mySet{s}}, cur: s.ID, eval: ev, evalSet: s.ID})
	for _, want := range []string{`id="mydata-confusion"`, `data-acc="0.5000"`, "a seen as b (", `data-class="a" data-right="0"`} {
		if !strings.Contains(h, want) {
			t.Errorf("the evaluation view lacks %s", want)
		}
	}
	s.addClass("z")
	if _, err := evaluate(m, "the test model", s); err == nil || !strings.Contains(err.Error(), `"z"`) {
		t.Errorf("a class the model does not know: %v", err)
	}
}

package app

import (
	"fmt"
	"slices"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// myWorstShown is how many of the worst mistakes an evaluation shows.
const myWorstShown = 12

// myEval is a model tested on one of the user's own sets: "test the digits
// model on my handwriting".
type myEval struct {
	Model   string   // which model, for people: "the shipped digits model"
	Classes []string // the model's classes: the confusion's rows and columns
	// Confusion[true][predicted] counts the set's pictures, by the model's
	// class indices.
	Confusion [][]int
	PerClass  []myClassResult // the set's classes, in its order
	N, Right  int
	Worst     []myMistake // the most confident mistakes, most confident first
	Skipped   []string    // pictures that could not be used, and why
}

// myClassResult is one class's share of right answers.
type myClassResult struct {
	Name     string
	N, Right int
}

// myMistake is a picture of the set the model got wrong.
type myMistake struct {
	Example *myExample
	Class   string  // what the user said it is
	Pred    string  // what the model says
	Prob    float32 // how sure the model is of Pred
}

// evaluate runs m on every picture of s, framed as m was trained
// (m.Framing), and compares its answers with the set's classes, matched by
// name: a class the model does not know is an error naming it.
func evaluate(m *model.Model, name string, s *mySet) (*myEval, error) {
	index := make([]int, len(s.Classes))
	for i, c := range s.Classes {
		index[i] = slices.Index(m.Classes, c.Name)
		if index[i] < 0 {
			return nil, fmt.Errorf("%s knows no class %q (its classes: %v): name the set's classes as the model's", name, c.Name, m.Classes)
		}
	}
	ev := &myEval{Model: name, Classes: m.Classes, Confusion: make([][]int, len(m.Classes))}
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]int, len(m.Classes))
	}
	frame := imageset.Frame(m.Framing())
	var wrong []myMistake
	for ci, c := range s.Classes {
		res := myClassResult{Name: c.Name}
		for _, e := range c.Examples {
			img, err := imageset.Picture(e.Data, frame)
			var probs []float32
			if err == nil {
				probs, err = m.Predict(img, preprocess.Size, preprocess.Size)
			}
			if err != nil {
				ev.Skipped = append(ev.Skipped, c.Name+"/"+e.File+": "+err.Error())
				continue
			}
			pred := nn.Argmax(probs)
			ev.Confusion[index[ci]][pred]++
			res.N++
			if pred == index[ci] {
				res.Right++
			} else {
				wrong = append(wrong, myMistake{Example: e, Class: c.Name, Pred: m.Classes[pred], Prob: probs[pred]})
			}
		}
		ev.PerClass = append(ev.PerClass, res)
		ev.N += res.N
		ev.Right += res.Right
	}
	slices.SortStableFunc(wrong, func(a, b myMistake) int {
		switch {
		case a.Prob > b.Prob:
			return -1
		case a.Prob < b.Prob:
			return 1
		}
		return 0
	})
	ev.Worst = wrong[:min(len(wrong), myWorstShown)]
	return ev, nil
}

// acc is the share of pictures right.
func (ev *myEval) acc() float64 {
	if ev.N == 0 {
		return 0
	}
	return float64(ev.Right) / float64(ev.N)
}

//go:build !js

package classroom

import (
	"net/http"
	"slices"
	"sort"
)

// evaluation is the result of testing the model on the class's drawings.
type evaluation struct {
	Classes   []string  `json:"classes"`   // the model's classes, the matrix's order
	Tested    int       `json:"tested"`    // drawings whose label the model knows
	Skipped   int       `json:"skipped"`   // drawings of classes it does not know
	Correct   int       `json:"correct"`   // of the tested
	Accuracy  float64   `json:"accuracy"`  // Correct/Tested, 0 when none
	Confusion [][]int   `json:"confusion"` // [true][predicted]
	Mistakes  []mistake `json:"mistakes"`  // the worst, least sure of the truth first
}

// mistake is a drawing the model got wrong.
type mistake struct {
	ID        int64   `json:"id"`
	Nickname  string  `json:"nickname"`
	Label     string  `json:"label"`
	Predicted string  `json:"predicted"`
	PTrue     float64 `json:"pTrue"` // the probability the model gave the true class
	Image     string  `json:"image"`
	pix       []byte
}

// maxMistakes is how many mistakes the answer shows.
const maxMistakes = 24

// evaluate tests the server's model (the shipped digits model) on the
// drawings that are neither deleted nor flagged: the accuracy, the
// confusion matrix and the worst mistakes.
func (h *Handler) evaluate(r *http.Request) (int, any, error) {
	if err := decode(r, 1<<10, &struct{}{}); err != nil {
		return 0, nil, err
	}
	if h.model == nil {
		return 0, nil, errorf(http.StatusNotFound, "this server has no model to test with")
	}
	ds, err := h.store.exported(r.Context())
	if err != nil {
		return 0, nil, err
	}
	m := h.model
	ev := evaluation{Classes: m.Classes, Confusion: make([][]int, len(m.Classes)), Mistakes: []mistake{}}
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]int, len(m.Classes))
	}
	img := make([]float32, Side*Side)
	h.modelMu.Lock()
	defer h.modelMu.Unlock()
	for _, d := range ds {
		truth := slices.Index(m.Classes, d.Label)
		if truth < 0 {
			ev.Skipped++
			continue
		}
		for i, v := range d.Image {
			img[i] = float32(v) / 255
		}
		p, err := m.Predict(img, Side, Side)
		if err != nil {
			return 0, nil, err
		}
		pred := 0
		for k := range p {
			if p[k] > p[pred] {
				pred = k
			}
		}
		ev.Tested++
		ev.Confusion[truth][pred]++
		if pred == truth {
			ev.Correct++
			continue
		}
		ev.Mistakes = append(ev.Mistakes, mistake{ID: d.ID, Nickname: d.Nickname, Label: d.Label,
			Predicted: m.Classes[pred], PTrue: float64(p[truth]), pix: d.Image})
	}
	if ev.Tested > 0 {
		ev.Accuracy = float64(ev.Correct) / float64(ev.Tested)
	}
	sort.SliceStable(ev.Mistakes, func(i, j int) bool { return ev.Mistakes[i].PTrue < ev.Mistakes[j].PTrue })
	if len(ev.Mistakes) > maxMistakes {
		ev.Mistakes = ev.Mistakes[:maxMistakes]
	}
	for i := range ev.Mistakes {
		ev.Mistakes[i].Image = pngDataURL(ev.Mistakes[i].pix)
	}
	return http.StatusOK, ev, nil
}

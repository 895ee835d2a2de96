package app

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// trainHistory is what the training panel shows of a session, kept in the
// browser with the model (autosave's run/history) so that a restored model
// comes back with its charts and figures.
type trainHistory struct {
	Dataset string       `json:"dataset"`
	Epoch   int          `json:"epoch"`
	Seen    int          `json:"seen"`
	Steps   int          `json:"steps"`
	Loss    [][2]float64 `json:"loss,omitempty"` // chart points: examples seen, value
	Acc     [][2]float64 `json:"acc,omitempty"`
	ValLoss [][2]float64 `json:"valLoss,omitempty"`
	ValAcc  [][2]float64 `json:"valAcc,omitempty"`
	BestVal float64      `json:"bestVal,omitempty"`
	HasBest bool         `json:"hasBest,omitempty"`
	// Test is the last test result without its mistakes (their images
	// are large, and the Mistakes view computes its own).
	Test      *wire.Test `json:"test,omitempty"`
	TestTitle string     `json:"testTitle,omitempty"`
}

// maxHistoryPoints bounds each chart series read back: more than a long
// training makes is a broken or foreign record.
const maxHistoryPoints = 1 << 20

// history returns the session's charts and figures, to be saved.
func (s *trainState) history() []byte {
	h := trainHistory{Dataset: s.run.Dataset, Epoch: s.epoch, Seen: s.seen, Steps: s.steps,
		Loss: pairs(s.lossPts), Acc: pairs(s.accPts), ValLoss: pairs(s.valLoss), ValAcc: pairs(s.valAcc),
		BestVal: s.bestVal, HasBest: s.hasBest, TestTitle: s.testTitle}
	if s.test != nil {
		t := *s.test
		t.Mistakes = nil
		h.Test = &t
	}
	b, _ := json.Marshal(h) // numbers are finite (appendPoint), the rest plain
	return b
}

// restoreHistory puts back the charts and figures of a saved session (see
// history), in place of the current ones, for a session that is not
// running here: the phase stays as it is.
func (s *trainState) restoreHistory(b []byte) error {
	var h trainHistory
	if err := json.Unmarshal(b, &h); err != nil {
		return fmt.Errorf("the saved history is unreadable: %w", err)
	}
	for _, series := range [][][2]float64{h.Loss, h.Acc, h.ValLoss, h.ValAcc} {
		if len(series) > maxHistoryPoints {
			return errors.New("the saved history is too long to be one of cnnplay's")
		}
	}
	s.resetProgress()
	s.run.Dataset = h.Dataset
	s.epoch, s.seen, s.steps = h.Epoch, h.Seen, h.Steps
	s.lossPts, s.accPts, s.valLoss, s.valAcc = points(h.Loss), points(h.Acc), points(h.ValLoss), points(h.ValAcc)
	s.bestVal, s.hasBest = h.BestVal, h.HasBest
	if h.Test != nil && len(h.Test.Confusion) > 0 {
		s.test, s.testTitle = h.Test, h.TestTitle
	}
	return nil
}

func pairs(pts []chartPoint) [][2]float64 {
	out := make([][2]float64, len(pts))
	for i, p := range pts {
		out[i] = [2]float64{p.X, p.Y}
	}
	return out
}

// points returns the chart points of pairs, leaving out any that is not
// finite (appendPoint never adds one).
func points(pairs [][2]float64) []chartPoint {
	var out []chartPoint
	for _, p := range pairs {
		if finite(p[0]) && finite(p[1]) {
			out = append(out, chartPoint{p[0], p[1]})
		}
	}
	return out
}

package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/nn"
)

// What the page keeps in the browser besides the model (see keeper): the
// training form and the drawing, in formats of the page's own.

// savedForm is the training form as kept: the settings as typed, the
// network as edited, and the worker count field.
type savedForm struct {
	Settings trainSettings `json:"settings"`
	Spec     nn.Spec       `json:"spec"`
	Workers  string        `json:"workers"`
}

// encodeForm returns the form as kept.
func encodeForm(f *trainForm) []byte {
	b, _ := json.Marshal(savedForm{Settings: f.settings, Spec: f.spec, Workers: f.workers}) // strings, bools and a spec of ints and floats
	return b
}

// decodeForm reads a kept form into a new one, with its messages: a
// value the user typed wrong comes back as typed, and explained.
func decodeForm(b []byte) (trainForm, error) {
	var s savedForm
	if err := json.Unmarshal(b, &s); err != nil {
		return trainForm{}, fmt.Errorf("the saved settings are unreadable: %w", err)
	}
	if len(s.Spec.Layers) == 0 {
		return trainForm{}, errors.New("the saved settings hold no network")
	}
	f := newTrainForm(&Setup{Settings: s.Settings, Spec: s.Spec})
	if s.Workers != "" {
		f.workers = s.Workers
	}
	f.validate()
	return f, nil
}

// Limits of a kept drawing: more than a person draws on a 280-pixel canvas
// is not one of the page's.
const (
	maxSavedPoints  = 100000
	strokePrecision = 100 // coordinates are kept to 1/100 of a canvas pixel
)

// savedDrawing is the drawing as kept: each stroke as x, y pairs in
// canvas pixels.
type savedDrawing struct {
	Strokes [][]float64 `json:"strokes"`
}

// encodeStrokes returns the strokes as kept.
func encodeStrokes(strokes [][]point) []byte {
	d := savedDrawing{Strokes: make([][]float64, 0, len(strokes))}
	round := func(v float64) float64 { return math.Round(v*strokePrecision) / strokePrecision }
	for _, s := range strokes {
		xy := make([]float64, 0, 2*len(s))
		for _, p := range s {
			xy = append(xy, round(p.x), round(p.y))
		}
		d.Strokes = append(d.Strokes, xy)
	}
	b, _ := json.Marshal(d) // canvas coordinates are finite
	return b
}

// decodeStrokes reads kept strokes; a drawing that is not one of the
// page's (unreadable, too long, points off the canvas) is an error.
func decodeStrokes(b []byte) ([][]point, error) {
	var d savedDrawing
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("the saved drawing is unreadable: %w", err)
	}
	var strokes [][]point
	n := 0
	for _, xy := range d.Strokes {
		if len(xy) == 0 || len(xy)%2 != 0 {
			return nil, errors.New("the saved drawing has a stroke without whole points")
		}
		if n += len(xy) / 2; n > maxSavedPoints {
			return nil, fmt.Errorf("the saved drawing has more than %d points", maxSavedPoints)
		}
		s := make([]point, 0, len(xy)/2)
		for i := 0; i < len(xy); i += 2 {
			x, y := xy[i], xy[i+1]
			if !(x >= -canvasSize && x <= 2*canvasSize && y >= -canvasSize && y <= 2*canvasSize) {
				return nil, fmt.Errorf("the saved drawing has a point (%v, %v) far off the canvas", x, y)
			}
			s = append(s, point{x, y})
		}
		strokes = append(strokes, s)
	}
	return strokes, nil
}

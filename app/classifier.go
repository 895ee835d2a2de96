package app

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/cnnplay/cnnplay/internal/webfetch"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// shippedModelURL is the URL of a shipped model (digits, fashion), as a
// link's model parameter names it.
func shippedModelURL(name string) string { return "/web/models/" + name + ".cnn" }

// prediction is what the page shows for the current drawing: the 28x28
// image the network sees and its class probabilities. An empty drawing has
// neither.
type prediction struct {
	digit []float32 // 784 values in [0,1], white ink on black
	probs []float32
}

// classify runs the same preprocessing as the model's training data went
// through (see package preprocess: digits or clothing) and the model on RGBA pixels from the canvas or an
// image file. Nothing drawn is not an error: it gives an empty prediction.
func classify(m *model.Model, rgba []byte, w, h int) (prediction, error) {
	digit, err := prepare(m.Record.Dataset, rgba, w, h)
	if err != nil {
		return prediction{}, err
	}
	return predict(m, digit)
}

// prepare returns the 28x28 image a model trained on dataset sees of RGBA
// pixels, or nil when nothing is drawn. It is the costly half of classify
// (tens of milliseconds for a canvas): a page that classifies the same
// drawing with a new model, as it does twice a second while training, keeps
// its result.
func prepare(dataset string, rgba []byte, w, h int) ([]float32, error) {
	gray := preprocess.GrayRGBA(rgba, w, h)
	if gray == nil {
		return nil, fmt.Errorf("image data has %d bytes for %dx%d pixels", len(rgba), w, h)
	}
	digit, err := frameFor(dataset)(gray, w, h)
	if errors.Is(err, preprocess.ErrEmpty) {
		return nil, nil
	}
	return digit, err
}

// predict runs m on an image from prepare (nil: nothing drawn).
func predict(m *model.Model, digit []float32) (prediction, error) {
	if digit == nil {
		return prediction{}, nil
	}
	probs, err := m.Predict(digit, preprocess.Size, preprocess.Size)
	if err != nil {
		return prediction{}, err
	}
	return prediction{digit: digit, probs: slices.Clone(probs)}, nil
}

// checkShowable returns an error saying why the page cannot use m to
// classify drawings, or nil. Any network of one image input takes the
// drawing (model.Predict resamples it to the input's size and repeats it
// across the channels), so what is left to refuse is a model whose
// predictions are not probabilities: weights so large that a picture
// overflows them. It runs m on a test pattern, a bar of ink.
func checkShowable(m *model.Model) error {
	img := make([]float32, preprocess.Size*preprocess.Size)
	for y := 6; y < 22; y++ {
		img[y*preprocess.Size+13], img[y*preprocess.Size+14] = 1, 1
	}
	probs, err := m.Predict(img, preprocess.Size, preprocess.Size)
	if err != nil {
		return err
	}
	if len(probs) != len(m.Classes) {
		return fmt.Errorf("it gives %d probabilities for %d classes", len(probs), len(m.Classes))
	}
	for _, p := range probs {
		if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
			return errors.New("its predictions are not numbers (its weights overflow on a drawing)")
		}
	}
	return nil
}

// describeShape says how many classes m tells apart and what its input is,
// for the message that confirms a loaded file.
func describeShape(m *model.Model) string {
	in := m.Net.InShape()
	s := fmt.Sprintf("%d %s, input %dx%d", len(m.Classes), plural(len(m.Classes), "class", "classes"), in.H, in.W)
	if in.C != 1 {
		s += fmt.Sprintf(" with %d channels", in.C)
	}
	return s
}

// fetchModel downloads and decodes a model file from the server.
func fetchModel(url string) (*model.Model, error) {
	res, err := webfetch.Get(webURL(url))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return model.Decode(io.LimitReader(res.Body, model.MaxFileBytes+1))
}

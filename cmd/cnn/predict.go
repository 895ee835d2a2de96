package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

func predictCmd(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("predict", flag.ExitOnError)
	path := fs.String("model", "", "model file (default: the shipped digits model)")
	asJSON := fs.Bool("json", false, "print one JSON object per file with every class probability")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: cnn predict [-model m.cnn] [-json] image.png [more.jpg ...]")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("no image files given")
	}
	m, err := loadModel(*path)
	if err != nil {
		return err
	}
	failed := 0
	for _, file := range fs.Args() {
		probs, err := classify(m, file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cnn: %s: %s\n", printable(file), printable(err.Error()))
			failed++
			continue
		}
		best := nn.Argmax(probs)
		if *asJSON {
			out := map[string]any{"file": file, "class": m.Classes[best], "probability": probs[best], "probabilities": map[string]float32{}}
			for i, c := range m.Classes {
				out["probabilities"].(map[string]float32)[c] = probs[i]
			}
			b, _ := json.Marshal(out)
			fmt.Fprintf(w, "%s\n", printableJSON(b))
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%.4f\n", printable(file), printable(m.Classes[best]), probs[best])
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be classified", failed, fs.NArg())
	}
	return nil
}

// classify reads an image file and runs it through the same preprocessing as
// the playground's canvas, framed as the model's training images were (for
// a Fashion-MNIST model or a set of items, the one for clothing).
func classify(m *model.Model, file string) ([]float32, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := preprocess.DecodeImage(f)
	if errors.Is(err, preprocess.ErrTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("not a PNG or JPEG image: %w", err)
	}
	gray, w, h := preprocess.Gray(img)
	digit, err := imageset.Frame(m.Framing())(gray, w, h)
	if err != nil {
		return nil, err
	}
	return m.Predict(digit, preprocess.Size, preprocess.Size)
}

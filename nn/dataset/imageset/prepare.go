package imageset

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// Frame returns the preprocessing of a framing: preprocess.Item for
// dataset.ItemFraming, preprocess.Digit otherwise. The page frames a
// drawing with it, so a set's pictures and the drawings its model
// classifies are made alike.
func Frame(f dataset.Framing) func(gray []float32, w, h int) ([]float32, error) {
	if f == dataset.ItemFraming {
		return preprocess.Item
	}
	return preprocess.Digit
}

// Prepared is a set's pictures as a network sees them.
type Prepared struct {
	// Set holds one 28×28 image (as bytes, value byte/255) for each
	// picture that could be prepared; label i means Classes[i] of the
	// image set, and its Name is the image set's.
	*dataset.Set
	// Example[i] is the index in the image set's Examples of image i, so a
	// mistake can be shown as the user's own picture.
	Example []int
}

// Prepare decodes every picture of s and makes it look like a dataset's
// image as s.Framing says (Frame): greyscale, ink found and cropped,
// scaled and centred in 28×28. A picture that does not decode, holds
// nothing to see, or is in a class not among s.Classes is a Problem and is
// left out. It returns an error only if s has no classes or more than
// MaxClasses.
func (s *Set) Prepare() (*Prepared, []Problem, error) {
	if len(s.Classes) == 0 || len(s.Classes) > MaxClasses {
		return nil, nil, fmt.Errorf("imageset: a set needs 1 to %d classes, has %d", MaxClasses, len(s.Classes))
	}
	label := make(map[string]int, len(s.Classes))
	for i, c := range s.Classes {
		label[c] = i
	}
	const n = preprocess.Size * preprocess.Size
	frame := Frame(s.Framing)
	out := &Prepared{Set: &dataset.Set{Name: s.Name, H: preprocess.Size, W: preprocess.Size, Classes: s.Classes}}
	var probs []Problem
	for i, e := range s.Examples {
		file := e.Class + "/" + e.Name
		l, ok := label[e.Class]
		if !ok {
			probs = append(probs, Problem{file, fmt.Sprintf("class %q is not one of the set's", e.Class)})
			continue
		}
		img, err := Picture(e.Data, frame)
		if err != nil {
			probs = append(probs, Problem{file, err.Error()})
			continue
		}
		for _, v := range img {
			out.Pixels = append(out.Pixels, uint8(math.Round(255*float64(min(max(v, 0), 1)))))
		}
		out.Labels = append(out.Labels, uint8(l))
		out.Example = append(out.Example, i)
	}
	out.N = len(out.Labels)
	if len(out.Pixels) != out.N*n {
		panic("imageset: prepared images of the wrong size")
	}
	return out, probs, nil
}

// Picture decodes an encoded picture (PNG or JPEG, refused beyond
// preprocess.MaxPixels) and frames it: 28×28 values in [0,1]. The error
// says, for people, why the picture cannot be used.
func Picture(data []byte, frame func(gray []float32, w, h int) ([]float32, error)) ([]float32, error) {
	img, _, err := preprocess.DecodeImage(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("is not a picture cnnplay reads: %s", strings.TrimPrefix(err.Error(), "preprocess: "))
	}
	gray, w, h := preprocess.Gray(img)
	gray, w, h = enlarge(gray, w, h)
	out, err := frame(gray, w, h)
	if errors.Is(err, preprocess.ErrEmpty) {
		return nil, errors.New("shows nothing: the picture is blank")
	}
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "preprocess: "))
	}
	return out, nil
}

// minSide is the side below which Picture enlarges a picture before
// framing it.
const minSide = preprocess.Size

// enlarge returns a picture whose longer side is under minSide pixels
// repeated k×k times per pixel (nearest neighbour), so that its longer
// side is at least minSide; a larger one as it is. preprocess finds the
// ink of a picture from a smoothed, shrunk copy of it, which needs more
// than a few pixels: 3 of scikit-learn's 1797 digits of 8×8 pixels, cropped
// tight to the ink, came out blank, and none does enlarged. Repeating
// pixels adds nothing the picture did not have, and framing scales the ink
// to its box anyway.
func enlarge(gray []float32, w, h int) ([]float32, int, int) {
	long := max(w, h)
	if long >= minSide {
		return gray, w, h
	}
	k := (minSide + long - 1) / long
	out := make([]float32, 0, w*h*k*k)
	for y := range h * k {
		row := gray[(y/k)*w : (y/k+1)*w]
		for x := range w * k {
			out = append(out, row[x/k])
		}
	}
	return out, w * k, h * k
}

package preprocess

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
)

// MaxPixels is the largest picture, in pixels (width × height), that
// DecodeImage decodes: 40 megapixels, more than a phone camera's usual
// photo. Decoding holds up to 8 bytes a pixel (16-bit RGBA) and Gray 4
// more, so a picture at the limit needs about 480 MB; the check costs only
// the picture's header, however large the picture says it is.
const MaxPixels = 40_000_000

// ErrTooLarge is wrapped by DecodeImage's error for a picture of more than
// MaxPixels pixels.
var ErrTooLarge = errors.New("picture too large")

// DecodeImage decodes a picture in any format registered with package image
// (register PNG and JPEG by importing image/png and image/jpeg), like
// image.Decode, but reads its size first (image.DecodeConfig) and refuses
// one of more than MaxPixels pixels before allocating anything for it: a
// PNG of a few hundred kilobytes can declare 20000×20000 pixels.
func DecodeImage(r io.Reader) (image.Image, string, error) {
	var head bytes.Buffer
	cfg, format, err := image.DecodeConfig(io.TeeReader(r, &head))
	if err != nil {
		return nil, "", err
	}
	w, h := cfg.Width, cfg.Height
	if w < 1 || h < 1 {
		return nil, format, fmt.Errorf("preprocess: the %s has no pixels (%d×%d)", format, w, h)
	}
	if w > MaxPixels || h > MaxPixels || w*h > MaxPixels {
		return nil, format, fmt.Errorf("preprocess: %w: the %s is %d×%d pixels (%.0f megapixels); at most %d megapixels are read",
			ErrTooLarge, format, w, h, float64(w)*float64(h)/1e6, MaxPixels/1_000_000)
	}
	return image.Decode(io.MultiReader(&head, r))
}

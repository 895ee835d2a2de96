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
	if err := checkSize(cfg, format); err != nil {
		return nil, format, err
	}
	return image.Decode(io.MultiReader(&head, r))
}

// CheckSize reads the header at the start of a picture file (the first few
// hundred kilobytes hold it in any file a camera or an editor writes) and
// returns an error wrapping ErrTooLarge when it declares more than
// MaxPixels pixels. It is for pictures that something else decodes, such as
// the browser: the check costs nothing of what the picture says it needs.
// A header in a format package image does not know, or one cut short, is
// let through: the decoder that knows it must bound it.
func CheckSize(head []byte) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(head))
	if err != nil {
		return nil
	}
	return checkSize(cfg, format)
}

// checkSize refuses a picture of no pixels or of more than MaxPixels.
func checkSize(cfg image.Config, format string) error {
	w, h := cfg.Width, cfg.Height
	if w < 1 || h < 1 {
		return fmt.Errorf("preprocess: the %s has no pixels (%d×%d)", format, w, h)
	}
	if w > MaxPixels || h > MaxPixels || w*h > MaxPixels {
		return fmt.Errorf("preprocess: %w: the %s is %d×%d pixels (%.0f megapixels); at most %d megapixels are read",
			ErrTooLarge, format, w, h, float64(w)*float64(h)/1e6, MaxPixels/1_000_000)
	}
	return nil
}

package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
)

// drawingPNG returns the canvas pixels (RGBA, ink on a transparent
// background, as drawCanvas gives them) as a greyscale PNG of dark ink on
// white, the way a person's scan or a paint program's file looks, so that
// the exported set opens in any tool as it is.
func drawingPNG(rgba []byte, w, h int) ([]byte, error) {
	if w <= 0 || h <= 0 || len(rgba) != w*h*4 {
		return nil, fmt.Errorf("image data has %d bytes for %dx%d pixels", len(rgba), w, h)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	const ink = 0x11 // strokeColor's grey
	for i := range w * h {
		a := int(rgba[4*i+3])
		// The ink composited over white: 255 where bare, ink where opaque.
		img.Pix[i] = uint8(255 - (a*(255-ink)+127)/255)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// timedStrokes returns the canvas's finished strokes with the time of each
// point in ms since the first (0 where the canvas does not know it: strokes
// restored from an earlier visit), rounded as the page keeps drawings.
func (c *drawCanvas) timedStrokes() []myStroke {
	round := func(v float64) float64 { return math.Round(v*strokePrecision) / strokePrecision }
	var t0 float64
	if len(c.times) > 0 && len(c.times[0]) > 0 {
		t0 = c.times[0][0]
	}
	out := make([]myStroke, 0, len(c.strokes))
	for i, s := range c.strokes {
		ms := make(myStroke, len(s))
		for j, p := range s {
			var t float64
			if i < len(c.times) && j < len(c.times[i]) {
				t = c.times[i][j] - t0
			}
			ms[j] = [3]float64{round(p.x), round(p.y), math.Round(t)}
		}
		out = append(out, ms)
	}
	return out
}

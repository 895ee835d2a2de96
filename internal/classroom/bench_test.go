//go:build !js

package classroom

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// BenchmarkRender is the server's cost of turning one drawing's strokes
// into the network's image (Render, on the ink's part of the canvas), and
// the cost of the same on the whole canvas as the page does it.
func BenchmarkRender(b *testing.B) {
	ss := sevenStrokes()
	b.Run("Server", func(b *testing.B) {
		for b.Loop() {
			if _, err := Render(ss); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("WholeCanvas", func(b *testing.B) {
		d := strokes.Drawing{}
		for _, s := range ss {
			d.Strokes = append(d.Strokes, split(s, 0, 0))
		}
		for b.Loop() {
			gray := preprocess.GrayRGBA(strokes.Render(d, Canvas, Brush), Canvas, Canvas)
			if _, err := preprocess.Digit(gray, Canvas, Canvas); err != nil {
				b.Fatal(err)
			}
		}
	})
}

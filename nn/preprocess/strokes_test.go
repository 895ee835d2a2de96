package preprocess_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// TestStrokeDrawings runs every hand-drawn digit of testdata/strokes, as the
// canvas would paint it, through GrayRGBA and Digit: each must give a
// centred MNIST-style digit.
func TestStrokeDrawings(t *testing.T) {
	canvas, ds, err := strokes.Load(filepath.Join("..", "..", "testdata", "strokes", "digits.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Fatal("no drawings")
	}
	const n = preprocess.Size
	for _, d := range ds {
		t.Run(d.Name, func(t *testing.T) {
			rgba := strokes.Render(d, canvas, strokes.Brush)
			gray := preprocess.GrayRGBA(rgba, canvas, canvas)
			if gray == nil {
				t.Fatal("GrayRGBA returned nil")
			}
			img, err := preprocess.Digit(gray, canvas, canvas)
			if err != nil {
				t.Fatal(err)
			}
			if len(img) != n*n {
				t.Fatalf("%d pixels, want %d", len(img), n*n)
			}
			var m, cx, cy float64
			x0, y0, x1, y1 := n, n, -1, -1
			for i, v := range img {
				x, y := i%n, i/n
				m += float64(v)
				cx += float64(v) * float64(x)
				cy += float64(v) * float64(y)
				if v > 0.5 {
					x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
				}
			}
			if m < 10 {
				t.Fatalf("ink mass %.1f: hardly anything drawn", m)
			}
			cx, cy = cx/m, cy/m
			if math.Hypot(cx-14, cy-14) > 1 {
				t.Errorf("centre of mass (%.2f, %.2f), want near (14, 14)", cx, cy)
			}
			// Scaled to fit the 20×20 box: the larger side spans most of
			// it. (A top-heavy 7 may reach the bottom row, as in MNIST,
			// so the edges are not checked.)
			if s := max(x1-x0, y1-y0) + 1; s < 16 || s > preprocess.Box+2 {
				t.Errorf("ink spans %d×%d pixels, want the larger side about %d", x1-x0+1, y1-y0+1, preprocess.Box)
			}
		})
	}
}

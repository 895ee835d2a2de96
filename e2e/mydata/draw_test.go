//go:build !js

package mydata_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/strokes"
)

// digitDrawings returns the recorded drawings of testdata/strokes by label.
func digitDrawings(t *testing.T) (canvas int, byLabel map[int][]strokes.Drawing) {
	_, file, _, _ := runtime.Caller(0)
	canvas, all, err := strokes.Load(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "strokes", "digits.json"))
	if err != nil {
		t.Fatal(err)
	}
	byLabel = map[int][]strokes.Drawing{}
	for _, d := range all {
		byLabel[d.Label] = append(byLabel[d.Label], d)
	}
	return canvas, byLabel
}

// varied returns drawing d drawn again as a hand would: scaled, turned and
// moved a little about the canvas centre (the same rng, the same drawing),
// each stroke as canvas fractions for DrawPath.
func varied(d strokes.Drawing, canvas int, rng *rand.Rand) [][]browsertest.Point {
	c := float64(canvas) / 2
	scale := 0.8 + 0.3*rng.Float64()
	sin, cos := math.Sincos((rng.Float64()*2 - 1) * 10 * math.Pi / 180)
	dx, dy := (rng.Float64()*2-1)*20, (rng.Float64()*2-1)*20
	var out [][]browsertest.Point
	for _, s := range d.Strokes {
		var pts []browsertest.Point
		for i, p := range s {
			if i%3 != 0 && i != len(s)-1 {
				continue // every third sample: still a few pixels apart, a third of the events
			}
			x, y := (p[0]-c)*scale, (p[1]-c)*scale
			x, y = x*cos-y*sin+c+dx, x*sin+y*cos+c+dy
			clamp := func(v float64) float64 { return min(max(v, 2), float64(canvas)-2) / float64(canvas) }
			pts = append(pts, browsertest.Point{X: clamp(x), Y: clamp(y)})
		}
		out = append(out, pts)
	}
	return out
}

// drawStrokes draws the strokes on the canvas with the mouse and waits for
// the ink to settle.
func drawStrokes(t *testing.T, b *browsertest.Browser, ss [][]browsertest.Point) {
	t.Helper()
	for _, s := range ss {
		b.DrawPath(t, "#draw-canvas", browsertest.Mouse, s...)
	}
	browsertest.WaitInk(t, b, 300)
}

//go:build !js

package classroom

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// TestRenderMatchesThePage renders the generated digits of testdata/strokes
// as the server does and as the page's path does (the canvas's pixels
// through GrayRGBA and Digit): the images must be the same, so what the
// teacher exports is what the network saw on the student's page.
func TestRenderMatchesThePage(t *testing.T) {
	canvas, ds, err := strokes.Load(filepath.Join("..", "..", "testdata", "strokes", "digits.json"))
	if err != nil {
		t.Fatal(err)
	}
	if canvas != Canvas {
		t.Fatalf("the stroke file's canvas is %d, the class canvas %d", canvas, Canvas)
	}
	worstAll := 0.0
	for _, d := range ds {
		ss := make([][]Point, len(d.Strokes))
		for i, s := range d.Strokes {
			for j, p := range s {
				ss[i] = append(ss[i], Point{p[0], p[1], float64(10 * j)})
			}
		}
		if err := checkStrokes(ss); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		got, err := Render(ss)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		want, err := preprocess.Digit(preprocess.GrayRGBA(strokes.Render(d, canvas, Brush), canvas, canvas), canvas, canvas)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i := range want {
			worst = max(worst, math.Abs(float64(got[i])/255-float64(want[i])))
		}
		// Added points and the cropped canvas change the picture by
		// rounding only.
		worstAll = max(worstAll, worst)
		if worst > 2.0/255 {
			t.Errorf("%s: server image differs from the page's by %.3f", d.Name, worst)
		}
	}
	t.Logf("%d drawings: the largest pixel difference is %.4f (1 = full ink)", len(ds), worstAll)
}

func TestCheckStrokes(t *testing.T) {
	long := make([]Point, MaxPoints+1)
	zig := make([]Point, 100)
	for i := range zig {
		zig[i] = Point{float64(i%2) * 280, float64(i%2) * 280, float64(i)}
	}
	for _, c := range []struct {
		name string
		ss   [][]Point
		want string
	}{
		{"empty", nil, "empty"},
		{"empty stroke", [][]Point{{}}, "stroke 0 is empty"},
		{"too many points", [][]Point{long}, "at most 5000 points"},
		{"outside", [][]Point{{{10, 281, 0}}}, "outside"},
		{"negative", [][]Point{{{-1, 10, 0}}}, "outside"},
		{"NaN", [][]Point{{{math.NaN(), 10, 0}}}, "finite"},
		{"Inf time", [][]Point{{{1, 10, math.Inf(1)}}}, "finite"},
		{"late", [][]Point{{{1, 10, MaxTime + 1}}}, "time"},
		{"long path", [][]Point{zig}, "path"},
		{"too many strokes", make([][]Point, MaxStrokes+1), "strokes"},
	} {
		err := checkStrokes(c.ss)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
	if err := checkStrokes(sevenStrokes()); err != nil {
		t.Errorf("a 7: %v", err)
	}
}

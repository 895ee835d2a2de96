// Package strokes holds handwritten-digit stroke paths for tests: drawings
// as a person would make them with a mouse or a finger on the 280×280
// drawing canvas, loaded from testdata/strokes/digits.json, and a
// rasteriser that paints them the way the canvas does (round-capped thick
// lines, dark ink on white), so that native tests can check them without a
// browser.
//
// The drawings are made by Generate from digit shapes built of lines and
// splines in a unit box, scaled, slanted, distorted and placed with a fixed
// seed; the test TestGenerate with -gen rewrites the JSON file and the
// contact sheet testdata/strokes/contact.png:
//
//	go test ./internal/strokes -run TestGenerate -gen
package strokes

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// Drawing is one handwritten digit: its strokes, each a path of points
// (x, y) in canvas pixels, from pointer down to pointer up.
type Drawing struct {
	Name    string         `json:"name"`
	Label   int            `json:"label"`
	Strokes [][][2]float64 `json:"strokes"`
	// Width is the pen's width in canvas pixels; 0 means Brush.
	Width float64 `json:"width,omitempty"`
}

// file is the layout of digits.json.
type file struct {
	Canvas   int       `json:"canvas"`
	Drawings []Drawing `json:"drawings"`
}

// Load reads a drawings file and returns the side of the square canvas its
// coordinates refer to and the drawings.
func Load(path string) (canvas int, drawings []Drawing, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return 0, nil, fmt.Errorf("strokes: %s: %w", path, err)
	}
	if f.Canvas <= 0 {
		return 0, nil, fmt.Errorf("strokes: %s: canvas size %d", path, f.Canvas)
	}
	for _, d := range f.Drawings {
		if d.Label < 0 || d.Label > 9 {
			return 0, nil, fmt.Errorf("strokes: %s: drawing %q has label %d", path, d.Name, d.Label)
		}
		if len(d.Strokes) == 0 {
			return 0, nil, fmt.Errorf("strokes: %s: drawing %q has no strokes", path, d.Name)
		}
		for _, s := range d.Strokes {
			if len(s) == 0 {
				return 0, nil, fmt.Errorf("strokes: %s: drawing %q has an empty stroke", path, d.Name)
			}
		}
	}
	return f.Canvas, f.Drawings, nil
}

// Render paints d on a size×size canvas whose pixel coordinates are those
// of the drawing (so size is normally the canvas size of the file): each
// stroke as a polyline of the given width with round caps and joins, a
// single point as a dot, anti-aliased by the distance of each pixel centre
// from the path. It returns the picture as canvas ImageData gives it: 4
// bytes per pixel (R, G, B, A), row-major, black ink on opaque white.
func Render(d Drawing, size int, width float64) []uint8 {
	ink := Coverage(d, size, width)
	rgba := make([]uint8, 4*size*size)
	for i, c := range ink {
		v := uint8(math.Round(255 * (1 - c)))
		rgba[4*i], rgba[4*i+1], rgba[4*i+2], rgba[4*i+3] = v, v, v, 255
	}
	return rgba
}

// Coverage returns the ink coverage in [0,1] of each pixel of d painted as
// Render does, row-major.
func Coverage(d Drawing, size int, width float64) []float64 {
	if size <= 0 {
		return nil
	}
	r := width / 2
	dist := make([]float64, size*size)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	seg := func(a, b [2]float64) {
		x0 := max(0, int(math.Floor(min(a[0], b[0])-r-1)))
		x1 := min(size-1, int(math.Ceil(max(a[0], b[0])+r+1)))
		y0 := max(0, int(math.Floor(min(a[1], b[1])-r-1)))
		y1 := min(size-1, int(math.Ceil(max(a[1], b[1])+r+1)))
		dx, dy := b[0]-a[0], b[1]-a[1]
		l2 := dx*dx + dy*dy
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				px, py := float64(x)+0.5, float64(y)+0.5
				t := 0.0
				if l2 > 0 {
					t = min(max(((px-a[0])*dx+(py-a[1])*dy)/l2, 0), 1)
				}
				ex, ey := px-a[0]-t*dx, py-a[1]-t*dy
				if dd := math.Sqrt(ex*ex + ey*ey); dd < dist[y*size+x] {
					dist[y*size+x] = dd
				}
			}
		}
	}
	for _, s := range d.Strokes {
		if len(s) == 1 {
			seg(s[0], s[0])
		}
		for i := 1; i < len(s); i++ {
			seg(s[i-1], s[i])
		}
	}
	for i, dd := range dist {
		dist[i] = min(max(r+0.5-dd, 0), 1)
	}
	return dist
}

package strokes

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var gen = flag.Bool("gen", false, "rewrite testdata/strokes/digits.json and contact.png")

var (
	jsonPath    = filepath.Join("..", "..", "testdata", "strokes", "digits.json")
	contactPath = filepath.Join("..", "..", "testdata", "strokes", "contact.png")
)

// TestGenerate checks that digits.json is what Generate makes, or with
// -gen rewrites it and the contact sheet.
func TestGenerate(t *testing.T) {
	ds := Generate()
	b, err := Marshal(Canvas, ds)
	if err != nil {
		t.Fatal(err)
	}
	if *gen {
		if err := os.MkdirAll(filepath.Dir(jsonPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(jsonPath, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var png bytes.Buffer
		if err := contactSheet(&png, ds); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(contactPath, png.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, b) {
		t.Errorf("%s is not what Generate makes; rewrite it with go test ./internal/strokes -run TestGenerate -gen", jsonPath)
	}
}

// contactSheet writes all drawings as a PNG: one row per digit, each
// drawing rendered at canvas size and shrunk to a 70×70 tile on a grey
// frame.
func contactSheet(w *bytes.Buffer, ds []Drawing) error {
	const tile, gap, scale = 70, 4, Canvas / 70
	var rows [10][]Drawing
	cols := 0
	for _, d := range ds {
		rows[d.Label] = append(rows[d.Label], d)
		cols = max(cols, len(rows[d.Label]))
	}
	img := image.NewGray(image.Rect(0, 0, gap+cols*(tile+gap), gap+10*(tile+gap)))
	for i := range img.Pix {
		img.Pix[i] = 150
	}
	for r, row := range rows {
		for c, d := range row {
			ink := Coverage(d, Canvas, Brush)
			x0, y0 := gap+c*(tile+gap), gap+r*(tile+gap)
			for y := range tile {
				for x := range tile {
					var s float64
					for dy := range scale {
						for dx := range scale {
							s += ink[(y*scale+dy)*Canvas+x*scale+dx]
						}
					}
					img.SetGray(x0+x, y0+y, color.Gray{uint8(math.Round(255 * (1 - s/(scale*scale))))})
				}
			}
		}
	}
	return png.Encode(w, img)
}

func TestLoad(t *testing.T) {
	canvas, ds, err := Load(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if canvas != Canvas {
		t.Errorf("canvas %d, want %d", canvas, Canvas)
	}
	if len(ds) < 40 {
		t.Errorf("%d drawings, want at least 40", len(ds))
	}
	var count [10]int
	names := map[string]bool{}
	for _, d := range ds {
		count[d.Label]++
		if names[d.Name] {
			t.Errorf("name %q twice", d.Name)
		}
		names[d.Name] = true
		lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
		for _, s := range d.Strokes {
			for i, p := range s {
				for a := range 2 {
					lo[a], hi[a] = min(lo[a], p[a]), max(hi[a], p[a])
				}
				if i > 0 {
					// Corners and stroke ends may come closer.
					if step := math.Hypot(p[0]-s[i-1][0], p[1]-s[i-1][1]); step > 9 {
						t.Errorf("%s: step of %.1f px", d.Name, step)
					}
				}
			}
		}
		// The brush must stay inside the canvas.
		if lo[0] < Brush/2 || lo[1] < Brush/2 || hi[0] > Canvas-Brush/2 || hi[1] > Canvas-Brush/2 {
			t.Errorf("%s: points span %v–%v, the brush leaves the canvas", d.Name, lo, hi)
		}
		if h := hi[1] - lo[1]; h < 70 || h > 245 {
			t.Errorf("%s: %.0f px tall", d.Name, h)
		}
	}
	for l, n := range count {
		if n < 4 {
			t.Errorf("%d drawings of %d, want at least 4", n, l)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"bad json":     `{"canvas": 280, "drawings": [`,
		"no canvas":    `{"drawings": []}`,
		"bad label":    `{"canvas": 280, "drawings": [{"name": "x", "label": 10, "strokes": [[[1, 2]]]}]}`,
		"no strokes":   `{"canvas": 280, "drawings": [{"name": "x", "label": 1, "strokes": []}]}`,
		"empty stroke": `{"canvas": 280, "drawings": [{"name": "x", "label": 1, "strokes": [[]]}]}`,
	} {
		p := filepath.Join(dir, "f.json")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Load(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestRender(t *testing.T) {
	const size = 40
	d := Drawing{Strokes: [][][2]float64{{{10, 20.5}, {30, 20.5}}, {{5, 5}}}}
	rgba := Render(d, size, 8)
	if len(rgba) != 4*size*size {
		t.Fatalf("%d bytes", len(rgba))
	}
	at := func(x, y int) uint8 {
		p := rgba[4*(y*size+x):]
		if p[0] != p[1] || p[1] != p[2] || p[3] != 255 {
			t.Fatalf("pixel (%d,%d) is %v, want opaque gray", x, y, p[:4])
		}
		return p[0]
	}
	for _, c := range []struct {
		x, y int
		want uint8
	}{
		{20, 19, 0},   // on the line
		{20, 17, 0},   // inside the width: centre 17.5 is 3 away
		{20, 25, 255}, // centre 25.5 is 5 away: outside
		{7, 19, 0},    // round cap: 2.5 left of the start
		{4, 4, 0},     // the dot
		{35, 35, 255}, // background
		{0, 39, 255},
	} {
		if got := at(c.x, c.y); got != c.want {
			t.Errorf("pixel (%d,%d) = %d, want %d", c.x, c.y, got, c.want)
		}
	}
	// The edge is anti-aliased: centre 24.5 is 4 away, half covered.
	if v := at(20, 24); v < 100 || v > 160 {
		t.Errorf("edge pixel = %d, want about 128", v)
	}
	// Square caps would ink (6, 17); round ones leave it.
	if v := at(6, 17); v != 255 {
		t.Errorf("corner beyond the cap = %d, want 255", v)
	}
}

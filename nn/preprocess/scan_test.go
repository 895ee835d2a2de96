package preprocess

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

// light describes a sheet of paper as a scan or a photo shows it, and the
// ink on it.
type light struct {
	name  string
	level float32 // mean luminance of the paper
	// gradient is the difference in light from one corner to the
	// opposite one, vignette how much darker the corners are than the
	// centre, mottle the deviation of a smooth random field (paper
	// texture, uneven light).
	gradient, vignette, mottle float32
	grain                      float32 // deviation of the pixel noise
	ink                        float32 // light the ink reflects, as a share of the paper's
}

// sheet returns a w×h picture of the paper lit as l says, quantised to 8
// bits as image files are, with ink covering coverage(x, y) of each pixel
// (nil for a blank sheet).
func (l light) sheet(w, h int, seed uint64, coverage func(x, y int) float32) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	// Mottle: random values on a coarse grid, interpolated.
	const cell = 24
	gw := w/cell + 2
	grid := make([]float32, gw*(h/cell+2))
	for i := range grid {
		grid[i] = float32(rng.NormFloat64())
	}
	g := make([]float32, w*h)
	for y := range h {
		for x := range w {
			fx, fy := float32(x)/cell, float32(y)/cell
			ix, iy := int(fx), int(fy)
			fx, fy = fx-float32(ix), fy-float32(iy)
			m := (1-fx)*(1-fy)*grid[iy*gw+ix] + fx*(1-fy)*grid[iy*gw+ix+1] +
				(1-fx)*fy*grid[(iy+1)*gw+ix] + fx*fy*grid[(iy+1)*gw+ix+1]
			// Position from the centre, -1 to 1 on each axis.
			u := 2*float32(x)/float32(max(w-1, 1)) - 1
			v := 2*float32(y)/float32(max(h-1, 1)) - 1
			lit := l.level + l.gradient*(u+v)/4 - l.vignette*(u*u+v*v)/2 + l.mottle*m
			if coverage != nil {
				lit *= 1 - (1-l.ink)*coverage(x, y)
			}
			lit += l.grain * float32(rng.NormFloat64())
			g[y*w+x] = float32(math.Round(float64(min(max(lit, 0), 1))*255)) / 255
		}
	}
	return g
}

// scan returns a w×h scan of MNIST image img on paper lit as l, the digit
// scaled k times (bilinear) with the 28×28 field's top-left corner at
// (ox, oy), and the box [x0,x1)×[y0,y1) of its ink in the scan.
func (l light) scan(img []float32, k float64, w, h, ox, oy int, seed uint64) (g []float32, box [4]int) {
	at := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= Size || y >= Size {
			return 0
		}
		return img[y*Size+x]
	}
	coverage := func(x, y int) float32 {
		sx, sy := (float64(x-ox)+0.5)/k-0.5, (float64(y-oy)+0.5)/k-0.5
		ix, iy := int(math.Floor(sx)), int(math.Floor(sy))
		fx, fy := float32(sx-float64(ix)), float32(sy-float64(iy))
		return (1-fx)*(1-fy)*at(ix, iy) + fx*(1-fy)*at(ix+1, iy) +
			(1-fx)*fy*at(ix, iy+1) + fx*fy*at(ix+1, iy+1)
	}
	x0, x1, y0, y1 := inkBounds(img)
	box = [4]int{
		max(0, ox+int(math.Round(float64(x0)*k))), min(w, ox+int(math.Round(float64(x1)*k))),
		max(0, oy+int(math.Round(float64(y0)*k))), min(h, oy+int(math.Round(float64(y1)*k))),
	}
	return l.sheet(w, h, seed, coverage), box
}

// cut returns the part [x0,x1)×[y0,y1) of the w-wide picture g.
func cut(g []float32, w int, box [4]int) ([]float32, int, int) {
	x0, x1, y0, y1 := box[0], box[1], box[2], box[3]
	out := make([]float32, 0, (x1-x0)*(y1-y0))
	for y := y0; y < y1; y++ {
		out = append(out, g[y*w+x0:y*w+x1]...)
	}
	return out, x1 - x0, y1 - y0
}

// scans are sheets with grey ink at low contrast, lit as scanners and
// phones light them.
var scans = []light{
	{name: "pencil, lamp on one side", level: 0.75, gradient: 0.2, vignette: 0.05, mottle: 0.01, grain: 0.02, ink: 0.7},
	{name: "dim photo, paper below mid-grey", level: 0.38, gradient: 0.1, vignette: 0.1, mottle: 0.005, grain: 0.02, ink: 0.6},
	{name: "faint scan", level: 0.92, gradient: 0.02, mottle: 0.005, grain: 0.01, ink: 0.84},
	{name: "phone photo, dark corners", level: 0.6, gradient: 0.1, vignette: 0.15, mottle: 0.01, grain: 0.03, ink: 0.7},
}

// TestLowContrastScans scans MNIST test digits as grey ink on unevenly lit
// paper, five times their size in a 300×220 picture, and reads both the
// whole scan and the scan cropped to the digit's ink: each must be
// answered, and read about as well as the model reads the original
// digits.
func TestLowContrastScans(t *testing.T) {
	m := digitsModel(t)
	s := loadTest(t)
	const n, w, h, k = 100, 300, 220, 5
	orig := 0
	for i := range n {
		p, err := m.Predict(s.Image(i), Size, Size)
		if err != nil {
			t.Fatal(err)
		}
		if nn.Argmax(p) == int(s.Labels[i]) {
			orig++
		}
	}
	for li, l := range scans {
		var c tally
		for i := range n {
			ox, oy := 10+(i*37)%(w-Size*k-10), (i*23)%(h-Size*k)
			g, box := l.scan(s.Image(i), k, w, h, ox, oy, uint64(100*li+i))
			whole, err := reads(t, m, g, w, h, s.Labels[i])
			if err != nil {
				t.Errorf("%s, test digit %d: %v", l.name, i, err)
			}
			cg, cw, ch := cut(g, w, box)
			crop, err := reads(t, m, cg, cw, ch, s.Labels[i])
			if err != nil {
				t.Errorf("%s, test digit %d cropped to %d×%d: %v", l.name, i, cw, ch, err)
			}
			c.add(whole, crop)
		}
		t.Logf("%-32s %v (the originals %d%%)", l.name+":", c, 100*orig/n)
		if lo := orig - 3*n/100; c.whole < lo || c.crop < lo {
			t.Errorf("%s: read %d whole and %d cropped of %d; the originals %d", l.name, c.whole, c.crop, n, orig)
		}
	}
}

// TestBlankPhotos checks that blank paper, however it is lit within
// reason, and blank canvases say that nothing is drawn, for Digit and
// Item alike.
func TestBlankPhotos(t *testing.T) {
	sheets := []light{
		{name: "white", level: 1},
		{name: "mid-grey", level: 0.5},
		{name: "paper, noise", level: 0.8, grain: 0.02},
		{name: "dim paper, strong noise", level: 0.4, grain: 0.08},
		{name: "gradient", level: 0.7, gradient: 0.3, grain: 0.01},
		{name: "gradient and vignette", level: 0.7, gradient: 0.15, vignette: 0.2, grain: 0.02},
		{name: "mottled paper", level: 0.75, gradient: 0.1, mottle: 0.02, grain: 0.02},
		{name: "dim phone photo", level: 0.4, gradient: 0.1, vignette: 0.1, mottle: 0.01, grain: 0.03},
	}
	for _, l := range sheets {
		for si, size := range [][2]int{{64, 64}, {120, 90}, {300, 200}, {640, 480}} {
			w, h := size[0], size[1]
			for seed := range 3 {
				g := l.sheet(w, h, uint64(10*si+seed), nil)
				for name, f := range map[string]func([]float32, int, int) ([]float32, error){"Digit": Digit, "Item": Item} {
					if _, err := f(g, w, h); !errors.Is(err, ErrEmpty) {
						t.Errorf("%s: %s of a %d×%d sheet (seed %d): %v, want ErrEmpty", l.name, name, w, h, seed, err)
					}
				}
			}
		}
	}
	for _, c := range []struct {
		name   string
		colour [4]uint8 // R, G, B, A
	}{
		{"white canvas", [4]uint8{255, 255, 255, 255}},
		{"black canvas", [4]uint8{0, 0, 0, 255}},
		{"transparent canvas", [4]uint8{}},
	} {
		const side = 280
		rgba := make([]uint8, 4*side*side)
		for i := range rgba {
			rgba[i] = c.colour[i%4]
		}
		if _, err := Digit(GrayRGBA(rgba, side, side), side, side); !errors.Is(err, ErrEmpty) {
			t.Errorf("%s: %v, want ErrEmpty", c.name, err)
		}
	}
}

// TestDimPhoto photographs digits in dim light: the paper is darker than
// mid-grey, and the ink is still dark on light (a rule that judged by the
// border's luminance alone took it for light on dark).
func TestDimPhoto(t *testing.T) {
	s := loadTest(t)
	l := light{level: 0.3, gradient: 0.05, grain: 0.01, ink: 0.5}
	const n = 20
	var sum float64
	for i := range n {
		g, _ := l.scan(s.Image(i), 5, 200, 200, 30, 30, uint64(i))
		out, err := Digit(g, 200, 200)
		if err != nil {
			t.Fatal(err)
		}
		c := corr(out, s.Image(i))
		sum += c
		if c < 0.75 {
			t.Errorf("test digit %d: correlation %.3f with the original", i, c)
		}
	}
	if sum/n < 0.9 {
		t.Errorf("mean correlation %.3f with the originals", sum/n)
	}
}

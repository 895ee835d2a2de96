package preprocess

import (
	"math"
	"testing"
)

// TestSurface fits surfaces to a lit sheet with ink on it: the plane and
// the quadratic follow the light and not the ink, row agrees with of, and
// points on one line give a flat fit instead of a failure.
func TestSurface(t *testing.T) {
	const w, h = 60, 40
	s := newSurface(w, h)
	light := func(x, y float64) float32 {
		u, v := (x-s.cx)/s.half, (y-s.cy)/s.half
		return float32(0.6 + 0.1*u - 0.05*v - 0.08*(u*u+v*v))
	}
	v := make([]float32, w*h)
	terms := make([][nTerms]float64, w*h)
	for i := range v {
		x, y := float64(i%w), float64(i/w)
		v[i] = light(x, y)
		if i%w > 20 && i%w < 26 { // a dark stroke, a tenth of the points
			v[i] -= 0.3
		}
		terms[i] = s.terms(x, y)
	}
	all := func(int) bool { return true }
	worst := func(s surface) float64 {
		var d float64
		for i := range v {
			d = max(d, math.Abs(float64(s.of(&terms[i])-light(float64(i%w), float64(i/w)))))
		}
		return d
	}
	flat, curved := s, s
	flat.fit(v, terms, all, false)
	curved.fit(v, terms, all, true)
	if c := flat.c; c[3] != 0 || c[4] != 0 || c[5] != 0 {
		t.Errorf("plane has curvature %v", c[3:])
	}
	// The damping costs the quadratic a little of its curvature.
	if d := worst(curved); d > 0.01 {
		t.Errorf("quadratic off the light by up to %.4f", d)
	}
	if d := worst(flat); d < 0.03 {
		t.Errorf("plane within %.4f of curved light", d)
	}
	row := make([]float32, w)
	for y := range h {
		curved.row(row, float64(y))
		for x := range w {
			if d := math.Abs(float64(row[x] - curved.of(&terms[y*w+x]))); d > 1e-6 {
				t.Fatalf("row and of differ by %g at (%d, %d)", d, x, y)
			}
		}
	}
	// Points all on one row determine neither a plane nor a quadratic:
	// the fit is their mean level.
	line := s
	use := func(i int) bool { return i/w == 5 && (i%w <= 20 || i%w >= 26) }
	line.fit(v, terms, use, true)
	var sum, n float64
	for i := range v {
		if use(i) {
			sum += float64(v[i])
			n++
		}
	}
	if c := line.c; math.Abs(c[0]-sum/n) > 1e-6 || c[1] != 0 || c[5] != 0 {
		t.Errorf("fit to one row: %v, want the flat level %v", c, sum/n)
	}
}

// TestSolve checks solve on a known system and a singular one.
func TestSolve(t *testing.T) {
	var a [nTerms][nTerms]float64
	var b [nTerms]float64
	want := [nTerms]float64{1, -2, 3, 0.5, 0, -1}
	for r := range nTerms {
		for c := range nTerms {
			a[r][c] = 1 / float64(r+c+1) // Hilbert: ill-conditioned but regular
			if r == c {
				a[r][c] += 1
			}
		}
	}
	for r := range nTerms {
		for c := range nTerms {
			b[r] += a[r][c] * want[c]
		}
	}
	got, ok := solve(a, b, nTerms)
	if !ok {
		t.Fatal("regular system called singular")
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Errorf("x[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	a[2] = a[1]
	b[2] = b[1]
	if _, ok := solve(a, b, nTerms); ok {
		t.Error("singular system solved")
	}
	if _, ok := solve(a, b, 2); !ok {
		t.Error("its regular 2×2 part called singular")
	}
}

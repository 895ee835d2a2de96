package strokes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
)

// Canvas is the side of the drawing canvas, and Brush the width of its pen,
// in canvas pixels.
const (
	Canvas = 280
	Brush  = 18
)

// margin is the least distance, in canvas pixels, of any point of a
// generated drawing from the canvas edge: the brush radius and a little.
const margin = Brush/2 + 4

// pt is a point; in a shape, x and y are in a box of height 1 (y grows
// downwards, as on the canvas), x mostly in [0, 0.6].
type pt = [2]float64

// A shape is a digit in the unit box: its strokes, each a list of pieces
// joined at corners. A piece is a smooth curve through its points; the last
// point of a piece is the first of the next.
type shape [][][]pt

// form is one way of writing a digit.
type form struct {
	label int
	name  string
	shape func() shape
}

// curve is a centripetal Catmull–Rom spline through ps, sampled densely.
func curve(ps ...pt) []pt {
	if len(ps) < 3 {
		return ps
	}
	ext := make([]pt, 0, len(ps)+2)
	ext = append(ext, pt{2*ps[0][0] - ps[1][0], 2*ps[0][1] - ps[1][1]})
	ext = append(ext, ps...)
	n := len(ps)
	ext = append(ext, pt{2*ps[n-1][0] - ps[n-2][0], 2*ps[n-1][1] - ps[n-2][1]})
	knot := func(a, b pt) float64 {
		return math.Max(math.Sqrt(math.Hypot(b[0]-a[0], b[1]-a[1])), 1e-6)
	}
	lerp := func(a, b pt, ta, tb, t float64) pt {
		u := (t - ta) / (tb - ta)
		return pt{a[0] + u*(b[0]-a[0]), a[1] + u*(b[1]-a[1])}
	}
	out := []pt{ps[0]}
	for i := 1; i+2 < len(ext); i++ {
		p0, p1, p2, p3 := ext[i-1], ext[i], ext[i+1], ext[i+2]
		t0 := 0.0
		t1 := t0 + knot(p0, p1)
		t2 := t1 + knot(p1, p2)
		t3 := t2 + knot(p2, p3)
		const steps = 24
		for k := 1; k <= steps; k++ {
			t := t1 + (t2-t1)*float64(k)/steps
			a1 := lerp(p0, p1, t0, t1, t)
			a2 := lerp(p1, p2, t1, t2, t)
			a3 := lerp(p2, p3, t2, t3, t)
			b1 := lerp(a1, a2, t0, t2, t)
			b2 := lerp(a2, a3, t1, t3, t)
			out = append(out, lerp(b1, b2, t1, t2, t))
		}
	}
	return out
}

// arc is the elliptic arc of centre (cx, cy) and radii rx, ry from angle
// a0 to a1 in degrees (0 is to the right, 90 down; going to smaller angles
// is anticlockwise on the screen).
func arc(cx, cy, rx, ry, a0, a1 float64) []pt {
	n := int(math.Ceil(math.Abs(a1-a0) / 5))
	out := make([]pt, n+1)
	for i := range out {
		a := (a0 + (a1-a0)*float64(i)/float64(n)) * math.Pi / 180
		out[i] = pt{cx + rx*math.Cos(a), cy + ry*math.Sin(a)}
	}
	return out
}

// onArc is the point of the arc at angle a in degrees.
func onArc(cx, cy, rx, ry, a float64) pt {
	a *= math.Pi / 180
	return pt{cx + rx*math.Cos(a), cy + ry*math.Sin(a)}
}

// line is the straight piece from a to b.
func line(a, b pt) []pt { return []pt{a, b} }

// stroke joins pieces into one stroke.
func stroke(pieces ...[]pt) [][]pt { return pieces }

// forms are the ways of writing each digit.
var forms = []form{
	{0, "oval", func() shape {
		return shape{stroke(arc(0.3, 0.5, 0.28, 0.5, -90, -90-372))}
	}},
	{0, "round", func() shape {
		return shape{stroke(arc(0.4, 0.5, 0.4, 0.5, -70, -70+368))}
	}},
	{0, "narrow", func() shape {
		return shape{stroke(arc(0.2, 0.5, 0.19, 0.5, -100, -100-365))}
	}},
	{0, "pointed", func() shape {
		return shape{stroke(curve(pt{0.36, 0.03}, pt{0.14, 0.18}, pt{0.03, 0.52}, pt{0.14, 0.9},
			pt{0.34, 0.99}, pt{0.53, 0.82}, pt{0.57, 0.45}, pt{0.47, 0.1}, pt{0.3, 0.0}, pt{0.18, 0.06}))}
	}},

	{1, "plain", func() shape {
		return shape{stroke(curve(pt{0.32, 0}, pt{0.3, 0.5}, pt{0.29, 1}))}
	}},
	{1, "flag", func() shape {
		return shape{stroke(line(pt{0.08, 0.24}, pt{0.32, 0}), line(pt{0.32, 0}, pt{0.32, 1}))}
	}},
	{1, "flag-base", func() shape {
		return shape{
			stroke(line(pt{0.1, 0.2}, pt{0.32, 0}), line(pt{0.32, 0}, pt{0.32, 1})),
			stroke(line(pt{0.06, 1}, pt{0.58, 1})),
		}
	}},

	{2, "plain", func() shape {
		return shape{stroke(
			curve(pt{0.04, 0.24}, pt{0.18, 0.05}, pt{0.38, 0.01}, pt{0.54, 0.14}, pt{0.52, 0.38},
				pt{0.32, 0.64}, pt{0.03, 0.98}),
			line(pt{0.03, 0.98}, pt{0.6, 0.97}))}
	}},
	{2, "loop", func() shape {
		return shape{stroke(curve(pt{0.05, 0.22}, pt{0.2, 0.03}, pt{0.42, 0.02}, pt{0.55, 0.18},
			pt{0.5, 0.4}, pt{0.36, 0.57}, pt{0.24, 0.72}, pt{0.13, 0.86}, pt{0.02, 0.84}, pt{0.01, 0.7},
			pt{0.12, 0.63}, pt{0.22, 0.74}, pt{0.25, 0.9}, pt{0.36, 0.99}, pt{0.5, 0.97}, pt{0.63, 0.98}))}
	}},
	{2, "curly", func() shape {
		return shape{stroke(curve(pt{0.03, 0.3}, pt{0.1, 0.08}, pt{0.3, 0.0}, pt{0.5, 0.08}, pt{0.55, 0.3},
			pt{0.4, 0.55}, pt{0.15, 0.8}, pt{0.04, 0.98}, pt{0.25, 0.93}, pt{0.45, 0.95}, pt{0.62, 0.99}))}
	}},

	{3, "round", func() shape {
		return shape{stroke(
			curve(pt{0.04, 0.14}, pt{0.25, 0.0}, pt{0.48, 0.06}, pt{0.5, 0.28}, pt{0.22, 0.47}),
			curve(pt{0.22, 0.47}, pt{0.46, 0.54}, pt{0.58, 0.74}, pt{0.45, 0.95}, pt{0.22, 0.99}, pt{0.02, 0.88}))}
	}},
	{3, "flat-top", func() shape {
		return shape{stroke(
			line(pt{0.05, 0.02}, pt{0.55, 0.02}),
			line(pt{0.55, 0.02}, pt{0.22, 0.42}),
			curve(pt{0.22, 0.42}, pt{0.46, 0.47}, pt{0.6, 0.7}, pt{0.47, 0.93}, pt{0.25, 0.99}, pt{0.03, 0.88}))}
	}},
	{3, "big-belly", func() shape {
		return shape{stroke(
			curve(pt{0.08, 0.1}, pt{0.26, 0.0}, pt{0.44, 0.06}, pt{0.44, 0.22}, pt{0.24, 0.36}),
			curve(pt{0.24, 0.36}, pt{0.5, 0.44}, pt{0.62, 0.68}, pt{0.5, 0.92}, pt{0.26, 1.0}, pt{0.02, 0.9}))}
	}},

	{4, "closed", func() shape {
		return shape{
			stroke(line(pt{0.42, 0}, pt{0.02, 0.68}), line(pt{0.02, 0.68}, pt{0.62, 0.68})),
			stroke(line(pt{0.44, 0.0}, pt{0.44, 1})),
		}
	}},
	{4, "open", func() shape {
		return shape{
			stroke(line(pt{0.08, 0.0}, pt{0.04, 0.6}), line(pt{0.04, 0.6}, pt{0.62, 0.58})),
			stroke(line(pt{0.47, 0.1}, pt{0.47, 1})),
		}
	}},
	{4, "open-slanted", func() shape {
		return shape{
			stroke(line(pt{0.14, 0.0}, pt{0.02, 0.58}), line(pt{0.02, 0.58}, pt{0.62, 0.56})),
			stroke(line(pt{0.5, 0.18}, pt{0.44, 1})),
		}
	}},

	{5, "two-stroke", func() shape {
		return shape{
			stroke(line(pt{0.1, 0.01}, pt{0.06, 0.46}),
				curve(pt{0.06, 0.46}, pt{0.26, 0.37}, pt{0.48, 0.44}, pt{0.58, 0.67}, pt{0.48, 0.9},
					pt{0.27, 0.99}, pt{0.03, 0.9})),
			stroke(line(pt{0.1, 0.01}, pt{0.56, 0.0})),
		}
	}},
	{5, "one-stroke", func() shape {
		return shape{stroke(
			line(pt{0.56, 0.0}, pt{0.12, 0.01}),
			line(pt{0.12, 0.01}, pt{0.08, 0.44}),
			curve(pt{0.08, 0.44}, pt{0.3, 0.37}, pt{0.5, 0.46}, pt{0.58, 0.68}, pt{0.47, 0.91},
				pt{0.26, 0.99}, pt{0.03, 0.89}))}
	}},
	{5, "bar-first", func() shape {
		return shape{
			stroke(line(pt{0.12, 0.02}, pt{0.6, 0.0})),
			stroke(line(pt{0.13, 0.02}, pt{0.08, 0.5}),
				curve(pt{0.08, 0.5}, pt{0.3, 0.42}, pt{0.52, 0.5}, pt{0.58, 0.72}, pt{0.44, 0.94},
					pt{0.2, 0.98}, pt{0.02, 0.86})),
		}
	}},

	{6, "loop", func() shape {
		return shape{stroke(curve(pt{0.5, 0.0}, pt{0.3, 0.12}, pt{0.12, 0.35}, pt{0.04, 0.63},
			pt{0.12, 0.9}, pt{0.3, 1.0}, pt{0.5, 0.91}, pt{0.56, 0.72}, pt{0.44, 0.56}, pt{0.24, 0.55},
			pt{0.08, 0.68}))}
	}},
	{6, "straight", func() shape {
		return shape{stroke(curve(pt{0.48, 0.0}, pt{0.28, 0.26}, pt{0.12, 0.55}, pt{0.1, 0.8},
			pt{0.24, 0.98}, pt{0.46, 0.95}, pt{0.56, 0.76}, pt{0.44, 0.6}, pt{0.26, 0.6}, pt{0.12, 0.72}))}
	}},

	{7, "plain", func() shape {
		return shape{stroke(line(pt{0.02, 0.02}, pt{0.6, 0.02}), line(pt{0.6, 0.02}, pt{0.22, 1}))}
	}},
	{7, "bar", func() shape {
		return shape{
			stroke(line(pt{0.02, 0.02}, pt{0.6, 0.02}), line(pt{0.6, 0.02}, pt{0.24, 1})),
			stroke(line(pt{0.18, 0.52}, pt{0.58, 0.5})),
		}
	}},
	{7, "curved", func() shape {
		return shape{stroke(line(pt{0.02, 0.04}, pt{0.6, 0.02}),
			curve(pt{0.6, 0.02}, pt{0.46, 0.32}, pt{0.34, 0.66}, pt{0.3, 1.0}))}
	}},
	{7, "serif", func() shape {
		return shape{stroke(line(pt{0.03, 0.16}, pt{0.03, 0.02}), line(pt{0.03, 0.02}, pt{0.6, 0.02}),
			line(pt{0.6, 0.02}, pt{0.26, 1}))}
	}},

	{8, "one-stroke", func() shape {
		return shape{stroke(curve(pt{0.48, 0.1}, pt{0.3, 0.0}, pt{0.1, 0.08}, pt{0.1, 0.28},
			pt{0.3, 0.46}, pt{0.52, 0.64}, pt{0.52, 0.88}, pt{0.3, 1.0}, pt{0.08, 0.88}, pt{0.08, 0.64},
			pt{0.3, 0.46}, pt{0.48, 0.3}, pt{0.48, 0.12}, pt{0.38, 0.03}))}
	}},
	{8, "two-loops", func() shape {
		return shape{
			stroke(arc(0.3, 0.24, 0.2, 0.24, -60, -60-365)),
			stroke(arc(0.3, 0.73, 0.27, 0.27, -90, -90+365)),
		}
	}},
	{8, "s-first", func() shape {
		return shape{stroke(curve(pt{0.5, 0.06}, pt{0.3, 0.0}, pt{0.08, 0.1}, pt{0.14, 0.32},
			pt{0.46, 0.58}, pt{0.54, 0.84}, pt{0.34, 1.0}, pt{0.1, 0.92}, pt{0.1, 0.7}, pt{0.44, 0.34},
			pt{0.5, 0.14}, pt{0.42, 0.04}))}
	}},

	{9, "straight-tail", func() shape {
		s := onArc(0.3, 0.25, 0.26, 0.25, -15)
		return shape{stroke(arc(0.3, 0.25, 0.26, 0.25, -15, -15-360),
			curve(s, pt{0.55, 0.5}, pt{0.53, 1.0}))}
	}},
	{9, "curved-tail", func() shape {
		s := onArc(0.3, 0.25, 0.26, 0.25, -10)
		return shape{stroke(arc(0.3, 0.25, 0.26, 0.25, -10, -10-360),
			curve(s, pt{0.55, 0.55}, pt{0.46, 0.86}, pt{0.26, 0.99}, pt{0.06, 0.92}))}
	}},
	{9, "two-stroke", func() shape {
		return shape{
			stroke(arc(0.28, 0.25, 0.26, 0.25, 0, -365)),
			stroke(line(pt{0.56, 0.04}, pt{0.5, 1.0})),
		}
	}},
}

// spec places one drawing of a form.
type spec struct {
	label  int
	form   string
	height float64 // in canvas pixels
	pos    string  // where on the canvas: centre, left, top-right, ...
	slant  float64 // horizontal shift of the top relative to the bottom, in heights
}

// specs are the drawings Generate makes.
var specs = []spec{
	{0, "oval", 200, "centre", 0.05},
	{0, "round", 110, "top-left", 0},
	{0, "narrow", 240, "right", 0.15},
	{0, "pointed", 150, "bottom-right", -0.05},
	{0, "oval", 85, "bottom-left", 0.2},

	{1, "plain", 210, "centre", 0.05},
	{1, "flag", 130, "left", 0.1},
	{1, "flag-base", 170, "top-right", 0},
	{1, "plain", 110, "bottom", 0.2},
	{1, "flag", 240, "centre", -0.05},

	{2, "plain", 190, "centre", 0},
	{2, "loop", 180, "top", 0.1},
	{2, "curly", 100, "bottom-right", 0.05},
	{2, "plain", 85, "left", 0.15},
	{2, "loop", 240, "top-left", -0.05},

	{3, "round", 200, "centre", 0.05},
	{3, "flat-top", 140, "right", 0.1},
	{3, "big-belly", 95, "top-left", 0},
	{3, "round", 240, "centre", -0.1},
	{3, "flat-top", 80, "bottom-right", 0.2},

	{4, "closed", 190, "centre", 0},
	{4, "open", 150, "bottom-left", 0.1},
	{4, "open-slanted", 220, "centre", 0.05},
	{4, "closed", 90, "top-right", 0.15},
	{4, "open", 110, "top", -0.05},

	{5, "two-stroke", 200, "centre", 0.05},
	{5, "one-stroke", 120, "bottom", 0.15},
	{5, "bar-first", 240, "right", 0},
	{5, "two-stroke", 85, "top-right", -0.05},
	{5, "one-stroke", 160, "left", 0.1},

	{6, "loop", 210, "centre", 0.05},
	{6, "straight", 130, "top-right", 0.1},
	{6, "loop", 90, "bottom-left", -0.05},
	{6, "straight", 240, "left", 0.2},
	{6, "loop", 150, "bottom-right", 0.15},

	{7, "plain", 200, "centre", 0.05},
	{7, "bar", 160, "right", 0},
	{7, "curved", 110, "top-left", 0.1},
	{7, "serif", 240, "centre", 0.15},
	{7, "bar", 85, "bottom", -0.05},
	{7, "plain", 130, "bottom-left", 0.2},

	{8, "one-stroke", 200, "centre", 0.05},
	{8, "two-loops", 140, "top", 0},
	{8, "s-first", 240, "right", 0.15},
	{8, "one-stroke", 90, "top-right", -0.05},
	{8, "two-loops", 115, "bottom-left", 0.2},

	{9, "straight-tail", 210, "centre", 0.1},
	{9, "curved-tail", 150, "left", 0.05},
	{9, "two-stroke", 100, "bottom-right", 0},
	{9, "straight-tail", 232, "centre", -0.05},
	{9, "curved-tail", 85, "top-right", 0.2},
}

var words = [10]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// positions are the spots on the canvas, as fractions of the free room
// along x and y.
var positions = map[string][2]float64{
	"centre":       {0.5, 0.5},
	"left":         {0.04, 0.5},
	"right":        {0.96, 0.5},
	"top":          {0.5, 0.04},
	"bottom":       {0.5, 0.96},
	"top-left":     {0.04, 0.04},
	"top-right":    {0.96, 0.04},
	"bottom-left":  {0.04, 0.96},
	"bottom-right": {0.96, 0.96},
}

// Generate makes the drawings of digits.json, the same every time.
func Generate() []Drawing {
	rng := rand.New(rand.NewPCG(2024, 280))
	var out []Drawing
	seen := map[string]int{}
	for _, sp := range specs {
		var f *form
		for i := range forms {
			if forms[i].label == sp.label && forms[i].name == sp.form {
				f = &forms[i]
			}
		}
		if f == nil {
			panic(fmt.Sprintf("strokes: no form %d %q", sp.label, sp.form))
		}
		size := "large"
		switch {
		case sp.height < 120:
			size = "small"
		case sp.height < 180:
			size = "medium"
		}
		name := fmt.Sprintf("%s-%s-%s-%s", words[sp.label], sp.form, size, sp.pos)
		seen[name]++
		if n := seen[name]; n > 1 {
			name += fmt.Sprint("-", n)
		}
		out = append(out, Drawing{Name: name, Label: sp.label, Strokes: place(f.shape(), sp, rng)})
	}
	return out
}

// place turns a shape into canvas strokes: distorted a little, slanted,
// turned, scaled to the height, moved to its position, and resampled with
// the spacing of pointer-move events.
func place(sh shape, sp spec, rng *rand.Rand) [][][2]float64 {
	// A smooth distortion of the unit box, as a hand never draws the
	// same shape twice.
	amp := 0.012 + 0.012*rng.Float64()
	f1, f2 := 0.6+0.8*rng.Float64(), 0.6+0.8*rng.Float64()
	p1, p2 := rng.Float64(), rng.Float64()
	squeeze := 0.85 + 0.3*rng.Float64()
	turn := (rng.Float64() - 0.5) * 8 * math.Pi / 180
	sin, cos := math.Sincos(turn)
	warp := func(p pt) pt {
		x := p[0] + amp*math.Sin(2*math.Pi*(f1*p[1]+p1))
		y := p[1] + amp*math.Sin(2*math.Pi*(f2*p[0]+p2))
		x *= squeeze
		x += sp.slant * (0.5 - y)
		x, y = x*cos-y*sin, x*sin+y*cos
		return pt{x * sp.height, y * sp.height}
	}
	var strokes [][][]pt
	lo, hi := pt{math.Inf(1), math.Inf(1)}, pt{math.Inf(-1), math.Inf(-1)}
	for _, s := range sh {
		var ps [][]pt
		for _, piece := range s {
			var q []pt
			for _, p := range piece {
				w := warp(p)
				q = append(q, w)
				lo = pt{min(lo[0], w[0]), min(lo[1], w[1])}
				hi = pt{max(hi[0], w[0]), max(hi[1], w[1])}
			}
			ps = append(ps, q)
		}
		strokes = append(strokes, ps)
	}
	// Fit in the canvas and move to the position, a little off the exact
	// spot.
	room := Canvas - 2*margin - 2.0
	k := math.Min(1, room/math.Max(hi[0]-lo[0], hi[1]-lo[1]))
	fp := positions[sp.pos]
	var off pt
	for a := range 2 {
		free := room - k*(hi[a]-lo[a])
		f := min(max(fp[a]+(rng.Float64()-0.5)*0.08, 0), 1)
		off[a] = margin + 1 + f*free - k*lo[a]
	}
	var out [][][2]float64
	for _, s := range strokes {
		var path []pt
		for j, piece := range s {
			for i := range piece {
				piece[i] = pt{k*piece[i][0] + off[0], k*piece[i][1] + off[1]}
			}
			r := resample(piece, rng)
			if j > 0 {
				r = r[1:]
			}
			path = append(path, r...)
		}
		for i, p := range path {
			// A little hand tremor, and coordinates to 0.1 px.
			x := p[0] + (rng.Float64()-0.5)*0.6
			y := p[1] + (rng.Float64()-0.5)*0.6
			x = min(max(x, margin-1), Canvas-margin+1)
			y = min(max(y, margin-1), Canvas-margin+1)
			path[i] = pt{math.Round(x*10) / 10, math.Round(y*10) / 10}
		}
		out = append(out, path)
	}
	return out
}

// resample returns points along the polyline ps, about 4–8 px apart, with
// both ends kept.
func resample(ps []pt, rng *rand.Rand) []pt {
	out := []pt{ps[0]}
	next := 4 + 4*rng.Float64()
	var walked float64
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		for walked+l >= next {
			t := (next - walked) / l
			p := pt{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
			out = append(out, p)
			a = p
			l -= next - walked
			walked = 0
			next = 4 + 4*rng.Float64()
		}
		walked += l
	}
	last := ps[len(ps)-1]
	if walked < 0.5 && len(out) > 1 {
		out[len(out)-1] = last
	} else {
		out = append(out, last)
	}
	return out
}

// Marshal encodes drawings as a digits.json file for a canvas of the given
// size, one stroke per line.
func Marshal(canvas int, drawings []Drawing) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"canvas\": %d, \"drawings\": [\n", canvas)
	for i, d := range drawings {
		name, err := json.Marshal(d.Name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "{\"name\": %s, \"label\": %d, \"strokes\": [\n", name, d.Label)
		for j, s := range d.Strokes {
			js, err := json.Marshal(s)
			if err != nil {
				return nil, err
			}
			b.WriteString("  ")
			b.Write(js)
			if j < len(d.Strokes)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("]}")
		if i < len(drawings)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

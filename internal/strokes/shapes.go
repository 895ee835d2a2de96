package strokes

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ShapeClasses are the classes Shapes draws, in label order: the first five
// are the hand-drawn-shapes set of the bar.
var ShapeClasses = []string{"circle", "square", "triangle", "star", "cross", "heart"}

// LetterClasses are the capital letters Letters draws, in label order.
var LetterClasses = []string{"A", "B", "C", "D", "E", "H", "K", "L", "M", "T"}

// outline draws one class in the unit box (x and y in [0, 1], y down) as a
// hand would: its strokes, each a dense polyline, varied by rng (where a
// stroke starts, which way it goes, how well a closed shape closes).
type outline func(rng *rand.Rand) [][]pt

// jitter returns p moved by up to ±a in each direction.
func jitter(p pt, a float64, rng *rand.Rand) pt {
	return pt{p[0] + a*(2*rng.Float64()-1), p[1] + a*(2*rng.Float64()-1)}
}

// polyline joins the corners ps with straight pieces, each corner moved a
// little, and closes it when closed, overshooting or stopping short of the
// start by a little as a quick hand does.
func polyline(ps []pt, closed bool, rng *rand.Rand) []pt {
	var out []pt
	for _, p := range ps {
		out = append(out, jitter(p, 0.04, rng))
	}
	if closed {
		first, second := out[0], out[1]
		t := -0.08 + 0.18*rng.Float64() // <0 stops short of the start, >0 goes past it
		last := out[len(out)-1]
		if t < 0 {
			out = append(out, pt{first[0] + t*(first[0]-last[0]), first[1] + t*(first[1]-last[1])})
		} else {
			out = append(out, first, pt{first[0] + t*(second[0]-first[0]), first[1] + t*(second[1]-first[1])})
		}
	}
	return out
}

// rotated returns the corners ps starting at corner k, reversed when rev:
// people start a closed shape at any corner and go either way.
func rotated(ps []pt, k int, rev bool) []pt {
	out := make([]pt, len(ps))
	for i := range ps {
		j := (k + i) % len(ps)
		if rev {
			j = (k - i + len(ps)) % len(ps)
		}
		out[i] = ps[j]
	}
	return out
}

var shapeOutlines = []outline{
	func(rng *rand.Rand) [][]pt { // circle
		a0 := 360 * rng.Float64()
		turn := 360 + (-15 + 40*rng.Float64())
		if rng.IntN(2) == 0 {
			turn = -turn
		}
		return [][]pt{arc(0.5, 0.5, 0.5, 0.5, a0, a0+turn)}
	},
	func(rng *rand.Rand) [][]pt { // square
		c := []pt{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
		if rng.IntN(4) == 0 { // two strokes: ┌ then ┘
			return [][]pt{polyline([]pt{c[3], c[0], c[1]}, false, rng), polyline([]pt{c[1], c[2], c[3]}, false, rng)}
		}
		return [][]pt{polyline(rotated(c, rng.IntN(4), rng.IntN(2) == 0), true, rng)}
	},
	func(rng *rand.Rand) [][]pt { // triangle, apex up
		c := []pt{{0.5, 0}, {1, 0.9}, {0, 0.9}}
		return [][]pt{polyline(rotated(c, rng.IntN(3), rng.IntN(2) == 0), true, rng)}
	},
	func(rng *rand.Rand) [][]pt { // five-pointed star in one stroke
		var c []pt
		for i := range 5 {
			a := (-90 + 144*float64(i)) * math.Pi / 180
			c = append(c, pt{0.5 + 0.5*math.Cos(a), 0.52 + 0.5*math.Sin(a)})
		}
		return [][]pt{polyline(rotated(c, rng.IntN(5), rng.IntN(2) == 0), true, rng)}
	},
	func(rng *rand.Rand) [][]pt { // cross: a plus sign in two strokes
		h := polyline([]pt{{0, 0.5}, {1, 0.5}}, false, rng)
		v := polyline([]pt{{0.5, 0}, {0.5, 1}}, false, rng)
		if rng.IntN(2) == 0 {
			return [][]pt{v, h}
		}
		return [][]pt{h, v}
	},
	func(rng *rand.Rand) [][]pt { // heart in one stroke from the dip
		dip, tip := jitter(pt{0.5, 0.28}, 0.03, rng), jitter(pt{0.5, 1}, 0.03, rng)
		left := curve(dip, pt{0.32, 0.02}, pt{0.04, 0.12}, pt{0.06, 0.5}, tip)
		right := curve(tip, pt{0.94, 0.5}, pt{0.96, 0.12}, pt{0.68, 0.02}, dip)
		return [][]pt{append(left, right[1:]...)}
	},
}

var letterOutlines = []outline{
	func(rng *rand.Rand) [][]pt { // A
		return [][]pt{polyline([]pt{{0, 1}, {0.4, 0}, {0.8, 1}}, false, rng), polyline([]pt{{0.18, 0.6}, {0.62, 0.6}}, false, rng)}
	},
	func(rng *rand.Rand) [][]pt { // B
		top := curve(pt{0, 0}, pt{0.45, 0.03}, pt{0.5, 0.25}, pt{0, 0.48})
		bottom := curve(pt{0, 0.48}, pt{0.6, 0.55}, pt{0.6, 0.92}, pt{0, 1})
		return [][]pt{polyline([]pt{{0, 0}, {0, 1}}, false, rng), append(top, bottom[1:]...)}
	},
	func(rng *rand.Rand) [][]pt { // C
		a0 := -40 - 15*rng.Float64()
		return [][]pt{arc(0.45, 0.5, 0.45, 0.5, a0, -320+15*rng.Float64())}
	},
	func(rng *rand.Rand) [][]pt { // D
		return [][]pt{polyline([]pt{{0, 0}, {0, 1}}, false, rng), curve(pt{0, 0}, pt{0.55, 0.12}, pt{0.7, 0.5}, pt{0.55, 0.88}, pt{0, 1})}
	},
	func(rng *rand.Rand) [][]pt { // E
		return [][]pt{polyline([]pt{{0.6, 0}, {0, 0}, {0, 1}, {0.6, 1}}, false, rng), polyline([]pt{{0, 0.5}, {0.45, 0.5}}, false, rng)}
	},
	func(rng *rand.Rand) [][]pt { // H
		return [][]pt{polyline([]pt{{0, 0}, {0, 1}}, false, rng), polyline([]pt{{0.65, 0}, {0.65, 1}}, false, rng), polyline([]pt{{0, 0.5}, {0.65, 0.5}}, false, rng)}
	},
	func(rng *rand.Rand) [][]pt { // K
		return [][]pt{polyline([]pt{{0, 0}, {0, 1}}, false, rng), polyline([]pt{{0.6, 0}, {0.02, 0.55}, {0.62, 1}}, false, rng)}
	},
	func(rng *rand.Rand) [][]pt { // L
		return [][]pt{polyline([]pt{{0, 0}, {0, 1}, {0.55, 1}}, false, rng)}
	},
	func(rng *rand.Rand) [][]pt { // M
		return [][]pt{polyline([]pt{{0, 1}, {0.05, 0}, {0.4, 0.65}, {0.75, 0}, {0.8, 1}}, false, rng)}
	},
	func(rng *rand.Rand) [][]pt { // T
		return [][]pt{polyline([]pt{{0, 0}, {0.7, 0}}, false, rng), polyline([]pt{{0.35, 0}, {0.35, 1}}, false, rng)}
	},
}

// Shapes returns perClass hand-drawn shapes of each of ShapeClasses, class
// after class, the same for the same seed: drawn as a mouse user would,
// at sizes from a quarter of the canvas to most of it, anywhere on it,
// turned up to ±20°, squeezed, wobbly, with pen widths of 8 to 26 pixels.
func Shapes(perClass int, seed uint64) []Drawing {
	return freehand(ShapeClasses, shapeOutlines, perClass, seed, 20)
}

// Letters returns perClass hand-drawn capital letters of each of
// LetterClasses, as Shapes draws shapes but turned at most ±12°.
func Letters(perClass int, seed uint64) []Drawing {
	return freehand(LetterClasses, letterOutlines, perClass, seed, 12)
}

func freehand(classes []string, outlines []outline, perClass int, seed uint64, maxTurn float64) []Drawing {
	rng := rand.New(rand.NewPCG(seed, 0x5ea))
	var out []Drawing
	for label, o := range outlines {
		for k := range perClass {
			width := 8 + 18*rng.Float64()
			out = append(out, Drawing{
				Name:    fmt.Sprintf("%s-%03d", classes[label], k),
				Label:   label,
				Width:   math.Round(width*10) / 10,
				Strokes: scatter(o(rng), width, maxTurn, rng),
			})
		}
	}
	return out
}

// scatter places the unit-box strokes on the canvas: distorted smoothly,
// squeezed, turned by up to maxTurn degrees, scaled to a random size,
// moved anywhere that keeps the pen inside, and resampled at the spacing
// of pointer-move events with a little tremor.
func scatter(paths [][]pt, width, maxTurn float64, rng *rand.Rand) [][][2]float64 {
	amp := 0.015 + 0.025*rng.Float64()
	f1, f2 := 0.5+rng.Float64(), 0.5+rng.Float64()
	p1, p2 := rng.Float64(), rng.Float64()
	sx, sy := 0.8+0.4*rng.Float64(), 0.8+0.4*rng.Float64()
	sin, cos := math.Sincos((2*rng.Float64() - 1) * maxTurn * math.Pi / 180)
	warp := func(p pt) pt {
		x := p[0] + amp*math.Sin(2*math.Pi*(f1*p[1]+p1)) - 0.5
		y := p[1] + amp*math.Sin(2*math.Pi*(f2*p[0]+p2)) - 0.5
		x, y = x*sx, y*sy
		return pt{x*cos - y*sin, x*sin + y*cos}
	}
	lo, hi := pt{math.Inf(1), math.Inf(1)}, pt{math.Inf(-1), math.Inf(-1)}
	for _, path := range paths {
		for i, p := range path {
			w := warp(p)
			path[i] = w
			lo = pt{min(lo[0], w[0]), min(lo[1], w[1])}
			hi = pt{max(hi[0], w[0]), max(hi[1], w[1])}
		}
	}
	edge := width/2 + 3
	room := Canvas - 2*edge
	side := (0.25 + 0.6*rng.Float64()) * room
	k := side / math.Max(hi[0]-lo[0], hi[1]-lo[1])
	var off pt
	for a := range 2 {
		off[a] = edge + rng.Float64()*(room-k*(hi[a]-lo[a])) - k*lo[a]
	}
	var out [][][2]float64
	for _, path := range paths {
		for i, p := range path {
			path[i] = pt{k*p[0] + off[0], k*p[1] + off[1]}
		}
		r := resample(path, rng)
		for i, p := range r {
			x := min(max(p[0]+(rng.Float64()-0.5)*0.8, 0), Canvas)
			y := min(max(p[1]+(rng.Float64()-0.5)*0.8, 0), Canvas)
			r[i] = pt{math.Round(x*10) / 10, math.Round(y*10) / 10}
		}
		out = append(out, r)
	}
	return out
}

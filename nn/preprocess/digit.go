package preprocess

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Size is the side of the images Digit returns, and Box the side of the box
// the digit is scaled to fit, as in MNIST.
const (
	Size = 28
	Box  = 20
)

// ErrEmpty is returned by Digit when the picture holds no ink.
var ErrEmpty = errors.New("preprocess: nothing drawn")

// Tuning constants of Digit.
const (
	// minThreshold is the smallest step above the background, in luminance,
	// that counts as ink: it keeps JPEG noise and paper texture out.
	minThreshold = 0.05
	// noiseSigmas is how many standard deviations of the background noise a
	// pixel must rise above the background to count as ink.
	noiseSigmas = 4
	// minContrast is the least difference between typical ink and the
	// background for the picture to hold a digit at all.
	minContrast = 0.1
	// trimMass is the fraction of the ink mass that may be cut from each
	// side of the bounding box, so that a stray speck far from the digit
	// does not stretch it.
	trimMass = 0.002
	// maxSamples bounds the number of pixels used to fit the background.
	maxSamples = 4096
)

// Digit turns the w×h luminance picture gray (values in [0,1], row-major,
// from Gray or GrayRGBA) into a 28×28 MNIST-style image: 784 values in
// [0,1], white ink on black, the ink scaled to fit 20×20 keeping its aspect
// ratio (area-averaged, so anti-aliased) and placed so that its centre of
// mass is at pixel (14, 14) counting from 0, as in MNIST (moved less if the
// digit would otherwise leave the field). The placement is sub-pixel, so the
// centre of mass is exact where MNIST's is within half a pixel. The
// brightest ink pixel is 1.
//
// A picture whose border is light on average is taken as dark ink on light
// paper and inverted. The background level is then estimated as a plane
// fitted robustly to the picture (so a photo lit unevenly still works) and
// subtracted, and only pixels clearly above the background noise count as
// ink. Digit returns ErrEmpty if there is no ink, and an error if
// len(gray) is not w*h.
func Digit(gray []float32, w, h int) ([]float32, error) {
	g, x0, x1, y0, y1, err := inked(gray, w, h)
	if err != nil {
		return nil, err
	}
	return place(g, w, x0, x1, y0, y1, Box, true), nil
}

// Item turns the w×h luminance picture gray into a 28×28 image as
// Fashion-MNIST made its pictures of clothing: the same ink extraction as
// Digit (light on dark, background removed), but the item's longest side
// scaled to the whole 28 pixels and its bounding box, not its centre of
// mass, centred. It returns ErrEmpty if there is nothing in the picture.
func Item(gray []float32, w, h int) ([]float32, error) {
	g, x0, x1, y0, y1, err := inked(gray, w, h)
	if err != nil {
		return nil, err
	}
	return place(g, w, x0, x1, y0, y1, Size, false), nil
}

// For returns the preprocessing that makes a picture look like the images
// of the dataset named name, as its entry in the registry frames them:
// Item for dataset.ItemFraming, Digit for dataset.DigitFraming and for
// names the registry does not know (models that do not say what they were
// trained on are digit models).
func For(name string) func(gray []float32, w, h int) ([]float32, error) {
	if e, _ := dataset.ForModel(name, nil); e.Framing == dataset.ItemFraming {
		return Item
	}
	return Digit
}

// inked returns gray as ink in [0,1] on a zero background, inverted if it
// was dark on light, and the box [x0,x1)×[y0,y1) that holds the ink.
func inked(gray []float32, w, h int) (g []float32, x0, x1, y0, y1 int, err error) {
	if w <= 0 || h <= 0 || len(gray) != w*h {
		return nil, 0, 0, 0, 0, fmt.Errorf("preprocess: picture of %d×%d needs %d pixels, got %d", w, h, max(w, 0)*max(h, 0), len(gray))
	}
	g = slices.Clone(gray)
	for i, v := range g {
		if math.IsNaN(float64(v)) {
			return nil, 0, 0, 0, 0, fmt.Errorf("preprocess: pixel %d is NaN", i)
		}
		g[i] = min(max(v, 0), 1)
	}
	if median(border(g, w, h)) > 0.5 {
		for i, v := range g {
			g[i] = 1 - v
		}
	}

	// Remove the background and keep the ink, stretched to [0,1].
	pl, sigma := fitBackground(g, w, h)
	thr := max(noiseSigmas*sigma, minThreshold)
	var ink []float32
	for y := range h {
		for x := range w {
			i := y*w + x
			r := g[i] - pl.at(x, y)
			g[i] = r
			if r > thr {
				ink = append(ink, r)
			}
		}
	}
	if len(ink) == 0 {
		return nil, 0, 0, 0, 0, ErrEmpty
	}
	level := quantile(ink, 0.9)
	if level < minContrast {
		return nil, 0, 0, 0, 0, ErrEmpty
	}
	span := max(level-thr, 1e-3)
	for i, r := range g {
		g[i] = min(max((r-thr)/span, 0), 1)
	}

	x0, x1, y0, y1, ok := inkBox(g, w, h)
	if !ok {
		return nil, 0, 0, 0, 0, ErrEmpty
	}
	return g, x0, x1, y0, y1, nil
}

// border returns the pixels of a frame around the picture, a few percent of
// its size thick.
func border(g []float32, w, h int) []float32 {
	t := max(1, min(w, h)/40)
	var b []float32
	for y := range h {
		for x := range w {
			if x < t || y < t || x >= w-t || y >= h-t {
				b = append(b, g[y*w+x])
			}
		}
	}
	return b
}

// plane is the background level a + bx·x + by·y.
type plane struct{ a, bx, by float64 }

func (p plane) at(x, y int) float32 {
	return float32(p.a + p.bx*float64(x) + p.by*float64(y))
}

// fitBackground fits a plane to the background of g, the pixels near the
// typical level, by iterated least squares on a grid of samples; it returns
// the plane and the robust standard deviation of the residuals.
func fitBackground(g []float32, w, h int) (plane, float32) {
	step := max(1, int(math.Ceil(math.Sqrt(float64(w*h)/maxSamples))))
	type sample struct {
		x, y int
		v    float32
	}
	var s []sample
	for y := step / 2; y < h; y += step {
		for x := step / 2; x < w; x += step {
			s = append(s, sample{x, y, g[y*w+x]})
		}
	}
	vals := make([]float32, len(s))
	for i := range s {
		vals[i] = s[i].v
	}
	p := plane{a: float64(median(vals))}
	var sigma float32
	// Centre coordinates for a well-conditioned fit.
	cx, cy := float64(w-1)/2, float64(h-1)/2
	for iter := 0; ; iter++ {
		res := make([]float32, len(s))
		for i, q := range s {
			res[i] = q.v - p.at(q.x, q.y)
		}
		m := median(res)
		dev := make([]float32, len(res))
		for i, r := range res {
			dev[i] = float32(math.Abs(float64(r - m)))
		}
		sigma = 1.4826 * median(dev)
		if iter == 4 {
			p.a += float64(m)
			return p, sigma
		}
		keep := max(2.5*sigma, 0.02)
		// Normal equations of v ≈ a + bx·(x-cx) + by·(y-cy).
		var n, sx, sy, sxx, sxy, syy, sv, sxv, syv float64
		for i, q := range s {
			if float32(math.Abs(float64(res[i]-m))) > keep {
				continue
			}
			x, y, v := float64(q.x)-cx, float64(q.y)-cy, float64(q.v)
			n++
			sx += x
			sy += y
			sxx += x * x
			sxy += x * y
			syy += y * y
			sv += v
			sxv += x * v
			syv += y * v
		}
		if n == 0 {
			return p, sigma
		}
		a, bx, by, ok := solve3(
			[3][3]float64{{n, sx, sy}, {sx, sxx, sxy}, {sy, sxy, syy}},
			[3]float64{sv, sxv, syv})
		if !ok {
			a, bx, by = sv/n, 0, 0
		}
		p = plane{a: a - bx*cx - by*cy, bx: bx, by: by}
	}
}

// solve3 solves the 3×3 system m·x = r by Cramer's rule.
func solve3(m [3][3]float64, r [3]float64) (a, b, c float64, ok bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(m)
	if math.Abs(d) < 1e-9*math.Abs(m[0][0]*m[1][1]*m[2][2]) || d == 0 {
		return 0, 0, 0, false
	}
	var x [3]float64
	for k := range 3 {
		mk := m
		for i := range 3 {
			mk[i][k] = r[i]
		}
		x[k] = det(mk) / d
	}
	return x[0], x[1], x[2], true
}

// inkBox returns the bounding box [x0,x1)×[y0,y1) of the ink in g, trimmed
// of at most trimMass of the total ink on each side.
func inkBox(g []float32, w, h int) (x0, x1, y0, y1 int, ok bool) {
	cols := make([]float64, w)
	rows := make([]float64, h)
	var total float64
	for y := range h {
		for x := range w {
			v := float64(g[y*w+x])
			cols[x] += v
			rows[y] += v
			total += v
		}
	}
	if total == 0 {
		return 0, 0, 0, 0, false
	}
	x0, x1 = trim(cols, total)
	y0, y1 = trim(rows, total)
	return x0, x1, y0, y1, x1 > x0 && y1 > y0
}

// trim returns the range [lo,hi) of p left after dropping at most
// trimMass·total from each end, and at least one element with ink.
func trim(p []float64, total float64) (lo, hi int) {
	cut := trimMass * total
	var c float64
	for lo = 0; lo < len(p)-1; lo++ {
		if c+p[lo] > cut {
			break
		}
		c += p[lo]
	}
	c = 0
	for hi = len(p); hi > lo+1; hi-- {
		if c+p[hi-1] > cut {
			break
		}
		c += p[hi-1]
	}
	return lo, hi
}

// place scales the box [x0,x1)×[y0,y1) of the w-wide picture g to fit a
// box×box square, moves its centre of mass (byMass) or its centre to the
// centre of the Size×Size field, and resamples it there by area averaging:
// each output pixel is the integral of the piecewise-constant scaled
// picture over its square.
func place(g []float32, w, x0, x1, y0, y1, box int, byMass bool) []float32 {
	bw, bh := x1-x0, y1-y0
	s := float64(box) / float64(max(bw, bh))
	// Centre of mass in box coordinates, pixel centres at i+0.5.
	var m, mx, my float64
	for y := range bh {
		for x := range bw {
			v := float64(g[(y0+y)*w+x0+x])
			m += v
			mx += v * (float64(x) + 0.5)
			my += v * (float64(y) + 0.5)
		}
	}
	// MNIST puts the centre of mass at pixel (14, 14) counting from 0: its
	// centre is at 14.5 with pixel centres at i+0.5 (the mean over the MNIST
	// test set is 14.51, 14.48 in these coordinates).
	c := Size/2 + 0.5
	// Sub-pixel placement: moving by whole pixels as MNIST did is sharper,
	// but a centre of mass near a half pixel then flips a whole pixel either
	// way; over the MNIST test digits photographed again, the worst
	// correlation with the originals was 0.59 that way and 0.86 this way.
	if !byMass { // the box's centre to the field's centre
		mx, my, m, c = float64(bw)/2, float64(bh)/2, 1, Size/2
	}
	ox := min(max(c-mx/m*s, 0), Size-float64(bw)*s)
	oy := min(max(c-my/m*s, 0), Size-float64(bh)*s)
	wx := weights(bw, s, ox)
	wy := weights(bh, s, oy)

	// Rows first: tmp[y][X] for the bh source rows.
	tmp := make([]float32, bh*Size)
	for y := range bh {
		src := g[(y0+y)*w+x0 : (y0+y)*w+x1]
		dst := tmp[y*Size : (y+1)*Size]
		for x, v := range src {
			if v == 0 {
				continue
			}
			for _, o := range wx[x] {
				dst[o.i] += o.w * v
			}
		}
	}
	out := make([]float32, Size*Size)
	for y := range bh {
		row := tmp[y*Size : (y+1)*Size]
		for _, o := range wy[y] {
			dst := out[o.i*Size : (o.i+1)*Size]
			for X, v := range row {
				dst[X] += o.w * v
			}
		}
	}
	var peak float32
	for _, v := range out {
		peak = max(peak, v)
	}
	if peak > 0 {
		for i, v := range out {
			out[i] = min(v/peak, 1)
		}
	}
	return out
}

// overlap is the share w of output pixel i covered by a source pixel.
type overlap struct {
	i int
	w float32
}

// weights returns, for each of n source pixels mapped to [off+k·s,
// off+(k+1)·s) on the output axis, the output pixels it covers and by how
// much.
func weights(n int, s, off float64) [][]overlap {
	out := make([][]overlap, n)
	for k := range n {
		lo, hi := off+float64(k)*s, off+float64(k+1)*s
		for i := max(0, int(math.Floor(lo))); i < Size && float64(i) < hi; i++ {
			if o := min(hi, float64(i+1)) - max(lo, float64(i)); o > 0 {
				out[k] = append(out[k], overlap{i, float32(o)})
			}
		}
	}
	return out
}

// median returns the median of v (the upper one for an even count), sorting
// a copy.
func median(v []float32) float32 {
	return quantile(v, 0.5)
}

// quantile returns the q-quantile of v by sorting a copy; 0 if v is empty.
func quantile(v []float32, q float64) float32 {
	if len(v) == 0 {
		return 0
	}
	c := slices.Clone(v)
	slices.Sort(c)
	return c[min(len(c)-1, int(q*float64(len(c))))]
}

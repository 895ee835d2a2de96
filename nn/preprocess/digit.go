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
	// that counts as ink, for ink of ordinary contrast: it keeps JPEG noise
	// and paper texture out. Faint ink gets a quarter of its level instead.
	minThreshold = 0.05
	// noiseSigmas is how many standard deviations of the background noise a
	// pixel must rise above the background to count as ink.
	noiseSigmas = 4
	// minContrast is the least step from the background to the ink's
	// strongest pixels, in a copy of the picture smoothed to about the
	// scale of the result, for the picture to hold a digit at all (13
	// steps of 255), so that JPEG's blocks and a sheet's mottle are not
	// taken for ink.
	minContrast = 0.05
	// trimMass is the fraction of the ink mass that may be cut from each
	// side of the bounding box, so that a stray speck far from the digit
	// does not stretch it.
	trimMass = 0.002
	// maxSamples bounds the number of pixels used to measure the noise.
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
// The picture is split into background and ink, whichever of them is
// lighter and however much of the picture the ink fills (see estimate):
// a digit cropped to its edges is found as well as one with a margin.
// Dark ink on light paper is inverted. The background level, a smooth
// surface so that a photo lit unevenly still works, is subtracted, and
// only pixels clearly above the background noise count as ink. Digit
// returns ErrEmpty if there is no ink (a uniform picture, or one whose
// only variation is noise or gently uneven light), and an error if
// len(gray) is not w*h or a pixel is NaN.
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
	l, ok := estimate(g, w, h)
	if !ok {
		return nil, 0, 0, 0, 0, ErrEmpty
	}

	// Ink counts only near where the working copy, in which noise is
	// averaged down, shows ink: elsewhere it is noise or a speck.
	near := l.near(min(max(noiseSigmas*l.noise, minThreshold), l.delta/2))
	// The threshold above the background is set by the noise of single
	// pixels, but never above half the ink's mean step, so faint ink
	// stays.
	step := max(1, int(math.Ceil(math.Sqrt(float64(w*h)/maxSamples))))
	thr := min(max(noiseSigmas*noiseSigma(g, w, h, step), min(minThreshold, l.strong/4)), l.delta/2)
	// The ink's level is measured on a grid of at most 16·maxSamples
	// pixels, so that a big photo needs no copy of its ink.
	inkStep := max(1, int(math.Ceil(math.Sqrt(float64(w*h)/(16*maxSamples)))))
	var ink []float32
	var peak float32 // the level when the grid misses the ink
	bg := make([]float32, w)
	for y := range h {
		l.bg.row(bg, float64(y))
		for x := range w {
			i := y*w + x
			r := l.sign * (g[i] - bg[x])
			if !near[y/l.k*l.ww+x/l.k] {
				r = 0
			}
			g[i] = r
			if r > thr {
				peak = max(peak, r)
				if x%inkStep == 0 && y%inkStep == 0 {
					ink = append(ink, r)
				}
			}
		}
	}
	if peak == 0 {
		return nil, 0, 0, 0, 0, ErrEmpty
	}
	// Stretch the ink to [0,1].
	level := peak
	if len(ink) > 0 {
		level = quantile(ink, 0.9)
	}
	span := max(level-thr, 1e-3)
	for i, r := range g {
		g[i] = min(max((r-thr)/span, 0), 1)
	}

	x0, x1, y0, y1, ok = inkBox(g, w, h)
	if !ok {
		return nil, 0, 0, 0, 0, ErrEmpty
	}
	return g, x0, x1, y0, y1, nil
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

// median returns the median of v (the upper one for an even count).
func median(v []float32) float32 {
	return quantile(v, 0.5)
}

// quantile returns the q-quantile of v, the element that would be at
// index ⌊q·len(v)⌋ were v sorted; 0 if v is empty. It selects on a copy
// (Hoare's quickselect, in linear time on average) rather than sorting.
func quantile(v []float32, q float64) float32 {
	if len(v) == 0 {
		return 0
	}
	c := slices.Clone(v)
	k := min(len(c)-1, int(q*float64(len(c))))
	lo, hi := 0, len(c)-1
	for lo < hi {
		// Median of three as the pivot, so sorted input is no worse.
		mid := lo + (hi-lo)/2
		a, b, d := c[lo], c[mid], c[hi]
		p := max(min(a, b), min(max(a, b), d))
		i, j := lo, hi
		for i <= j {
			for c[i] < p {
				i++
			}
			for c[j] > p {
				j--
			}
			if i <= j {
				c[i], c[j] = c[j], c[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return c[k]
		}
	}
	return c[k]
}

package preprocess

import (
	"math"
	"slices"
)

// Tuning constants of the background estimate.
const (
	// workSide is the least long side of the working copy of the picture
	// that the background is estimated on: twice the 20-pixel box, so
	// that one working pixel is at most half an output pixel.
	workSide = 2 * Box
	// borderWeight and areaWeight weigh, in deciding which of the two
	// levels is the background, how much more of the picture's border
	// each level covers than the other, and how much more of the picture.
	// The border decides alone for any picture with a margin; a tight crop
	// has ink on every edge, and there the area breaks near ties: of the
	// 2000 MNIST training digits of testdata cut to their bounding box
	// (ink being the pixels above one half), the border alone gets 4 wrong
	// (thin 1s almost filled with ink), the area alone 112, the border
	// with half the weight of the area 2.
	borderWeight = 1
	areaWeight   = 0.5
	// separation is how many standard deviations of the pixel noise the
	// mean ink and background levels must be apart. Otsu's split of pure
	// noise puts its two halves 1.6 deviations apart (up to 2 in a picture
	// only 20 pixels wide), while 200 MNIST test digits cropped 20 pixels
	// high, 0.16 from their paper with noise of deviation 0.03, come out
	// at 2.7 or more (see noiseSigma).
	separation = 2.5
	// fitIters is how many times the background surface is fitted, each
	// time to the background class of a new split.
	fitIters = 3
)

// level is what inked learns of a picture before it takes out the ink.
type level struct {
	bg    surface // background level
	sign  float32 // +1: ink lighter than the background; -1: darker
	delta float32 // mean ink level above the background, at working scale
	// strong is the level of the ink's strongest pixels (the 90th
	// percentile) above the background: thin strokes are diluted in the
	// working copy, so this rather than delta says how dark the ink is.
	strong float32
	noise  float32 // standard deviation of the noise at working scale

	// The working copy: k×k pixels of the picture averaged into one, less
	// the background.
	res    []float32
	ww, wh int
	k      int
}

// estimate fits a two-level model to the w×h picture g: a background that
// varies smoothly (light falls unevenly on a photo) and ink at a roughly
// constant step from it, either lighter or darker. It returns false if the
// picture holds no ink: it is uniform, or its two levels are no further
// apart than noise or minContrast would put them.
//
// Why not take the background from the border or from the typical pixel:
// a digit cropped to its bounding box touches every edge, and in a thick
// or thin-boxed digit most pixels can be ink. Instead the whole picture's
// histogram is split in two by Otsu's threshold (the split that leaves
// the least variance within the two classes), on a copy averaged down and
// smoothed so that pixel noise counts no more than it will in the 28×28
// result. Which class is background is judged from both the border and
// the area (see borderWeight), the background surface (see surface) is
// fitted to the background class alone, and the split is made again on
// what is left after removing it, so that uneven light stronger than the
// ink does not decide the split. A blank photo splits too, but its halves
// are only about as far apart as its noise (measured from differences of
// neighbouring pixels, so neither the ink nor the light counts), and that
// is what tells it apart.
func estimate(g []float32, w, h int) (level, bool) {
	k := max(1, max(w, h)/workSide)
	work, ww, wh := shrink(g, w, h, k)
	base := level{bg: newSurface(w, h), ww: ww, wh: wh, k: k}
	base.noise = blurNoise * noiseSigma(work, ww, wh, 1)
	smooth := blur(work, ww, wh)
	// Working pixel (X, Y) averages the picture pixels from kX to at most
	// kX+k-1 and from kY to kY+k-1: its centre in the picture.
	centre := func(n int) []float64 {
		c := make([]float64, (n+k-1)/k)
		for X := range c {
			c[X] = float64(k*X) + float64(min(k, n-k*X)-1)/2
		}
		return c
	}
	cx, cy := centre(w), centre(h)
	terms := make([][nTerms]float64, len(work))
	for i := range work {
		terms[i] = base.bg.terms(cx[i%ww], cy[i/ww])
	}

	// The split that sets the two levels furthest apart wins: see split.
	var best level
	found := false
	for _, curved := range []bool{false, true} {
		if l, ok := base.split(work, smooth, terms, curved); ok && (!found || l.delta > best.delta) {
			best, found = l, true
		}
	}
	if !found {
		return base, false
	}
	return best, best.strong >= minContrast && best.delta >= separation*best.noise
}

// split splits the working copy work (smoothed: smooth; terms: the
// surface terms of each pixel) into background and ink, and returns l
// with its background, sign, delta and strong set. It returns false if the
// picture is uniform.
//
// It starts from the level most of the picture has, a plane fitted to
// all of it, or a quadratic if curved: in a picture with a margin that is
// the paper, lit as it is. A quadratic finds ink under a vignette that a
// plane would leave to decide the split; a plane leaves the ink of a
// tight crop alone where a quadratic may bend into it. Whichever split
// sets its levels further apart is the one that found the ink.
func (l level) split(work, smooth []float32, terms [][nTerms]float64, curved bool) (level, bool) {
	all := func(int) bool { return true }
	l.bg.fit(work, terms, all, curved)
	l.res = make([]float32, len(work))
	low := make([]bool, len(work))
	var inkLow bool
	for iter := 0; ; iter++ {
		for i, v := range smooth {
			l.res[i] = v - l.bg.of(&terms[i])
		}
		t, ok := otsu(l.res)
		if !ok {
			return l, false
		}
		for i, r := range l.res {
			low[i] = r < t
		}
		inkLow = darkInk(low, l.ww, l.wh)
		if iter == fitIters {
			break
		}
		l.bg.fit(work, terms, func(i int) bool { return low[i] != inkLow }, true)
	}
	l.sign = 1
	if inkLow {
		l.sign = -1
	}
	var sumI, sumB float64
	var ink []float32
	for i, r := range l.res {
		if low[i] == inkLow {
			sumI += float64(r)
			ink = append(ink, l.sign*r)
		} else {
			sumB += float64(r)
		}
	}
	nB := len(l.res) - len(ink)
	l.delta = l.sign * float32(sumI/float64(len(ink))-sumB/float64(nB))
	l.strong = quantile(ink, 0.9) - l.sign*float32(sumB/float64(nB))
	return l, true
}

// near returns, for each working pixel, whether it or one of its eight
// neighbours is more than t above the background.
func (l level) near(t float32) []bool {
	w, h := l.ww, l.wh
	out := make([]bool, w*h)
	for y := range h {
		for x := range w {
			if l.sign*l.res[y*w+x] <= t {
				continue
			}
			for yy := max(0, y-1); yy <= min(h-1, y+1); yy++ {
				for xx := max(0, x-1); xx <= min(w-1, x+1); xx++ {
					out[yy*w+xx] = true
				}
			}
		}
	}
	return out
}

// shrink returns g area-averaged k×k pixels into one: a ⌈w/k⌉×⌈h/k⌉
// picture whose last column and row average the pixels left over.
func shrink(g []float32, w, h, k int) ([]float32, int, int) {
	if k == 1 {
		return g, w, h
	}
	W, H := (w+k-1)/k, (h+k-1)/k
	sum := make([]float64, W*H)
	for y := range h {
		row := sum[y/k*W : (y/k+1)*W]
		for x, v := range g[y*w : (y+1)*w] {
			row[x/k] += float64(v)
		}
	}
	out := make([]float32, W*H)
	for Y := range H {
		for X := range W {
			n := min(k, h-Y*k) * min(k, w-X*k)
			out[Y*W+X] = float32(sum[Y*W+X] / float64(n))
		}
	}
	return out, W, H
}

// otsu returns Otsu's threshold of v: the t that splits v into v < t and
// v ≥ t with the least variance within the two parts, found on a
// 256-bin histogram. It returns false if v has fewer than two values.
func otsu(v []float32) (float32, bool) {
	lo, hi := slices.Min(v), slices.Max(v)
	if !(hi > lo) {
		return 0, false
	}
	const bins = 256
	var hist [bins]float64
	scale := float64(bins) / float64(hi-lo)
	bin := func(x float32) int { return min(bins-1, int(float64(x-lo)*scale)) }
	var total float64
	for _, x := range v {
		b := bin(x)
		hist[b]++
		total += float64(b)
	}
	n := float64(len(v))
	best, split := -1.0, 1
	var n0, s0 float64
	for b := range bins - 1 {
		n0 += hist[b]
		s0 += float64(b) * hist[b]
		if n0 == 0 || n0 == n {
			continue
		}
		m0, m1 := s0/n0, (total-s0)/(n-n0)
		if between := n0 * (n - n0) * (m1 - m0) * (m1 - m0); between > best {
			best, split = between, b+1
		}
	}
	// The lower edge of the first bin above the split; the lowest value
	// is below it and the highest at or above it.
	return lo + float32(float64(split)/scale), true
}

// darkInk reports whether, of the two classes of the w×h picture (low[i]
// for the darker one), the darker one is the ink: the lighter one covers
// more of the border and the picture, weighted as borderWeight and
// areaWeight say. A tie goes to dark ink, as on paper.
func darkInk(low []bool, w, h int) bool {
	var nb, lowB, lowA float64
	for y := range h {
		for x := range w {
			l := low[y*w+x]
			if l {
				lowA++
			}
			if x == 0 || y == 0 || x == w-1 || y == h-1 {
				nb++
				if l {
					lowB++
				}
			}
		}
	}
	return borderWeight*(lowB/nb-0.5)+areaWeight*(lowA/float64(w*h)-0.5) <= 0
}

// noiseSigma estimates the standard deviation of pixel noise in the w×h
// picture g from the differences between horizontal and vertical
// neighbours, robustly (median absolute deviation, each direction about its
// own median, so a lighting gradient does not count). Ink edges are a
// minority of the pairs but not few in a small crop: there they raise the
// estimate by about a third, which errs towards calling a faint noisy
// picture blank. It looks at every step-th row and column.
func noiseSigma(g []float32, w, h, step int) float32 {
	var dev []float32
	for _, d := range [][2]int{{1, 0}, {0, 1}} {
		var diff []float32
		for y := 0; y+d[1] < h; y += step {
			for x := 0; x+d[0] < w; x += step {
				i := y*w + x
				diff = append(diff, g[i+d[1]*w+d[0]]-g[i])
			}
		}
		m := median(diff)
		for _, v := range diff {
			dev = append(dev, abs32(v-m))
		}
	}
	// A difference of two pixels has √2 times their deviation.
	return 1.4826 * median(dev) / math.Sqrt2
}

func abs32(v float32) float32 { return float32(math.Abs(float64(v))) }

// blurNoise is the factor by which blur scales the deviation of pixel
// noise: the square root of the sum of its squared weights, (√6/4)².
const blurNoise = 6.0 / 16

// blur returns the w×h picture g smoothed by the binomial filter
// [1 2 1]/4 along rows and columns (edge pixels repeated): noise falls to
// blurNoise of its deviation, while a stroke two pixels wide keeps three
// quarters of its contrast.
func blur(g []float32, w, h int) []float32 {
	tmp := make([]float32, len(g))
	for y := range h {
		row, out := g[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		for x := range w {
			out[x] = (row[max(x-1, 0)] + 2*row[x] + row[min(x+1, w-1)]) / 4
		}
	}
	out := make([]float32, len(g))
	for y := range h {
		up, mid, down := tmp[max(y-1, 0)*w:], tmp[y*w:], tmp[min(y+1, h-1)*w:]
		for x := range w {
			out[y*w+x] = (up[x] + 2*mid[x] + down[x]) / 4
		}
	}
	return out
}

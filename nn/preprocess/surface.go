package preprocess

import "math"

// surface is a background level that varies smoothly over the picture: a
// quadratic in the position, which follows light that falls off towards
// the corners or one side (a vignette, a lamp) as well as a gradient. The
// position is measured from the picture's centre in half its long side,
// the same on both axes, since light varies over the sheet, not over the
// picture's short side.
type surface struct {
	c      [nTerms]float64
	cx, cy float64 // the picture's centre
	half   float64 // half its long side, at least 1/2
}

const (
	// nTerms is the number of terms of a surface: 1, u, v, u², uv, v².
	nTerms = 6
	// curveRidge weighs, per point fitted, the sum of the squared
	// curvature terms against the squared residuals. Light that falls off
	// by 0.1 from the centre to the corners of a square picture costs as
	// much as residuals of 0.005 on every point; bending by as much from
	// the middle to the edges of a picture a quarter as wide as it is long,
	// as only ink would, costs as much as residuals of 0.11.
	curveRidge = 0.005
)

// newSurface returns a zero surface for a w×h picture; pixel (x, y) has
// its centre at (x, y).
func newSurface(w, h int) surface {
	return surface{
		cx: float64(w-1) / 2, cy: float64(h-1) / 2,
		half: max(float64(max(w, h)-1), 1) / 2,
	}
}

// terms returns the terms of the surface at (x, y).
func (s surface) terms(x, y float64) [nTerms]float64 {
	u, v := (x-s.cx)/s.half, (y-s.cy)/s.half
	return [nTerms]float64{1, u, v, u * u, u * v, v * v}
}

// of returns the level where the terms are t.
func (s surface) of(t *[nTerms]float64) float32 {
	var v float64
	for i, c := range s.c {
		v += c * t[i]
	}
	return float32(v)
}

// row writes the level at pixels (0, y) to (len(dst)-1, y) to dst: the
// surface along a row is a quadratic in x, evaluated per pixel in three
// multiplications.
func (s surface) row(dst []float32, y float64) {
	v := (y - s.cy) / s.half
	c0 := s.c[0] + s.c[2]*v + s.c[5]*v*v
	c1 := s.c[1] + s.c[4]*v
	c2 := s.c[3]
	for x := range dst {
		u := (float64(x) - s.cx) / s.half
		dst[x] = float32(c0 + (c1+c2*u)*u)
	}
}

// fit fits s by least squares to the values v[i] at the points whose
// terms are t[i] and for which use(i), leaving out in a second and third round the ones
// far from the last fit (more than 3 robust standard deviations of the
// residuals), so that ink the split gave to the background does not bend
// it. It fits a quadratic if curve, else a plane, and fewer terms if the
// points do not determine them; the curvature is damped (curveRidge).
// With no points it leaves s as it is.
func (s *surface) fit(v []float32, t [][nTerms]float64, use func(int) bool, curve bool) {
	idx := make([]int, 0, len(v))
	for i := range v {
		if use(i) {
			idx = append(idx, i)
		}
	}
	keep := float32(math.Inf(1))
	kept := make([]int, 0, len(idx))
	for range 3 {
		var a [nTerms][nTerms]float64
		var b [nTerms]float64
		kept = kept[:0]
		for _, i := range idx {
			ti := &t[i]
			if abs32(v[i]-s.of(ti)) > keep {
				continue
			}
			kept = append(kept, i)
			for r := range nTerms {
				for c := r; c < nTerms; c++ {
					a[r][c] += ti[r] * ti[c]
				}
				b[r] += ti[r] * float64(v[i])
			}
		}
		if len(kept) == 0 {
			return
		}
		for r := range nTerms {
			for c := range r {
				a[r][c] = a[c][r]
			}
		}
		for r := 3; r < nTerms; r++ {
			a[r][r] += curveRidge * float64(len(kept))
		}
		// A quadratic if wanted, else a plane, or fewer terms if the
		// points do not determine them.
		for _, k := range []int{nTerms, 3, 1} {
			if k == nTerms && !curve {
				continue
			}
			if c, ok := solve(a, b, k); ok {
				s.c = c
				break
			}
		}
		res := make([]float32, len(idx))
		for j, i := range idx {
			res[j] = abs32(v[i] - s.of(&t[i]))
		}
		keep = max(3*1.4826*median(res), 1e-3)
	}
}

// solve solves the leading k×k part of a·c = b by Gaussian elimination
// with partial pivoting, the other coefficients zero. It returns false if
// that part is singular or nearly so.
func solve(a [nTerms][nTerms]float64, b [nTerms]float64, k int) ([nTerms]float64, bool) {
	var c [nTerms]float64
	scale := 0.0
	for i := range k {
		scale = max(scale, math.Abs(a[i][i]))
	}
	for col := range k {
		p := col
		for r := col + 1; r < k; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if !(math.Abs(a[p][col]) > 1e-9*scale) {
			return c, false
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		for r := col + 1; r < k; r++ {
			f := a[r][col] / a[col][col]
			for j := col; j < k; j++ {
				a[r][j] -= f * a[col][j]
			}
			b[r] -= f * b[col]
		}
	}
	for r := k - 1; r >= 0; r-- {
		v := b[r]
		for j := r + 1; j < k; j++ {
			v -= a[r][j] * c[j]
		}
		c[r] = v / a[r][r]
	}
	return c, true
}

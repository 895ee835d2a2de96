package inspect

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
)

// Projection is a 2-D PCA basis fitted to feature vectors: new vectors (the
// user's drawing) project onto the same axes as the ones it was fitted to.
type Projection struct {
	Mean  []float64    // the features' mean, subtracted before projecting
	Axes  [2][]float64 // the first two principal directions, unit length
	Var   [2]float64   // the variance along each axis
	Total float64      // the total variance of the features
}

// FitPCA fits a projection to n feature vectors of length d laid out back to
// back in features. Each axis's sign is fixed so that its largest loading is
// positive, so refits on similar data do not flip the picture.
//
// It finds the two axes by subspace (block power) iteration on the
// features' covariance with a Rayleigh-Ritz step, rather than with gonum's
// stat.PC: that needs gonum's mat, lapack and blas, 0.5 MB of the UI's
// WebAssembly, for a picture of two axes (the tests check this against
// stat.PC). The covariance is formed as a d×d matrix when d <= n, and
// otherwise applied as Xᵀ(Xv) without forming it.
func FitPCA(features []float32, n, d int) (*Projection, error) {
	checkLen("FitPCA features", len(features), n*d)
	if n < 2 || d < 1 {
		return nil, errors.New("inspect: PCA needs at least two feature vectors")
	}
	x := &pcaData{f: features, n: n, d: d, mean: make([]float64, d)}
	for i := range n {
		for j, v := range features[i*d : (i+1)*d] {
			x.mean[j] += float64(v)
		}
	}
	for j := range x.mean {
		x.mean[j] /= float64(n)
	}
	if d <= n {
		x.cov = x.covariance()
	}
	p := &Projection{Mean: x.mean, Total: x.trace()}
	axes, vars := topEigen(x, min(d, pcaBlock))
	for k := range 2 {
		p.Axes[k] = make([]float64, d)
		if k >= len(axes) {
			continue
		}
		copy(p.Axes[k], axes[k])
		p.Var[k] = max(vars[k], 0)
		big := 0
		for j, v := range p.Axes[k] {
			if math.Abs(v) > math.Abs(p.Axes[k][big]) {
				big = j
			}
		}
		if p.Axes[k][big] < 0 {
			for j := range p.Axes[k] {
				p.Axes[k][j] = -p.Axes[k][j]
			}
		}
	}
	return p, nil
}

// Subspace iteration settings: a block of four vectors for two wanted axes
// makes the error shrink by λ5/λ2 each round, not λ3/λ2; it stops when the
// two axes' residuals |Cv - λv| are below pcaTol·λ1, or after pcaMaxIter
// rounds (then the axes are still the best found: only a near tie between
// the 2nd and 5th variance is that slow, and then any of those axes shows
// as much).
const (
	pcaBlock   = 4
	pcaTol     = 1e-10
	pcaMaxIter = 2000
)

// pcaData is the features seen as a centred n×d matrix X, and its
// covariance C = XᵀX/(n-1) when it was formed (row-major, upper triangle).
type pcaData struct {
	f    []float32
	n, d int
	mean []float64
	cov  []float64
}

// covariance forms C's upper triangle: n·d²/2 multiply-adds.
func (x *pcaData) covariance() []float64 {
	d := x.d
	c := make([]float64, d*d)
	row := make([]float64, d)
	for i := range x.n {
		x.row(row, i)
		for a, ra := range row {
			if ra == 0 {
				continue
			}
			dst := c[a*d+a : a*d+d]
			for b, rb := range row[a:] {
				dst[b] += ra * rb
			}
		}
	}
	s := 1 / float64(x.n-1)
	for a := range d {
		for b := a; b < d; b++ {
			c[a*d+b] *= s
			c[b*d+a] = c[a*d+b]
		}
	}
	return c
}

// row writes row i of X (the features minus their mean) into dst.
func (x *pcaData) row(dst []float64, i int) {
	for j, v := range x.f[i*x.d : (i+1)*x.d] {
		dst[j] = float64(v) - x.mean[j]
	}
}

// trace is the total variance, the sum of C's eigenvalues.
func (x *pcaData) trace() float64 {
	t := 0.0
	if x.cov != nil {
		for j := range x.d {
			t += x.cov[j*x.d+j]
		}
		return t
	}
	row := make([]float64, x.d)
	for i := range x.n {
		x.row(row, i)
		for _, v := range row {
			t += v * v
		}
	}
	return t / float64(x.n-1)
}

// apply sets dst = C v.
func (x *pcaData) apply(dst, v []float64) {
	clear(dst)
	if x.cov != nil {
		for a := range x.d {
			dst[a] = dot(x.cov[a*x.d:(a+1)*x.d], v)
		}
		return
	}
	row := make([]float64, x.d)
	for i := range x.n {
		x.row(row, i)
		s := dot(row, v) / float64(x.n-1)
		for j, r := range row {
			dst[j] += s * r
		}
	}
}

// topEigen returns C's leading eigenvectors (unit length) and eigenvalues,
// largest first, by subspace iteration on a block of b vectors.
func topEigen(x *pcaData, b int) ([][]float64, []float64) {
	d := x.d
	rng := rand.New(rand.NewPCG(1, 2)) // fixed: the same features give the same axes
	q, z := make([][]float64, b), make([][]float64, b)
	for k := range b {
		q[k], z[k] = make([]float64, d), make([]float64, d)
		for j := range q[k] {
			q[k][j] = rng.NormFloat64()
		}
	}
	orthonormalize(q, rng)
	h := make([]float64, b*b)
	var theta []float64
	for it := 0; ; it++ {
		for k := range b {
			x.apply(z[k], q[k])
		}
		// Rayleigh-Ritz: the eigenpairs of H = QᵀCQ rotate Q (and CQ)
		// into the best approximations the block holds.
		for r := range b {
			for c := range b {
				h[r*b+c] = dot(q[r], z[c])
			}
		}
		var w []float64
		theta, w = jacobiEigen(h, b)
		u, cu := rotate(q, w, b), rotate(z, w, b)
		done := true
		for k := range min(2, b) {
			res := 0.0
			for j := range d {
				e := cu[k][j] - theta[k]*u[k][j]
				res += e * e
			}
			done = done && math.Sqrt(res) <= pcaTol*math.Abs(theta[0])
		}
		if done || it >= pcaMaxIter {
			return u, theta
		}
		q = cu
		orthonormalize(q, rng)
	}
}

// rotate returns the vectors v times the b×b matrix w (columns: new vectors).
func rotate(v [][]float64, w []float64, b int) [][]float64 {
	out := make([][]float64, b)
	for c := range b {
		out[c] = make([]float64, len(v[0]))
		for r := range b {
			if s := w[r*b+c]; s != 0 {
				for j, x := range v[r] {
					out[c][j] += s * x
				}
			}
		}
	}
	return out
}

// orthonormalize makes the vectors orthonormal in order (Gram-Schmidt,
// twice for accuracy); one that vanishes (the data have fewer directions
// than the block) is replaced by a random vector made orthogonal to the
// others.
func orthonormalize(v [][]float64, rng *rand.Rand) {
	for k := range v {
		for try := 0; ; try++ {
			for range 2 {
				for _, prev := range v[:k] {
					s := dot(prev, v[k])
					for j := range v[k] {
						v[k][j] -= s * prev[j]
					}
				}
			}
			if n := math.Sqrt(dot(v[k], v[k])); n > 1e-150 || try == 3 {
				if n > 0 {
					for j := range v[k] {
						v[k][j] /= n
					}
				}
				break
			}
			for j := range v[k] {
				v[k][j] = rng.NormFloat64()
			}
		}
	}
}

// jacobiEigen returns the eigenvalues of the symmetric b×b matrix h,
// largest first, and the eigenvectors as the columns of a b×b matrix, by
// cyclic Jacobi rotations (b is at most pcaBlock). h is overwritten.
func jacobiEigen(h []float64, b int) ([]float64, []float64) {
	w := make([]float64, b*b)
	for i := range b {
		w[i*b+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		off, all := 0.0, 0.0
		for r := range b {
			for c := range b {
				all += h[r*b+c] * h[r*b+c]
				if r != c {
					off += h[r*b+c] * h[r*b+c]
				}
			}
		}
		if off <= 1e-30*all {
			break
		}
		for p := range b {
			for q := p + 1; q < b; q++ {
				if h[p*b+q] == 0 {
					continue
				}
				// The rotation that zeroes h[p][q] (Golub & Van Loan 8.5.2).
				tau := (h[q*b+q] - h[p*b+p]) / (2 * h[p*b+q])
				t := math.Copysign(1, tau) / (math.Abs(tau) + math.Sqrt(1+tau*tau))
				c := 1 / math.Sqrt(1+t*t)
				s := t * c
				for k := range b { // h = h·J
					hp, hq := h[k*b+p], h[k*b+q]
					h[k*b+p], h[k*b+q] = c*hp-s*hq, s*hp+c*hq
				}
				for k := range b { // h = Jᵀ·h
					hp, hq := h[p*b+k], h[q*b+k]
					h[p*b+k], h[q*b+k] = c*hp-s*hq, s*hp+c*hq
				}
				for k := range b { // w = w·J
					wp, wq := w[k*b+p], w[k*b+q]
					w[k*b+p], w[k*b+q] = c*wp-s*wq, s*wp+c*wq
				}
			}
		}
	}
	order := make([]int, b)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return h[order[i]*b+order[i]] > h[order[j]*b+order[j]] })
	vals, vecs := make([]float64, b), make([]float64, b*b)
	for c, o := range order {
		vals[c] = h[o*b+o]
		for r := range b {
			vecs[r*b+c] = w[r*b+o]
		}
	}
	return vals, vecs
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// Project returns the coordinates of one feature vector on the two axes.
func (p *Projection) Project(f []float32) (x, y float64) {
	checkLen("Project feature vector", len(f), len(p.Mean))
	for j, v := range f {
		c := float64(v) - p.Mean[j]
		x += c * p.Axes[0][j]
		y += c * p.Axes[1][j]
	}
	return x, y
}

// ProjectAll projects n vectors laid out back to back and returns their
// coordinates as x, y pairs.
func (p *Projection) ProjectAll(features []float32, n int) []float64 {
	d := len(p.Mean)
	checkLen("ProjectAll features", len(features), n*d)
	xy := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		xy[2*i], xy[2*i+1] = p.Project(features[i*d : (i+1)*d])
	}
	return xy
}

// Explained is the fraction of the total variance the two axes show.
func (p *Projection) Explained() float64 {
	if p.Total == 0 {
		return 0
	}
	return (p.Var[0] + p.Var[1]) / p.Total
}

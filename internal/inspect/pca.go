package inspect

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
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
func FitPCA(features []float32, n, d int) (*Projection, error) {
	checkLen("FitPCA features", len(features), n*d)
	if n < 2 || d < 1 {
		return nil, errors.New("inspect: PCA needs at least two feature vectors")
	}
	data := make([]float64, n*d)
	for i, v := range features {
		data[i] = float64(v)
	}
	a := mat.NewDense(n, d, data)
	var pc stat.PC
	if !pc.PrincipalComponents(a, nil) {
		return nil, errors.New("inspect: PCA did not converge")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	p := &Projection{Mean: make([]float64, d)}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			p.Mean[j] += data[i*d+j]
		}
	}
	for j := range p.Mean {
		p.Mean[j] /= float64(n)
	}
	for _, v := range vars {
		p.Total += v
	}
	_, cols := vecs.Dims()
	for k := 0; k < 2; k++ {
		p.Axes[k] = make([]float64, d)
		if k >= cols {
			continue
		}
		mat.Col(p.Axes[k], k, &vecs)
		p.Var[k] = vars[k]
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

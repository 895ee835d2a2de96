package inspect

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// gonumPCA is the reference FitPCA is checked against: gonum's stat.PC
// (an SVD), with the same sign rule.
func gonumPCA(t *testing.T, f []float32, n, d int) (axes [2][]float64, vars [2]float64, total float64) {
	t.Helper()
	data := make([]float64, len(f))
	for i, v := range f {
		data[i] = float64(v)
	}
	var pc stat.PC
	if !pc.PrincipalComponents(mat.NewDense(n, d, data), nil) {
		t.Fatal("stat.PC did not converge")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	all := pc.VarsTo(nil)
	for _, v := range all {
		total += v
	}
	for k := range 2 {
		axes[k] = mat.Col(nil, k, &vecs)
		vars[k] = all[k]
		big := 0
		for j, v := range axes[k] {
			if math.Abs(v) > math.Abs(axes[k][big]) {
				big = j
			}
		}
		if axes[k][big] < 0 {
			for j := range axes[k] {
				axes[k][j] = -axes[k][j]
			}
		}
	}
	return axes, vars, total
}

// pcaFeatures makes n vectors of length d with a known spread: each of the
// first few directions (rotated away from the coordinate axes) has its own
// scale, the rest are small noise.
func pcaFeatures(n, d int, scales []float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	// A random orthonormal-ish basis is not needed: mixing the latent
	// coordinates through a fixed random matrix rotates the spread.
	mix := make([]float64, len(scales)*d)
	for i := range mix {
		mix[i] = rng.NormFloat64() / math.Sqrt(float64(d))
	}
	f := make([]float32, n*d)
	for i := range n {
		for k, s := range scales {
			z := s * rng.NormFloat64()
			for j := range d {
				f[i*d+j] += float32(z * mix[k*d+j])
			}
		}
		for j := range d {
			f[i*d+j] += float32(0.01*rng.NormFloat64() + 3)
		}
	}
	return f
}

// TestPCAMatchesGonum fits projections to features shaped like the
// playground's (many vectors of a hundred-odd features, the covariance
// formed) and to fewer vectors than features (the covariance applied
// without forming it), and compares them with gonum's stat.PC.
func TestPCAMatchesGonum(t *testing.T) {
	for _, c := range []struct {
		name   string
		n, d   int
		scales []float64
	}{
		{"formed", 2000, 128, []float64{5, 3, 2, 1.5, 1, 0.5}},
		{"close", 1500, 64, []float64{4, 3.9, 3.5, 1}},
		{"implicit", 60, 300, []float64{6, 2, 1, 0.5}},
		{"two features", 50, 2, []float64{3, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := pcaFeatures(c.n, c.d, c.scales, 1)
			p, err := FitPCA(f, c.n, c.d)
			if err != nil {
				t.Fatal(err)
			}
			axes, vars, total := gonumPCA(t, f, c.n, c.d)
			if !near(p.Total, total, 1e-6*total) {
				t.Errorf("Total = %v, gonum %v", p.Total, total)
			}
			for k := range 2 {
				if !near(p.Var[k], vars[k], 1e-6*vars[0]) {
					t.Errorf("Var[%d] = %v, gonum %v", k, p.Var[k], vars[k])
				}
				if cos := math.Abs(dot(p.Axes[k], axes[k])); !near(cos, 1, 1e-6) {
					t.Errorf("axis %d: |cos| with gonum's = %v", k, cos)
				}
				for j := range axes[k] {
					if !near(p.Axes[k][j], axes[k][j], 1e-4) {
						t.Errorf("axis %d[%d] = %v, gonum %v (sign rule)", k, j, p.Axes[k][j], axes[k][j])
						break
					}
				}
			}
		})
	}
}

// TestPCADegenerate fits identical points (no spread at all) and points on
// one axis of three: no panic, zero variances where there is no spread,
// unit axes.
func TestPCADegenerate(t *testing.T) {
	same := []float32{1, 2, 3, 1, 2, 3, 1, 2, 3}
	p, err := FitPCA(same, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if p.Var != [2]float64{} || p.Total != 0 || p.Explained() != 0 {
		t.Errorf("identical points: Var %v, Total %v", p.Var, p.Total)
	}
	line := []float32{0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0}
	if p, err = FitPCA(line, 4, 3); err != nil {
		t.Fatal(err)
	}
	if !near(p.Axes[0][0], 1, 1e-9) || !near(p.Var[1], 0, 1e-12) || !near(math.Hypot(p.Axes[1][1], p.Axes[1][2]), 1, 1e-9) {
		t.Errorf("points on x: axes %v, var %v", p.Axes, p.Var)
	}
}

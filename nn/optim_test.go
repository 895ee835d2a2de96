package nn

import (
	"math"
	"strings"
	"testing"
)

// TestOptimizerSteps checks two steps of each optimizer on one weight with a
// constant gradient against the update rules worked out by hand.
func TestOptimizerSteps(t *testing.T) {
	for _, c := range []struct {
		spec OptimizerSpec
		want [2]float64 // weight after step 1 and step 2, from w=1, g=0.5 (+L2)
	}{
		{OptimizerSpec{Kind: "sgd", LR: 0.1}, [2]float64{0.95, 0.90}},
		{OptimizerSpec{Kind: "sgd", LR: 0.1, Momentum: 0.9}, [2]float64{0.95, 0.855}},                      // v=-.05, then -.095
		{OptimizerSpec{Kind: "sgd", LR: 0.1, Momentum: 0.9, Nesterov: true}, [2]float64{0.905, 0.7695}},    // w += μv - lr·g
		{OptimizerSpec{Kind: "sgd", LR: 0.1, L2: 0.2}, [2]float64{1 - 0.1*0.7, 0.93 - 0.1*(0.5+0.2*0.93)}}, // g += λw
		{OptimizerSpec{Kind: "adam", LR: 0.01}, [2]float64{0.99, 0.98}},                                    // bias-corrected: step ≈ lr
		{OptimizerSpec{Kind: "adadelta"}, [2]float64{1 - math.Sqrt(1e-6)/math.Sqrt(0.05*0.25+1e-6)*0.5, math.NaN()}},
	} {
		p := newParam("w", true, 1)
		p.alloc()
		p.W[0] = 1
		opt, err := NewOptimizer(c.spec, []*Param{p})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			p.G[0] = 0.5
			opt.Step()
			if p.G[0] != 0 {
				t.Errorf("%+v: gradient not cleared", c.spec)
			}
			if math.IsNaN(c.want[i]) {
				continue
			}
			if math.Abs(float64(p.W[0])-c.want[i]) > 1e-5 {
				t.Errorf("%+v step %d: w = %.7f, want %.7f", c.spec, i+1, p.W[0], c.want[i])
			}
		}
	}
}

func TestOptimizerRejectsAbsurdSettings(t *testing.T) {
	for _, c := range []struct {
		spec OptimizerSpec
		want string
	}{
		{OptimizerSpec{Kind: "sgd", LR: -1}, "learning rate must be above 0 and at most 10, got -1"},
		{OptimizerSpec{Kind: "adam", LR: 1e9}, "learning rate"},
		{OptimizerSpec{Kind: "sgd", Momentum: 1}, "momentum"},
		{OptimizerSpec{Kind: "sgd", L2: math.NaN()}, "L2 decay"},
		{OptimizerSpec{Kind: "rmsprop"}, `unknown kind "rmsprop"`},
	} {
		if _, err := NewOptimizer(c.spec, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.spec, err, c.want)
		}
	}
}

package nn

import (
	"fmt"
	"math"
)

// OptimizerSpec chooses and configures an optimizer. Zero fields take the
// usual defaults (Adam: β1 0.9, β2 0.999, ε 1e-8; Adadelta: ρ 0.95, ε 1e-6,
// learning rate 1 as in ConvNetJS).
type OptimizerSpec struct {
	Kind     string  `json:"kind"` // "sgd", "adam" or "adadelta"
	LR       float64 `json:"lr,omitempty"`
	Momentum float64 `json:"momentum,omitempty"` // sgd only
	Nesterov bool    `json:"nesterov,omitempty"` // sgd only
	L2       float64 `json:"l2,omitempty"`       // weight decay on weights, not biases
	Beta1    float64 `json:"beta1,omitempty"`
	Beta2    float64 `json:"beta2,omitempty"`
	Rho      float64 `json:"rho,omitempty"`
	Eps      float64 `json:"eps,omitempty"`
}

// Optimizer updates parameters from their accumulated gradients.
type Optimizer interface {
	// Step applies one update to every parameter that is not Frozen from
	// its G, then clears every G.
	Step()
	// LR is the learning rate in use; SetLR changes it, for schedules that
	// decay it as training goes on.
	LR() float64
	SetLR(lr float64)
}

// NewOptimizer validates spec and returns an optimizer for params.
func NewOptimizer(spec OptimizerSpec, params []*Param) (Optimizer, error) {
	s := spec
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	switch s.Kind {
	case "sgd":
		def(&s.LR, 0.01)
	case "adam":
		def(&s.LR, 0.001)
		def(&s.Beta1, 0.9)
		def(&s.Beta2, 0.999)
		def(&s.Eps, 1e-8)
	case "adadelta":
		def(&s.LR, 1)
		def(&s.Rho, 0.95)
		def(&s.Eps, 1e-6)
	default:
		return nil, fmt.Errorf("optimizer: unknown kind %q (want sgd, adam or adadelta)", spec.Kind)
	}
	switch {
	case !(s.LR > 0 && s.LR <= 10):
		return nil, fmt.Errorf("optimizer: learning rate must be above 0 and at most 10, got %v", spec.LR)
	case !(s.Momentum >= 0 && s.Momentum < 1):
		return nil, fmt.Errorf("optimizer: momentum must be at least 0 and below 1, got %v", spec.Momentum)
	case !(s.L2 >= 0 && s.L2 < 1):
		return nil, fmt.Errorf("optimizer: L2 decay must be at least 0 and below 1, got %v", spec.L2)
	case !(s.Beta1 >= 0 && s.Beta1 < 1 && s.Beta2 >= 0 && s.Beta2 < 1):
		return nil, fmt.Errorf("optimizer: betas must be at least 0 and below 1, got %v and %v", spec.Beta1, spec.Beta2)
	case !(s.Rho >= 0 && s.Rho < 1):
		return nil, fmt.Errorf("optimizer: rho must be at least 0 and below 1, got %v", spec.Rho)
	case !(s.Eps >= 0 && s.Eps < 1):
		return nil, fmt.Errorf("optimizer: epsilon must be at least 0 and below 1, got %v", spec.Eps)
	}
	o := &optimizer{spec: s, params: params}
	o.m = make([][]float32, len(params))
	o.v = make([][]float32, len(params))
	for i, p := range params {
		o.m[i] = make([]float32, len(p.W))
		if s.Kind != "sgd" {
			o.v[i] = make([]float32, len(p.W))
		}
	}
	return o, nil
}

// optimizer keeps up to two state slices per parameter: SGD's velocity in m;
// Adam's first and second moments in m and v; Adadelta's running mean squares
// of gradients in m and of updates in v.
type optimizer struct {
	spec   OptimizerSpec
	params []*Param
	m, v   [][]float32
	t      int
}

func (o *optimizer) LR() float64 { return o.spec.LR }

func (o *optimizer) SetLR(lr float64) { o.spec.LR = lr }

func (o *optimizer) Step() {
	o.t++
	s := o.spec
	lr := float32(s.LR)
	for i, p := range o.params {
		if p.Frozen {
			clear(p.G) // Step clears every gradient, frozen or not
			continue
		}
		w, g, m, v := p.W, p.G[:len(p.W)], o.m[i][:len(p.W)], o.v[i]
		// vec's loops are the SIMD module's where the host installed it;
		// the updates also clear g
		if p.Decay && s.L2 > 0 {
			vec.decay(g, w, float32(s.L2))
		}
		switch s.Kind {
		case "sgd":
			vec.sgd(w, g, m, float32(s.Momentum), lr, s.Nesterov)
		case "adam":
			step := lr * float32(math.Sqrt(1-math.Pow(s.Beta2, float64(o.t)))/(1-math.Pow(s.Beta1, float64(o.t))))
			vec.adam(w, g, m, v, float32(s.Beta1), float32(s.Beta2), step, float32(s.Eps))
		case "adadelta":
			vec.adadelta(w, g, m, v, float32(s.Rho), float32(s.Eps), lr)
		}
		p.Changed()
	}
}

package nn

import "math/rand/v2"

// Dropout zeroes each value with probability rate while training and scales
// the survivors by 1/(1-rate) (inverted dropout), so inference is the
// identity and needs no rescaling.
type Dropout struct {
	name  string
	shape Shape
	rate  float32
	mask  []float32 // per value of the last training batch: 0 or 1/(1-rate)
	// identity is set when the last Forward kept every value (inference,
	// or rate 0): Backward then passes gradients through, and inference
	// writes no mask
	identity bool
	drawn    int // examples of the next training Forward whose mask is drawn
}

func (l *Dropout) Name() string     { return l.name }
func (l *Dropout) InShape() Shape   { return l.shape }
func (l *Dropout) OutShape() Shape  { return l.shape }
func (l *Dropout) Params() []*Param { return nil }
func (l *Dropout) FLOPs() int       { return 0 }

// Forward draws a fresh mask when training; otherwise copies.
//
// The mask's random numbers come from one 64-bit seed drawn from p.Rand per
// batch, stretched by splitmix64 (inlined: a few integer operations per 64
// bits, where p.Rand's PCG costs a 128-bit multiply and a call per draw,
// most of the layer's time under wasm). Each 64-bit value decides two
// units: a unit drops when its 32 bits fall below rate·2³². The same seed
// gives the same mask.
func (l *Dropout) Forward(out, in []float32, n int, p Pass) {
	checkLen(l.name, "input", len(in), n*l.shape.Size())
	out = out[:len(in)]
	l.identity = !p.Train || l.rate == 0
	if l.identity {
		copy(out, in)
		return
	}
	if l.drawn != n {
		l.draw(n, p.Rand)
	}
	l.drawn = 0
	mask := l.mask[:len(in)]
	for i, v := range in {
		out[i] = v * mask[i]
	}
}

// draw draws the mask of n examples.
func (l *Dropout) draw(n int, rng *rand.Rand) {
	l.mask = grow(l.mask, n*l.shape.Size())
	dropoutMask(l.mask, rng.Uint64(), uint32(float64(l.rate)*(1<<32)), 1/(1-l.rate))
	l.drawn = n
}

// dropoutMask fills mask with 0 where a 32-bit draw from the splitmix64
// stream seeded by seed is below drop, keep elsewhere, two values per
// 64-bit draw (low half first).
func dropoutMask(mask []float32, seed uint64, drop uint32, keep float32) {
	s := seed
	for i := 0; i < len(mask); i += 2 {
		s += 0x9e3779b97f4a7c15
		z := s
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
		m := float32(0)
		if uint32(z) >= drop {
			m = keep
		}
		mask[i] = m
		if i+1 < len(mask) {
			m = 0
			if uint32(z>>32) >= drop {
				m = keep
			}
			mask[i+1] = m
		}
	}
}

// Backward passes gradients through the kept values only.
func (l *Dropout) Backward(din, dout, _, _ []float32, n int) {
	if din == nil {
		return
	}
	if l.identity {
		copy(din, dout)
		return
	}
	mask := l.mask[:len(dout)]
	for i, g := range dout {
		din[i] = g * mask[i]
	}
}

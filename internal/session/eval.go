package session

import (
	"math"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
)

// evaluation is a test-set evaluation in progress, done in chunks of
// evalBatch images so that the worker keeps answering between them.
type evaluation struct {
	final    bool // training is over; post done at the end
	pos      int  // test images evaluated so far
	loss     float64
	right    int
	conf     [][]int
	mistakes []wire.Mistake
	x, img   []float32
}

// evaluate starts evaluating the current weights on the test set.
func (s *Session) evaluate(final bool) {
	if s.state != wire.StateEvaluating {
		s.after = s.state
	}
	k := s.net.Classes()
	e := &evaluation{final: final, conf: make([][]int, k)}
	for i := range e.conf {
		e.conf[i] = make([]int, k)
	}
	s.eval = e
	s.state = wire.StateEvaluating
}

// evalChunk evaluates the next test images and, after the last, appends
// the evaluation message (or the final snapshot and done).
func (s *Session) evalChunk(out []wire.Message) []wire.Message {
	e, set := s.eval, s.testSet
	in, k := s.net.InShape().Size(), s.net.Classes()
	n := min(evalBatch, s.tr.EvalBatch(), set.N-e.pos)
	if n > 0 {
		if len(e.x) < n*in {
			e.x = make([]float32, n*in)
			e.img = make([]float32, set.H*set.W)
		}
		for j := range n {
			s.net.Prepare(e.x[j*in:(j+1)*in], set.ImageTo(e.img, e.pos+j), set.H, set.W, nil)
		}
		prob := s.net.Forward(e.x[:n*in], n, nn.Pass{})
		for j := range n {
			p := prob[j*k : (j+1)*k]
			i := e.pos + j
			y, guess := int(set.Labels[i]), nn.Argmax(p)
			e.loss -= math.Log(max(float64(p[y]), 1e-30))
			e.conf[y][guess]++
			if y == guess {
				e.right++
			} else if len(e.mistakes) < MaxMistakes {
				e.mistakes = append(e.mistakes, wire.Mistake{Index: i, Label: y, Pred: guess, Prob: p[guess],
					Pixels: pixels(set.ImageTo(e.img, i))})
			}
		}
		e.pos += n
	}
	if e.pos < set.N {
		return out
	}
	test := wire.Test{N: set.N, Confusion: e.conf, Mistakes: e.mistakes, H: set.H, W: set.W, Seen: s.tr.Seen()}
	if set.N > 0 {
		test.Loss, test.Acc = e.loss/float64(set.N), float64(e.right)/float64(set.N)
	}
	s.eval = nil
	if e.final {
		s.state = wire.StateDone
		return append(out, s.snapshot(s.hasBest && s.reason != "stopped"),
			wire.Message{Kind: wire.KindDone, Done: &wire.Done{Reason: s.reason, Epochs: s.epochs, Seen: s.tr.Seen(),
				BestValAcc: s.bestVal, Test: test}},
			s.Status())
	}
	s.state = s.after
	s.lastProg = s.now()
	return append(out, wire.Message{Kind: wire.KindEvaluation, Test: &test}, s.Status())
}

// pixels converts an image in [0,1] to bytes, 0 to 255.
func pixels(img []float32) []byte {
	b := make([]byte, len(img))
	for i, v := range img {
		b[i] = uint8(math.Round(float64(min(max(v, 0), 1)) * 255))
	}
	return b
}

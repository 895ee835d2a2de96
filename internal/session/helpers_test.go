package session

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// chanPort is a Port to a Helper in a goroutine; every message goes through
// wire.Encode and wire.Decode, as between Web Workers.
type chanPort struct {
	toHelper, fromHelper chan wire.Message
	// tests receives every test job the helper answered, with its answer;
	// failTests makes it answer them with an error
	tests     chan wire.Message
	failTests bool
}

func roundTrip(t *testing.T, m wire.Message) wire.Message {
	head, body, err := wire.Encode(m)
	if err != nil {
		t.Errorf("encode %s: %v", m.Kind, err)
		return wire.ErrorMessage(err)
	}
	got, err := wire.Decode(head, body)
	if err != nil {
		t.Errorf("decode %s: %v", m.Kind, err)
		return wire.ErrorMessage(err)
	}
	return got
}

// startHelpers starts n helpers in goroutines, each reading the data
// itself; fail, if not nil, replaces the answer to a job.
func startHelpers(t *testing.T, n int, data Data, fail func(job int) *wire.Message) []Port {
	var ports []Port
	for range n {
		p := &chanPort{toHelper: make(chan wire.Message, 4), fromHelper: make(chan wire.Message, 4), tests: make(chan wire.Message, 8)}
		ports = append(ports, p)
		go func() {
			var h Helper
			jobs := 0
			for m := range p.toHelper {
				m = roundTrip(t, m)
				switch m.Kind {
				case wire.KindJoin:
					h.Join(*m.Join, func() (Data, error) { return data, nil })
				case wire.KindTestJob:
					a, _ := h.Handle(m)
					if p.failTests {
						a = wire.ErrorMessage(errors.New("out of memory"))
					}
					p.tests <- a
					p.fromHelper <- roundTrip(t, a)
				case wire.KindJob:
					a, ok := h.Handle(m)
					if !ok {
						continue
					}
					jobs++
					if fail != nil {
						if f := fail(jobs); f != nil {
							a = *f
						}
					}
					p.fromHelper <- roundTrip(t, a)
					h.Ahead()
				}
			}
		}()
		t.Cleanup(func() { close(p.toHelper) })
	}
	return ports
}

func (p *chanPort) Post(m wire.Message) error {
	if m.Weights != nil {
		m.Weights = slices.Clone(m.Weights) // Post must not keep them
	}
	p.toHelper <- m
	return nil
}

func (p *chanPort) Receive() (wire.Message, error) { return <-p.fromHelper, nil }

// TestHelpersTrainLikeGoroutineWorkers trains with helpers behind message
// ports and checks the weights against goroutine workers, bit for bit (with
// dropout and augmentation), also after a reset; and against one worker up
// to float rounding without them.
func TestHelpersTrainLikeGoroutineWorkers(t *testing.T) {
	data := fixtures(t)
	cfg := adadelta(32, 1)
	cfg.Augment = dataset.Augment{MaxShift: 2}
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: cfg, Validation: 100, Limit: 600}
	run := func(start wire.Start, helpers int) (*Session, []float32) {
		var s *Session
		var err error
		if helpers >= 0 {
			s, err = NewWithHelpers(start, data, nil, startHelpers(t, helpers, data, nil))
		} else {
			s, err = New(start, data, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		setClock(s, 0)
		for range 6 {
			s.Handle(wire.Command(wire.KindStep))
		}
		return s, s.Net().Weights()
	}
	for _, workers := range []int{2, 3} {
		st := start
		st.Config.Workers = workers
		_, want := run(st, -1)
		s, got := run(st, workers-1)
		if !slices.Equal(got, want) {
			t.Errorf("%d workers: helpers trained other weights than goroutines", workers)
		}
		if w := s.Started().Started.Workers; w != workers {
			t.Errorf("started says %d workers, want %d", w, workers)
		}
		// After a reset the helpers start their random streams again.
		s.Handle(wire.Command(wire.KindReset))
		for range 6 {
			s.Handle(wire.Command(wire.KindStep))
		}
		if !slices.Equal(s.Net().Weights(), want) {
			t.Errorf("%d workers: training again after reset gave other weights", workers)
		}
	}

	// Nothing random: one worker gives the same up to rounding.
	plain := start
	plain.Spec = preset(t, "lenet5") // convnetjs crops at random, mlp drops out
	plain.Config.Augment = dataset.Augment{}
	_, one := run(plain, -1)
	plain.Config.Workers = 2
	_, two := run(plain, 1)
	worst := 0.0
	for i := range one {
		worst = max(worst, float64(abs32(one[i]-two[i])))
	}
	if worst > 1e-4 || worst == 0 && !slices.Equal(one, two) {
		t.Errorf("two workers (one helper) differ from one worker by up to %g", worst)
	}
	t.Logf("one worker and two differ by up to %g", worst)
}

// TestHelpersRestoreAndNewSession: restoring the best weights mid-training
// brings the helpers the weights again and trains as goroutine workers do,
// bit for bit; and helpers that worked a batch ahead serve a new session
// once the old one is closed.
func TestHelpersRestoreAndNewSession(t *testing.T) {
	data := fixtures(t)
	cfg := adadelta(32, 3)
	cfg.Workers = 2
	cfg.Augment = dataset.Augment{MaxShift: 2}
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: cfg, Validation: 100, Limit: 300}
	ports := startHelpers(t, 1, data, nil)
	run := func(ports []Port) (*Session, []float32) {
		var s *Session
		var err error
		if ports != nil {
			s, err = NewWithHelpers(start, data, nil, ports)
		} else {
			s, err = New(start, data, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		setClock(s, 0)
		for range 9 { // past the first epoch of 7 batches
			s.Handle(wire.Command(wire.KindStep))
		}
		if out := s.Handle(wire.Command(wire.KindRestoreBest)); len(kinds(out, wire.KindError)) > 0 {
			t.Fatalf("restore best: %+v", kinds(out, wire.KindError)[0].Error)
		}
		for range 4 {
			s.Handle(wire.Command(wire.KindStep))
		}
		return s, s.Net().Weights()
	}
	_, want := run(nil)
	s, got := run(ports)
	if !slices.Equal(got, want) {
		t.Error("after restoring the best weights, helpers trained other weights than goroutines")
	}
	s.Close()
	if _, again := run(ports); !slices.Equal(again, want) {
		t.Error("a new session on the same helpers trained other weights")
	}
}

// failingPort is a Port whose posts fail.
type failingPort struct{ posts int }

func (p *failingPort) Post(wire.Message) error { p.posts++; return errors.New("cannot encode") }
func (p *failingPort) Receive() (wire.Message, error) {
	select {} // no answer ever comes
}

// TestRemotePostFails: a job that could not be posted is answered with the
// error at once, and so is every job after it, none of them posted: the
// helper is out of step.
func TestRemotePostFails(t *testing.T) {
	net, err := nn.Build(preset(t, "mlp"), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	p := &failingPort{}
	r := newRemote(p, net)
	r.Start(train.Job{Examples: []int{1}, Weights: net.WeightData()})
	r.Start(train.Job{Update: &train.Update{LR: 1, Grad: net.GradData()}})
	r.Start(train.Job{Examples: []int{2}})
	for range 2 {
		if _, err := r.Wait(); err == nil || !strings.Contains(err.Error(), "cannot encode") {
			t.Fatalf("wait: %v, want the post's error", err)
		}
	}
	if p.posts != 1 {
		t.Errorf("%d posts after the first failed", p.posts-1)
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// TestHelperFailure: a helper that fails makes the session say so and stop.
func TestHelperFailure(t *testing.T) {
	data := fixtures(t)
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "convnetjs"), Config: adadelta(20, 1), Validation: 100, Limit: 400}
	ports := startHelpers(t, 1, data, func(job int) *wire.Message {
		if job == 3 {
			m := wire.ErrorMessage(errors.New("out of memory"))
			return &m
		}
		return nil
	})
	s, err := NewWithHelpers(start, data, nil, ports)
	if err != nil {
		t.Fatal(err)
	}
	setClock(s, 0)
	var out []wire.Message
	for range 4 {
		out = append(out, s.Handle(wire.Command(wire.KindStep))...)
	}
	errs := kinds(out, wire.KindError)
	if len(errs) != 1 || !strings.Contains(errs[0].Error.Message, "training worker 2") || !strings.Contains(errs[0].Error.Message, "out of memory") {
		t.Fatalf("errors %+v, want one naming worker 2 and its message", errs)
	}
	if s.State() != wire.StateDone {
		t.Errorf("state %s after a helper failed, want done", s.State())
	}

	// A join that fails answers the jobs after it.
	var h Helper
	if err := h.Join(wire.Join{Start: start, Index: 1}, func() (Data, error) { return Data{}, errors.New("HTTP 404") }); err == nil {
		t.Fatal("a join without data succeeded")
	}
	if m, ok := h.Handle(wire.Message{Kind: wire.KindJob, Job: &wire.Job{Examples: []int{1}, Weights: true}, Weights: []float32{1}}); !ok || m.Kind != wire.KindError || !strings.Contains(m.Error.Message, "404") {
		t.Errorf("a job after a failed join: %+v", m)
	}

	// A job the helper cannot do is refused with a reason.
	h = Helper{}
	if m, ok := h.Handle(wire.Message{Kind: wire.KindJob, Job: &wire.Job{Examples: []int{1}, Weights: true}, Weights: []float32{1}}); !ok || m.Kind != wire.KindError {
		t.Errorf("a job before join: %+v", m)
	}
	join := func() {
		if err := h.Join(wire.Join{Start: start, Index: 1}, func() (Data, error) { return data, nil }); err != nil {
			t.Fatal(err)
		}
	}
	w := s.Net().Weights()
	for _, job := range []wire.Job{
		{Examples: []int{1}, Weights: true},
		{Examples: []int{100000}, Weights: true},
		{Examples: []int{1}},
		{Examples: []int{1}, Update: &wire.Update{LR: 1}},
	} {
		join()
		m := wire.Message{Kind: wire.KindJob, Job: &job}
		switch {
		case job.Weights && len(job.Examples) == 1 && job.Examples[0] == 1:
			m.Weights = []float32{1}
		case job.Weights || job.Update != nil:
			m.Weights = w
		}
		if a, ok := h.Handle(m); !ok || a.Kind != wire.KindError {
			t.Errorf("a bad job %+v was answered with %s", job, a.Kind)
		} else {
			t.Log(a.Error.Message)
		}
	}
	// A job that only takes a step is not answered, even when it fails:
	// its error answers the next job, and the weights put the helper right.
	join()
	if _, ok := h.Handle(wire.Message{Kind: wire.KindJob, Job: &wire.Job{Weights: true}, Weights: w}); ok {
		t.Error("a job without examples was answered")
	}
	if _, ok := h.Handle(wire.Message{Kind: wire.KindJob, Job: &wire.Job{Update: &wire.Update{LR: 1}}, Weights: w[:5]}); ok {
		t.Error("a job without examples was answered")
	}
	if a, ok := h.Handle(wire.Message{Kind: wire.KindJob, Job: &wire.Job{Examples: []int{1}}}); !ok || a.Kind != wire.KindError || !strings.Contains(a.Error.Message, "gradient of 5 values") {
		t.Errorf("the job after a failed step: %+v", a)
	}
	if a, ok := h.Handle(wire.Message{Kind: wire.KindJob, Job: &wire.Job{Examples: []int{1}, Weights: true}, Weights: w}); !ok || a.Kind != wire.KindGradient {
		t.Errorf("a job with the weights after a failed step: %+v", a)
	}
}

// TestHelpersDivergence: a helper's loss that is not a number (which JSON
// cannot carry) still reports divergence, in the same words.
func TestHelpersDivergence(t *testing.T) {
	data := fixtures(t)
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"),
		Config: train.Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 10}, BatchSize: 10, Epochs: 3, Seed: 1}}
	s, err := NewWithHelpers(start, data, nil, startHelpers(t, 1, data, nil))
	if err != nil {
		t.Fatal(err)
	}
	setClock(s, time.Millisecond)
	msgs := runToEnd(t, s)
	errs := kinds(msgs, wire.KindError)
	if len(errs) != 1 || !errs[0].Error.Diverged || !strings.Contains(errs[0].Error.Message, "too high") {
		t.Fatalf("errors %+v, want divergence", errs)
	}
}

// TestWorkersAuto: automatic worker counts give big batches of big networks
// several workers and small ones one; an explicit count is kept.
func TestWorkersAuto(t *testing.T) {
	for _, c := range []struct {
		preset      string
		batch, auto int
		workers     int // Config.Workers
		want        int
	}{
		{"keras", 128, 4, 0, 4},
		{"keras", 128, 2, 0, 2},
		{"keras", 8, 4, 0, 1},
		{"convnetjs", 20, 4, 0, 1},
		{"convnetjs", 20, 0, 3, 3},
		{"mlp", 128, 0, 0, 1},
	} {
		start := wire.Start{Spec: preset(t, c.preset), Config: train.Config{BatchSize: c.batch, Workers: c.workers}, AutoWorkers: c.auto}
		if got := Workers(start); got != c.want {
			t.Errorf("%s, batch %d, auto %d, workers %d: %d workers, want %d", c.preset, c.batch, c.auto, c.workers, got, c.want)
		}
	}
	s, err := New(wire.Start{Dataset: "mnist", Spec: preset(t, "convnetjs"), Config: adadelta(20, 1), Limit: 300, AutoWorkers: 4}, fixtures(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Started().Started.Workers; w != 1 {
		t.Errorf("auto workers for convnetjs, batch 20: started says %d", w)
	}
}

// TestEvaluationSpreadOverHelpers: when training stops, the helpers
// evaluate their ranges of the test images and the leader its own, and
// the result is the one a leader alone gets on the same weights: the same
// accuracy, confusion matrix and mistakes (pixels too), the loss up to
// rounding. A helper that fails its part leaves it to the leader, with the
// same result.
func TestEvaluationSpreadOverHelpers(t *testing.T) {
	data := fixtures(t)
	for _, c := range []struct {
		helpers int
		fail    bool
	}{{1, false}, {2, false}, {2, true}} {
		cfg := adadelta(20, 1)
		start := wire.Start{Dataset: "mnist", Spec: preset(t, "lenet5"), Config: cfg, Validation: 100, Limit: 400}
		ports := startHelpers(t, c.helpers, data, nil)
		if c.fail {
			ports[1].(*chanPort).failTests = true
		}
		s, err := NewWithHelpers(start, data, nil, ports)
		if err != nil {
			t.Fatal(err)
		}
		setClock(s, time.Millisecond)
		for range 5 {
			s.Handle(wire.Command(wire.KindStep))
		}
		s.Handle(wire.Command(wire.KindStop))
		done := kinds(runToEnd(t, s), wire.KindDone)
		if len(done) != 1 {
			t.Fatalf("%d helpers: no done message", c.helpers)
		}
		got := done[0].Done.Test

		// every helper answered one test job, of its share of the images
		n := s.testSet.N
		share := (n + c.helpers) / (c.helpers + 1)
		for i, p := range ports {
			select {
			case a := <-p.(*chanPort).tests:
				if c.fail && i == 1 {
					if a.Kind != wire.KindError {
						t.Errorf("helper %d answered %s", i+1, a.Kind)
					}
					continue
				}
				if a.Kind != wire.KindTestPart || a.TestPart.From != (i+1)*share || a.TestPart.N != min((i+2)*share, n)-(i+1)*share {
					t.Errorf("%d helpers: helper %d answered %+v, want its share of %d images from %d", c.helpers, i+1, a, share, (i+1)*share)
				}
			default:
				t.Errorf("%d helpers: helper %d had no test job", c.helpers, i+1)
			}
		}

		alone, err := New(start, data, s.Net().Weights())
		if err != nil {
			t.Fatal(err)
		}
		setClock(alone, time.Millisecond)
		alone.Handle(wire.Command(wire.KindStop))
		want := kinds(runToEnd(t, alone), wire.KindDone)[0].Done.Test
		if got.N != want.N || got.Acc != want.Acc || !slices.EqualFunc(got.Confusion, want.Confusion, slices.Equal) {
			t.Errorf("%d helpers: accuracy %v, confusion %v; alone %v, %v", c.helpers, got.Acc, got.Confusion, want.Acc, want.Confusion)
		}
		if len(got.Mistakes) != len(want.Mistakes) || len(got.Mistakes) == 0 {
			t.Fatalf("%d helpers: %d mistakes, alone %d", c.helpers, len(got.Mistakes), len(want.Mistakes))
		}
		for i, m := range got.Mistakes {
			w := want.Mistakes[i]
			if m.Index != w.Index || m.Label != w.Label || m.Pred != w.Pred || m.Prob != w.Prob || !slices.Equal(m.Pixels, w.Pixels) {
				t.Fatalf("%d helpers: mistake %d is image %d (%d as %d, %v), alone image %d (%d as %d, %v), or their pixels differ",
					c.helpers, i, m.Index, m.Label, m.Pred, m.Prob, w.Index, w.Label, w.Pred, w.Prob)
			}
		}
		if d := math.Abs(got.Loss - want.Loss); d > 1e-12*want.Loss {
			t.Errorf("%d helpers: loss %v, alone %v", c.helpers, got.Loss, want.Loss)
		}
		s.Close()
	}
}

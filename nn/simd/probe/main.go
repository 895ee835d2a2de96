//go:build js && wasm

// Command probe runs in a Web Worker in place of worker.wasm, loaded by
// web/worker.js, for nn/simd's Chromium test: it reports whether the loader
// installed the SIMD128 kernel (and nn the fused one), checks that both
// kernels compute the same outputs up to rounding, and times training and inference with each. It posts one message,
// {head: JSON}, and exits.
package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"syscall/js"
	"time"

	"github.com/cnnplay/cnnplay/nn"
)

// Result is the probe's report; the test decodes the same fields.
type Result struct {
	Kind    string             `json:"kind"` // "probe"
	SIMD    bool               `json:"simd"` // installed by the loader
	FMA     bool               `json:"fma"`  // the fused kernel (relaxed SIMD) in use
	MaxDiff float64            `json:"maxDiff"`
	Rates   map[string]float64 `json:"rates"` // examples/s by "task/kernel"
	Error   string             `json:"error,omitempty"`
}

func main() {
	r := Result{Kind: "probe", SIMD: nn.WasmSIMD(), FMA: nn.WasmFMA(), Rates: map[string]float64{}}
	if err := run(&r); err != nil {
		r.Error = err.Error()
	}
	head, _ := json.Marshal(r)
	js.Global().Call("postMessage", map[string]any{"head": string(head)})
}

func run(r *Result) error {
	kernels := []bool{false}
	if r.SIMD {
		kernels = append(kernels, true)
	}
	var outs [2][]float32
	for _, simd := range kernels {
		nn.SetWasmSIMD(simd)
		name := map[bool]string{false: "portable", true: "simd"}[simd]
		for _, task := range []struct {
			name, preset string
			batch        int
			train        bool
		}{{"train-convnetjs-b20", "convnetjs", 20, true}, {"infer-convnetjs-b100", "convnetjs", 100, false},
			{"infer-keras-b100", "keras", 100, false}, {"infer-keras-b1", "keras", 1, false}} {
			spec, err := nn.Preset(task.preset)
			if err != nil {
				return err
			}
			rng := rand.New(rand.NewPCG(1, 1))
			net, err := nn.Build(spec, rng)
			if err != nil {
				return err
			}
			x := make([]float32, task.batch*spec.Input.Size())
			for i := range x {
				x[i] = rng.Float32()
			}
			labels := make([]uint8, task.batch)
			step := func() {
				if task.train {
					net.Gradient(x, labels, task.batch, nn.Pass{Train: true, Rand: rng})
				} else {
					net.Forward(x, task.batch, nn.Pass{})
				}
			}
			step()
			if task.name == "infer-keras-b100" {
				i := 0
				if simd {
					i = 1
				}
				outs[i] = append([]float32(nil), net.Forward(x, task.batch, nn.Pass{})...)
			}
			n, start := 0, time.Now()
			for time.Since(start) < 500*time.Millisecond {
				step()
				n += task.batch
			}
			r.Rates[task.name+"/"+name] = float64(n) / time.Since(start).Seconds()
		}
	}
	if outs[1] != nil {
		for i := range outs[0] {
			r.MaxDiff = math.Max(r.MaxDiff, math.Abs(float64(outs[0][i]-outs[1][i])))
		}
	}
	nn.SetWasmSIMD(true)
	return nil
}

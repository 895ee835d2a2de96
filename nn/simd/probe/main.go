//go:build js && wasm

// Command probe runs in a Web Worker in place of worker.wasm, loaded by
// web/worker.js, for nn/simd's Chromium test: it reports whether the loader
// installed the SIMD128 kernel (and nn the fused one), checks that both
// kernels compute the same outputs up to rounding, and times training and inference with each. It posts one message,
// {head: JSON}, and exits.
package main

import (
	"encoding/json"
	"fmt"
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
	// LayerMS is one keras image's time in each layer, in milliseconds,
	// on the SIMD kernel, keyed "index-name" (BenchmarkInferLayers' rows,
	// in the browser)
	LayerMS map[string]float64 `json:"layerMS,omitempty"`
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
			net, spec, rng, err := build(task.preset)
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
	if r.SIMD {
		return timeLayers(r)
	}
	return nil
}

// timeLayers times each layer of the keras preset on one drawn digit, as
// nn's BenchmarkInferLayers does natively and in node on an MNIST digit:
// each layer runs on its predecessor's output of one forward pass, for
// 200 ms. A digit, not noise: a dense layer skips its zero inputs.
func timeLayers(r *Result) error {
	net, _, _, err := build("keras")
	if err != nil {
		return err
	}
	x := seven()
	net.Forward(x, 1, nn.Pass{})
	r.LayerMS = map[string]float64{}
	for i, l := range net.Layers {
		in := x
		if i > 0 {
			in = net.Output(i - 1)
		}
		out := make([]float32, l.OutShape().Size())
		n, start := 0, time.Now()
		for time.Since(start) < 200*time.Millisecond {
			l.Forward(out, in, 1, nn.Pass{})
			n++
		}
		r.LayerMS[fmt.Sprintf("%02d-%s", i, l.Name())] = time.Since(start).Seconds() * 1000 / float64(n)
	}
	n, start := 0, time.Now()
	for time.Since(start) < 500*time.Millisecond {
		net.Forward(x, 1, nn.Pass{})
		n++
	}
	r.LayerMS["all"] = time.Since(start).Seconds() * 1000 / float64(n)
	return nil
}

// seven draws a 7 on a black 28×28 canvas, as a user would: a bar and a
// diagonal about two pixels thick, with soft edges.
func seven() []float32 {
	x := make([]float32, 28*28)
	stroke := func(x0, y0, x1, y1 float64) {
		for py := 0; py < 28; py++ {
			for px := 0; px < 28; px++ {
				// distance from the pixel's centre to the segment
				cx, cy := float64(px)+0.5, float64(py)+0.5
				dx, dy := x1-x0, y1-y0
				t := math.Max(0, math.Min(1, ((cx-x0)*dx+(cy-y0)*dy)/(dx*dx+dy*dy)))
				d := math.Hypot(cx-x0-t*dx, cy-y0-t*dy)
				v := float32(math.Max(0, math.Min(1, 1.8-d)))
				x[py*28+px] = max(x[py*28+px], v)
			}
		}
	}
	stroke(7, 7, 21, 7)
	stroke(21, 7, 12, 22)
	return x
}

// build builds a preset with seed 1, and returns the generator that drew
// its weights for the rest of the run.
func build(preset string) (*nn.Network, nn.Spec, *rand.Rand, error) {
	spec, err := nn.Preset(preset)
	if err != nil {
		return nil, spec, nil, err
	}
	rng := rand.New(rand.NewPCG(1, 1))
	net, err := nn.Build(spec, rng)
	return net, spec, rng, err
}

//go:build js && wasm

// Command cnnwasm exposes the cnnplay engine to the peer benchmark's
// JavaScript harness, so that cnnplay is timed by the same code as the
// peers, in Chromium and in node.
//
// It sets globalThis.cnnplay to an object with three functions:
//
//	load(preset, images, labels, n)  build the preset (seeded) and adadelta
//	                                 over it; images is a Float32Array of n
//	                                 prepared examples, labels a Uint8Array
//	train(start, batch)              one training step on examples
//	                                 start..start+batch (modulo n)
//	infer(start, batch)              a forward pass on those examples;
//	                                 returns the first class of the first one
//
// and then waits forever, serving the calls. The engine uses the SIMD128
// GEMM kernel when the host set globalThis.cnnplaySIMD before go.run, as
// web/worker.js does.
package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"syscall/js"

	"github.com/cnnplay/cnnplay/nn"
)

type bench struct {
	net    *nn.Network
	opt    nn.Optimizer
	rng    *rand.Rand
	size   int       // values per example
	n      int       // examples held
	images []float32 // n*size values
	labels []uint8
	x      []float32 // the batch, when it wraps around the end
	y      []uint8
}

func (b *bench) load(preset string, images, labels js.Value, n int) error {
	spec, err := nn.Preset(preset)
	if err != nil {
		return err
	}
	b.rng = rand.New(rand.NewPCG(1, 1))
	if b.net, err = nn.Build(spec, b.rng); err != nil {
		return err
	}
	b.opt, err = nn.NewOptimizer(nn.OptimizerSpec{Kind: "adadelta", LR: 1, Rho: 0.95, Eps: 1e-6}, b.net.Params())
	if err != nil {
		return err
	}
	b.size, b.n = spec.Input.Size(), n
	if got := images.Length(); got != n*b.size {
		return fmt.Errorf("cnnplay.load: %d image values, want %d×%d", got, n, b.size)
	}
	raw := make([]byte, 4*n*b.size)
	js.CopyBytesToGo(raw, js.Global().Get("Uint8Array").New(images.Get("buffer"), images.Get("byteOffset"), 4*n*b.size))
	b.images = make([]float32, n*b.size)
	for i := range b.images {
		b.images[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	b.labels = make([]uint8, n)
	js.CopyBytesToGo(b.labels, labels)
	return nil
}

// batch returns examples start..start+k, wrapping around.
func (b *bench) batch(start, k int) ([]float32, []uint8) {
	start %= b.n
	if start+k <= b.n {
		return b.images[start*b.size : (start+k)*b.size], b.labels[start : start+k]
	}
	b.x, b.y = b.x[:0], b.y[:0]
	for i := range k {
		j := (start + i) % b.n
		b.x = append(b.x, b.images[j*b.size:(j+1)*b.size]...)
		b.y = append(b.y, b.labels[j])
	}
	return b.x, b.y
}

func main() {
	var b bench
	api := js.Global().Get("Object").New()
	api.Set("load", js.FuncOf(func(_ js.Value, a []js.Value) any {
		if err := b.load(a[0].String(), a[1], a[2], a[3].Int()); err != nil {
			return err.Error()
		}
		return nil
	}))
	api.Set("train", js.FuncOf(func(_ js.Value, a []js.Value) any {
		k := a[1].Int()
		x, y := b.batch(a[0].Int(), k)
		loss, _ := b.net.Gradient(x, y, k, nn.Pass{Train: true, Rand: b.rng})
		b.opt.Step()
		return loss
	}))
	api.Set("infer", js.FuncOf(func(_ js.Value, a []js.Value) any {
		k := a[1].Int()
		x, _ := b.batch(a[0].Int(), k)
		return nn.Argmax(b.net.Forward(x, k, nn.Pass{})[:b.net.Classes()])
	}))
	// simd and fma say whether the engine took the SIMD128 module and its
	// fused multiply-add kernel, so the table reports the path that ran.
	api.Set("simd", nn.WasmSIMD())
	api.Set("fma", nn.WasmFMA())
	js.Global().Set("cnnplay", api)
	select {}
}

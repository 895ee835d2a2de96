package app

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cnnplay/cnnplay/internal/session"
	"github.com/cnnplay/cnnplay/nn"
)

// maxPreviewParams bounds the networks the editor builds to show their
// shapes: building allocates every weight and its gradient, and a Go
// WebAssembly heap never shrinks, so the UI refuses larger networks from an
// estimate before allocating anything. The presets have at most 1.2 million.
const maxPreviewParams = 8 << 20

// layerInfo is one row of the architecture editor.
type layerInfo struct {
	Name   string // as nn names it: conv1, relu2, …
	Out    nn.Shape
	Params int
	FLOPs  int
	Err    string // Build's error, when it names this layer
}

// archInfo is what the editor shows about a spec: every layer's output shape,
// parameters and cost, the totals, and what is wrong with it if anything.
type archInfo struct {
	Layers    []layerInfo
	Params    int
	FLOPs     int
	Memory    int64   // training memory with the batch size
	EpochSecs float64 // estimated time of one epoch in the browser
	Err       string  // what is wrong, in words; "" when the spec can train
	Built     bool    // whether shapes and counts are known
}

// analyzeSpec checks spec for training with batch size batch on trainN
// images of a dataset with classes classes, without allocating a network
// that is too large (see maxPreviewParams and session.MaxMemoryBytes).
func analyzeSpec(spec nn.Spec, batch, trainN, classes int) archInfo {
	var info archInfo
	counts := map[string]int{}
	for _, ls := range spec.Layers {
		counts[ls.Type]++
		info.Layers = append(info.Layers, layerInfo{Name: fmt.Sprintf("%s%d", ls.Type, counts[ls.Type])})
	}
	params, acts, flops := estimate(spec)
	mem := 4 * (4*params + 2*acts*float64(max(batch, 1)))
	secs := 3 * flops * float64(trainN) / session.AssumedFLOPS
	switch {
	case mem > float64(session.MaxMemoryBytes):
		info.Err = fmt.Sprintf("this network is too large to train in a browser tab: with batch size %d it needs about %s "+
			"(at most %s fits), and one epoch would take about %s; use a smaller batch, fewer filters or units, or pooling earlier",
			batch, bytesText(mem), bytesText(float64(session.MaxMemoryBytes)), durationText(secs))
		return info
	case params > maxPreviewParams:
		info.Err = fmt.Sprintf("this network has about %.0f million parameters, more than the %d million this page trains "+
			"(it would need about %s and one epoch would take about %s); use fewer filters or units, or pooling earlier",
			params/1e6, maxPreviewParams>>20, bytesText(mem), durationText(secs))
		return info
	}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		info.Err = err.Error()
		for i := range info.Layers {
			if n := info.Layers[i].Name; len(info.Err) > len(n) && info.Err[:len(n)+1] == n+":" {
				info.Layers[i].Err = info.Err[len(n)+2:]
			}
		}
		return info
	}
	for i, l := range net.Layers {
		li := &info.Layers[i]
		li.Out, li.FLOPs = l.OutShape(), l.FLOPs()
		for _, p := range l.Params() {
			li.Params += len(p.W)
		}
	}
	info.Built = true
	info.Params, info.FLOPs = net.ParamCount(), net.FLOPs()
	info.Memory = net.MemoryBytes(max(batch, 1))
	info.EpochSecs = 3 * float64(info.FLOPs) * float64(trainN) / session.AssumedFLOPS
	switch {
	case info.Memory > session.MaxMemoryBytes:
		info.Err = fmt.Sprintf("this network is too large to train in a browser tab: with batch size %d it needs about %s (at most %s fits)",
			batch, bytesText(float64(info.Memory)), bytesText(float64(session.MaxMemoryBytes)))
	case info.EpochSecs > session.MaxEpochSeconds:
		info.Err = fmt.Sprintf("this network is too slow to train in a browser tab: one epoch would take about %s", durationText(info.EpochSecs))
	case net.Classes() != classes:
		info.Err = fmt.Sprintf("the network tells %d classes apart but the dataset has %d: the last dense layer needs %d units",
			net.Classes(), classes, classes)
	}
	return info
}

// estimate walks the layer shapes as nn.Build would, roughly, to bound the
// parameters, activation values per example and forward cost before
// anything is allocated. Layers that do not fit end the walk (Build will
// explain them).
func estimate(spec nn.Spec) (params, acts, flops float64) {
	h, w, c := float64(spec.Input.H), float64(spec.Input.W), float64(spec.Input.C)
	for _, ls := range spec.Layers {
		switch ls.Type {
		case "conv":
			s := float64(max(ls.Stride, 1))
			k, p, f := float64(ls.Size), float64(ls.Pad), float64(ls.Filters)
			oh, ow := math.Floor((h+2*p-k)/s)+1, math.Floor((w+2*p-k)/s)+1
			if oh < 1 || ow < 1 || k < 1 || f < 1 {
				return
			}
			params += k*k*c*f + f
			flops += 2 * k * k * c * f * oh * ow
			h, w, c = oh, ow, f
		case "maxpool", "avgpool":
			k := float64(ls.Size)
			s := float64(ls.Stride)
			if s == 0 {
				s = k
			}
			if k < 1 || s < 1 || k > h || k > w {
				return
			}
			h, w = math.Floor((h-k)/s)+1, math.Floor((w-k)/s)+1
		case "dense":
			u := float64(ls.Units)
			if u < 1 {
				return
			}
			params += h*w*c*u + u
			flops += 2 * h * w * c * u
			h, w, c = 1, 1, u
		case "flatten":
			h, w, c = 1, 1, h*w*c
		}
		acts += h * w * c
	}
	return params, acts, flops
}

// bytesText formats a size: 12 KB, 340 MB, 1.5 GB.
func bytesText(n float64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", n/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", n/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", math.Max(n/(1<<10), 1))
}

// durationText formats an estimated duration briefly.
func durationText(secs float64) string {
	switch {
	case secs >= 2*86400:
		return fmt.Sprintf("%.0f days", secs/86400)
	case secs >= 7200:
		return fmt.Sprintf("%.0f hours", secs/3600)
	case secs >= 120:
		return fmt.Sprintf("%.0f minutes", secs/60)
	}
	return fmt.Sprintf("%.0f seconds", math.Max(secs, 1))
}

// flopsText formats a forward cost: 1.2 MFLOP.
func flopsText(n int) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GFLOP", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2f MFLOP", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kFLOP", float64(n)/1e3)
	}
	return fmt.Sprintf("%d FLOP", n)
}

package app

import (
	"fmt"
	"strings"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/nn"
)

// layerInfo is one row of the architecture editor.
type layerInfo struct {
	Name   string // as nn names it: conv1, relu2, …
	Out    nn.Shape
	Params int
	FLOPs  int
	Err    string // the error, when it names this layer
}

// archInfo is what the editor shows about a spec: every layer's output shape,
// parameters and cost, the totals, and what is wrong with it if anything.
type archInfo struct {
	Layers []layerInfo
	Params int
	FLOPs  int
	Memory int64  // training memory with the batch size
	Err    string // what is wrong, in words; "" when the spec can train
	Built  bool   // whether shapes and counts are known
}

// analyzeSpec checks spec for training with batch size batch on trainN
// images of a dataset with classes classes. It allocates no weights
// (nn.Analyze), and refuses what the worker would refuse, in its words
// (budget.CheckFits).
func analyzeSpec(spec nn.Spec, batch, trainN, classes int) archInfo {
	var info archInfo
	counts := map[string]int{}
	for _, ls := range spec.Layers {
		counts[ls.Type]++
		info.Layers = append(info.Layers, layerInfo{Name: fmt.Sprintf("%s%d", ls.Type, counts[ls.Type])})
	}
	sum, err := nn.Analyze(spec)
	if err != nil {
		info.Err = err.Error()
		for i := range info.Layers {
			if n := info.Layers[i].Name; strings.HasPrefix(info.Err, n+": ") {
				info.Layers[i].Err = info.Err[len(n)+2:]
			}
		}
		return info
	}
	for i, l := range sum.Layers {
		info.Layers[i] = layerInfo{Name: l.Name, Out: l.Out, Params: l.Params, FLOPs: l.FLOPs}
	}
	info.Built = true
	info.Params, info.FLOPs = sum.Params, sum.FLOPs
	info.Memory = sum.TrainingBytes(max(batch, 1))
	if err := budget.CheckFits(sum, max(batch, 1), trainN, classes); err != nil {
		info.Err = err.Error()
	}
	return info
}

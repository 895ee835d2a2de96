package nn

import (
	"errors"
	"fmt"
	"slices"
)

// TransferSpec returns the architecture that learns k classes with the
// features of a network of architecture from: the same layers, its
// classifier sized to k classes (WithClasses), and, when freeze is set,
// its convolution layers frozen. CopyFeatures then gives the new network
// the trained convolution weights; its dense layers start afresh.
func TransferSpec(from Spec, k int, freeze bool) (Spec, error) {
	s, err := WithClasses(from, k)
	if err != nil {
		return s, err
	}
	for i := range s.Layers {
		if s.Layers[i].Type == "conv" {
			s.Layers[i].Frozen = freeze
		}
	}
	return s, nil
}

// CopyFeatures copies into dst the weights of the convolution layers of src
// that dst has in the same place: walking both networks from the input,
// while their input normalisation and layers are the same (frozen or not),
// each conv layer's weights and biases are copied; the walk stops at the
// first layer that differs or the first dense layer, where the classifier
// of each network's own task begins. It returns the names of the layers
// copied, and an error when none could be, saying why.
func CopyFeatures(dst, src *Network) ([]string, error) {
	if dst.Spec.Input != src.Spec.Input || dst.Spec.Mean != src.Spec.Mean || dst.Spec.Std != src.Spec.Std {
		return nil, fmt.Errorf("the networks take different inputs (%s, mean %v, std %v and %s, mean %v, std %v): their features do not carry over",
			dst.Spec.Input, dst.Spec.Mean, dst.Spec.Std, src.Spec.Input, src.Spec.Mean, src.Spec.Std)
	}
	var copied []string
	for i := range min(len(dst.Layers), len(src.Layers)) {
		a, b := dst.Spec.Layers[i], src.Spec.Layers[i]
		a.Frozen, b.Frozen = false, false
		if a != b || a.Type == "dense" {
			break
		}
		if a.Type != "conv" {
			continue
		}
		dp, sp := dst.Layers[i].Params(), src.Layers[i].Params()
		for j := range dp {
			if !slices.Equal(dp[j].Dims, sp[j].Dims) { // the same spec on the same input: cannot happen
				panic(fmt.Sprintf("nn: %s has %v weights in one network and %v in the other", dp[j].Name, dp[j].Dims, sp[j].Dims))
			}
			copy(dp[j].W, sp[j].W)
			dp[j].Changed()
		}
		copied = append(copied, dst.Layers[i].Name())
	}
	if len(copied) == 0 {
		return nil, errors.New("the networks share no convolution layers at their start: nothing to carry over")
	}
	return copied, nil
}

package app

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/nn"
)

// The compact layer list of an arch parameter: layers joined by "-" (or
// ","), each a type name with its numbers:
//
//	conv<filters>k<kernel>[s<stride>][p<pad>]   conv8k5p2
//	maxpool<window>[s<stride>]                   maxpool2, maxpool3s2
//	avgpool<window>[s<stride>]
//	dense<units>                                 dense10
//	dropout<rate>                                dropout0.25
//	leakyrelu[<alpha>]                           leakyrelu, leakyrelu0.1
//	relu, tanh, sigmoid, flatten, softmax
//
// The LeNet-5 preset is
// conv6k5p2-relu-maxpool2-conv16k5-relu-maxpool2-flatten-dense120-relu-dense84-relu-dense10-softmax.
var (
	archConv  = regexp.MustCompile(`^conv([0-9]{1,4})k([0-9]{1,2})(?:s([0-9]{1,2}))?(?:p([0-9]{1,2}))?$`)
	archPool  = regexp.MustCompile(`^(maxpool|avgpool)([0-9]{1,2})(?:s([0-9]{1,2}))?$`)
	archDense = regexp.MustCompile(`^dense([0-9]{1,5})$`)
	archRate  = regexp.MustCompile(`^(dropout|leakyrelu)((?:0|1)?(?:\.[0-9]{1,6})?)$`)
	archPlain = []string{"relu", "tanh", "sigmoid", "flatten", "softmax"}
)

// maxArchLayers bounds the layers a link may carry (nn allows 64).
const maxArchLayers = 64

// parseArch reads a compact layer list. It checks only the syntax and the
// number of layers: nn.Build (through analyzeSpec) checks the rest.
func parseArch(v string) ([]nn.LayerSpec, error) {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == ',' })
	if len(parts) == 0 {
		return nil, fmt.Errorf("no layers")
	}
	if len(parts) > maxArchLayers {
		return nil, fmt.Errorf("%d layers; at most %d", len(parts), maxArchLayers)
	}
	atoi := func(s string) int {
		n, _ := strconv.Atoi(s) // the patterns allow only short digit runs
		return n
	}
	layers := make([]nn.LayerSpec, 0, len(parts))
	for i, p := range parts {
		var ls nn.LayerSpec
		switch {
		case slices.Contains(archPlain, p):
			ls.Type = p
		case archConv.MatchString(p):
			m := archConv.FindStringSubmatch(p)
			ls = nn.LayerSpec{Type: "conv", Filters: atoi(m[1]), Size: atoi(m[2]), Stride: atoi(m[3]), Pad: atoi(m[4])}
		case archPool.MatchString(p):
			m := archPool.FindStringSubmatch(p)
			ls = nn.LayerSpec{Type: m[1], Size: atoi(m[2]), Stride: atoi(m[3])}
		case archDense.MatchString(p):
			ls = nn.LayerSpec{Type: "dense", Units: atoi(archDense.FindStringSubmatch(p)[1])}
		case archRate.MatchString(p):
			m := archRate.FindStringSubmatch(p)
			var r float64
			if m[2] != "" {
				var err error
				if r, err = strconv.ParseFloat(m[2], 64); err != nil {
					return nil, fmt.Errorf("layer %d: %s is not a number", i+1, quoteShort(m[2]))
				}
			}
			ls.Type = m[1]
			if m[1] == "dropout" {
				ls.Rate = r
			} else {
				ls.Alpha = r
			}
		default:
			return nil, fmt.Errorf("layer %d, %s, is not a layer (for example conv8k5p2, relu, maxpool2, dense10, dropout0.25, softmax)", i+1, quoteShort(p))
		}
		layers = append(layers, ls)
	}
	return layers, nil
}

// formatArch writes layers as parseArch reads them.
func formatArch(layers []nn.LayerSpec) string {
	parts := make([]string, len(layers))
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for i, ls := range layers {
		s := ls.Type
		switch ls.Type {
		case "conv":
			s = fmt.Sprintf("conv%dk%d", ls.Filters, ls.Size)
			if ls.Stride != 0 {
				s += fmt.Sprintf("s%d", ls.Stride)
			}
			if ls.Pad != 0 {
				s += fmt.Sprintf("p%d", ls.Pad)
			}
		case "maxpool", "avgpool":
			s = fmt.Sprintf("%s%d", ls.Type, ls.Size)
			if ls.Stride != 0 {
				s += fmt.Sprintf("s%d", ls.Stride)
			}
		case "dense":
			s = fmt.Sprintf("dense%d", ls.Units)
		case "dropout":
			s = "dropout" + num(ls.Rate)
		case "leakyrelu":
			if ls.Alpha != 0 {
				s += num(ls.Alpha)
			}
		}
		parts[i] = s
	}
	return strings.Join(parts, "-")
}

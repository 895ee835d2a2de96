package model

import (
	"fmt"

	"github.com/cnnplay/cnnplay/nn"
)

// Limits that Decode checks before it allocates anything in proportion to
// what a file says, so that a small file cannot make it allocate much: a
// 400-byte file can declare 52 million parameters or a gigabyte of
// activations, and a megabyte of JSON header can declare a third of a
// million layers.
const (
	// MaxFileBytes bounds what Decode reads, far above any network the
	// playground builds (nn limits networks to 50M parameters: 200 MB).
	// Within it, the weights must be the file's own bytes: a header's
	// architecture must have exactly as many parameters as the file holds
	// weights, so nothing is allocated for weights that are not there.
	MaxFileBytes = 256 << 20

	// MaxHeaderBytes is the largest JSON header: a network's description
	// and a thousand class names fit in a small part of it.
	MaxHeaderBytes = 1 << 20

	// MaxListItems is the most elements any list in the header may hold;
	// the class names are the longest list (nn allows up to 1000 classes).
	// A scan that allocates nothing checks it before the header is
	// decoded: a megabyte of empty list items decodes into over 100 MB.
	MaxListItems = 1000

	// MaxNesting is the deepest the header's JSON may nest; a cnnplay
	// header nests four deep.
	MaxNesting = 16

	// MaxLayers is the most layers an architecture may have, nn's own
	// limit, checked before the architecture is analysed.
	MaxLayers = 64

	// MaxActivationBytes bounds the memory one example's activations take
	// in inference: the input and every layer's output, as float32. It is
	// half what a browser tab may hold for training
	// (internal/session.MaxMemoryBytes, 1.5 GiB, counts each activation
	// twice, with its gradient), so a model the page could train at batch
	// size 1 always loads.
	MaxActivationBytes = 768 << 20
)

// checkArchitecture returns an error if h's architecture is invalid or
// beyond the limits above, or if it does not have count parameters, the
// weights the file holds. It builds nothing.
func checkArchitecture(h *header, count int) error {
	if n := len(h.Spec.Layers); n > MaxLayers {
		return fmt.Errorf("model: architecture: %d layers; at most %d are allowed", n, MaxLayers)
	}
	sum, err := nn.Analyze(h.Spec)
	if err != nil {
		return fmt.Errorf("model: architecture: %w", err)
	}
	if sum.Params != count {
		return fmt.Errorf("model: the architecture has %d weights; the file holds %d", sum.Params, count)
	}
	acts := int64(h.Spec.Input.Size())
	for _, l := range sum.Layers {
		acts += int64(l.Out.Size())
	}
	if 4*acts > MaxActivationBytes {
		return fmt.Errorf("model: the activations of one example take %d MiB; at most %d MiB are allowed", 4*acts>>20, MaxActivationBytes>>20)
	}
	if len(h.Classes) != sum.Classes {
		return fmt.Errorf("model: %d class names for a network with %d classes", len(h.Classes), sum.Classes)
	}
	return nil
}

// checkLists returns an error if the JSON text j holds a list longer than
// MaxListItems or nests deeper than MaxNesting (see scanLists).
func checkLists(j []byte) error {
	items, depth := scanLists(j)
	if depth > MaxNesting {
		return fmt.Errorf("model: header: nested more than %d deep", MaxNesting)
	}
	if items > MaxListItems {
		return fmt.Errorf("model: header: a list of more than %d items", MaxListItems)
	}
	return nil
}

// scanLists returns the number of elements of the longest array in the
// JSON text j and how deep j nests, up to one past MaxNesting (it stops
// there), without allocating. j need not be valid JSON: the answer is then
// meaningless but harmless, as decoding j fails anyway.
func scanLists(j []byte) (items, depth int) {
	// Per open bracket: whether it is an array, its elements so far, and
	// whether anything follows its last comma.
	var stack [MaxNesting + 1]struct {
		array     bool
		n         int
		something bool
	}
	d := 0 // open brackets
	inString, escaped := false, false
	for _, c := range j {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if d > 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ']' && c != '}' && c != ',' {
			stack[d-1].something = true
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if d == len(stack) {
				return items, d + 1
			}
			stack[d].array, stack[d].n, stack[d].something = c == '[', 0, false
			d++
			depth = max(depth, d)
		case ',':
			if d > 0 {
				stack[d-1].n++
				stack[d-1].something = false
			}
		case ']', '}':
			if d == 0 {
				continue
			}
			d--
			if s := stack[d]; s.array {
				n := s.n
				if s.something {
					n++
				}
				items = max(items, n)
			}
		}
	}
	return items, depth
}

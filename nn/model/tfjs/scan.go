package tfjs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// scanJSON returns an error if the JSON text j nests deeper than
// MaxNesting or holds a list or object of more than MaxListItems
// elements, before anything is decoded from it: a megabyte of empty list
// items would decode into far more memory than it takes. It reads j one
// token at a time and keeps only a count per open bracket.
func scanJSON(j []byte) error {
	d := json.NewDecoder(bytes.NewReader(j))
	// per open bracket: values so far (keys and values for an object), and
	// how many it may hold
	var counts, limits [MaxNesting]int
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("tfjs: model.json: %w", err)
		}
		if delim, ok := tok.(json.Delim); ok && (delim == ']' || delim == '}') {
			depth--
			continue
		}
		if depth > 0 {
			if counts[depth-1]++; counts[depth-1] > limits[depth-1] {
				return fmt.Errorf("tfjs: model.json: a list of more than %d items", MaxListItems)
			}
		}
		if delim, ok := tok.(json.Delim); ok && (delim == '[' || delim == '{') {
			if depth == MaxNesting {
				return fmt.Errorf("tfjs: model.json: nested more than %d deep", MaxNesting)
			}
			counts[depth], limits[depth] = 0, MaxListItems
			if delim == '{' {
				limits[depth] = 2 * MaxListItems
			}
			depth++
		}
	}
}

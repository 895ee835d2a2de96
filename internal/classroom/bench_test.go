//go:build !js

package classroom

import "testing"

// BenchmarkRender is the server's cost of turning one drawing's strokes
// into the network's image.
func BenchmarkRender(b *testing.B) {
	ss := sevenStrokes()
	for b.Loop() {
		if _, err := Render(ss); err != nil {
			b.Fatal(err)
		}
	}
}

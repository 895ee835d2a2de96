package app

import (
	"slices"
	"testing"
)

// TestBarClasses: up to barsAll classes each get a bar in class order; of
// more, the barsTop most probable, most probable first, with a note that
// says how many there are.
func TestBarClasses(t *testing.T) {
	shown, note := barClasses([]float32{0.7, 0.3}, 2)
	if !slices.Equal(shown, []int{0, 1}) || note != "" {
		t.Errorf("2 classes: %v %q", shown, note)
	}
	if shown, _ := barClasses(nil, 10); len(shown) != 10 {
		t.Errorf("10 classes before a prediction: %v", shown)
	}
	probs := make([]float32, 1000)
	for i := range probs {
		probs[i] = float32(i%97) / 1e4
	}
	probs[512], probs[3] = 0.5, 0.2
	shown, note = barClasses(probs, 1000)
	if len(shown) != barsTop || shown[0] != 512 || shown[1] != 3 || note != "The 10 most likely of 1000 classes." {
		t.Errorf("1000 classes: %v %q", shown, note)
	}
	for j := 1; j < len(shown); j++ {
		if probs[shown[j]] > probs[shown[j-1]] {
			t.Errorf("1000 classes: bar %d (%v) above bar %d (%v)", j, probs[shown[j]], j-1, probs[shown[j-1]])
		}
	}
	if shown, note := barClasses(nil, 1000); shown != nil || note == "" {
		t.Errorf("1000 classes before a prediction: %v %q", shown, note)
	}
}

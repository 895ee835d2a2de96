package app

import (
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// TestConfusionSaysWhichImages: a set of one's own without a test part is
// tested on its validation images, and the result says so rather than
// calling them test images.
func TestConfusionSaysWhichImages(t *testing.T) {
	test := &wire.Test{N: 12, Acc: 0.75, Loss: 0.5, Confusion: [][]int{{5, 1}, {2, 4}}}
	for on, want := range map[string]string{
		"":           "Test: 75.00% of 12 test images right",
		"validation": "Test: 75.00% of 12 validation images (the set has no test part) right",
		"training":   "Test: 75.00% of 12 training images (the set has no test or validation part) right",
	} {
		h := app.HTMLString(&confusionView{Test: test, Classes: []string{"a", "b"}, Title: "Test", On: on})
		if !strings.Contains(h, want) {
			t.Errorf("tested on %q: the view lacks %q", on, want)
		}
	}
}

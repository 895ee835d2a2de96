package app

import (
	"regexp"
	"slices"
	"testing"
)

// TestChartTicksDistinct checks that the x axis of an empty chart, and of
// one with a few examples, labels its ticks with distinct numbers (an empty
// chart once read "0 0 0 1 1").
func TestChartTicksDistinct(t *testing.T) {
	tick := regexp.MustCompile(`<text class="tick" x="[0-9.]+" y="[0-9]+" text-anchor="middle">([^<]*)</text>`)
	for _, pts := range [][]chartPoint{nil, {{1, 2}}, {{3, 1}}, {{20, 1}, {55000, 0.5}}} {
		c := &lineChart{Title: "Loss", Series: []series{{Name: "training", Points: pts}}}
		var labels []string
		for _, m := range tick.FindAllStringSubmatch(c.svgBody(), -1) {
			labels = append(labels, m[1])
		}
		if len(labels) != 5 {
			t.Fatalf("points %v: x ticks %q, want 5", pts, labels)
		}
		if len(slices.Compact(slices.Clone(labels))) != 5 {
			t.Errorf("points %v: x ticks %q repeat", pts, labels)
		}
	}
}

package main

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// TestPrecacheAssets checks that the service worker stores the first
// dataset's test set and the site's programs, and leaves the training sets
// and the other datasets to be kept when first used.
func TestPrecacheAssets(t *testing.T) {
	assets := fstest.MapFS{
		"app.wasm":           {},
		"convert.wasm":       {},
		"convert.js":         {},
		"models/digits.cnn":  {},
		"models/README.md":   {},
		"models/digits.json": {},
		"data/README.md":     {},
		"data/app.wasm.br":   {},
		"robots.txt":         {},
	}
	for _, e := range dataset.All() {
		for _, f := range e.Files {
			assets["data/"+f] = &fstest.MapFile{}
		}
	}
	got := precacheAssets(assets, func(name string) string { return "/web/" + name }, "")
	want := []string{"/embed.html", "/web/app.wasm", "/web/data/t10k-images-idx3-ubyte.gz", "/web/data/t10k-labels-idx1-ubyte.gz", "/web/models/digits.cnn"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("precacheAssets = %q, want %q", got, want)
	}
}

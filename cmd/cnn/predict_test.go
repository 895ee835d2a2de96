package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// writePhoto saves MNIST test digit i as a PNG the way a phone photo of
// paper would look: dark ink, scaled up 6x, off-centre on a light grey page.
func writePhoto(t *testing.T, dir string, s *dataset.Set, i int) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 260, 220))
	for p := range img.Pix {
		img.Pix[p] = 215 + uint8(p%7)
	}
	src := s.Image(i)
	for y := 0; y < 28*6; y++ {
		for x := 0; x < 28*6; x++ {
			v := src[(y/6)*28+x/6]
			img.SetGray(x+60, y+20, color.Gray{uint8(215 - 180*v)})
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("digit-%02d.png", i))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

func testDigits(t *testing.T) *dataset.Set {
	t.Helper()
	s, err := dataset.LoadFiles("../../testdata/mnist/t10k-500-images-idx3-ubyte.gz",
		"../../testdata/mnist/t10k-500-labels-idx1-ubyte.gz", "mnist-test", dataset.MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPredictPhotos classifies 20 real test digits photographed as dark ink
// on paper with the shipped digits model: one tab-separated line per file.
func TestPredictPhotos(t *testing.T) {
	s, dir := testDigits(t), t.TempDir()
	var files []string
	for i := 0; i < 20; i++ {
		files = append(files, writePhoto(t, dir, s, i))
	}
	var out bytes.Buffer
	if err := predictCmd(files, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 20 {
		t.Fatalf("%d lines for 20 files:\n%s", len(lines), out.String())
	}
	right := 0
	for i, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[0] != files[i] {
			t.Fatalf("line %q: want file, class, probability", line)
		}
		if f[1] == dataset.MNISTClasses[s.Labels[i]] {
			right++
		}
	}
	if right < 19 {
		t.Errorf("%d of 20 photographed digits right:\n%s", right, out.String())
	}
}

func TestPredictJSON(t *testing.T) {
	s, dir := testDigits(t), t.TempDir()
	file := writePhoto(t, dir, s, 0)
	var out bytes.Buffer
	if err := predictCmd([]string{"-json", file}, &out); err != nil {
		t.Fatal(err)
	}
	var r struct {
		File          string
		Class         string
		Probability   float64
		Probabilities map[string]float64
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, p := range r.Probabilities {
		sum += p
	}
	if len(r.Probabilities) != 10 || math.Abs(sum-1) > 1e-3 || r.Probabilities[r.Class] != r.Probability {
		t.Errorf("json output %+v", r)
	}
}

func TestPredictBadInput(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "notes.txt")
	os.WriteFile(notImage, []byte("not a picture"), 0o644)
	blank := filepath.Join(dir, "blank.png")
	f, _ := os.Create(blank)
	png.Encode(f, image.NewGray(image.Rect(0, 0, 50, 50)))
	f.Close()
	var out bytes.Buffer
	err := predictCmd([]string{notImage, blank}, &out)
	if err == nil || !strings.Contains(err.Error(), "2 of 2 files could not be classified") {
		t.Errorf("error %v", err)
	}
	if err := predictCmd([]string{"-model", notImage, blank}, &out); err == nil || !strings.Contains(err.Error(), "not a cnnplay model file") {
		t.Errorf("bad model file: %v", err)
	}
}

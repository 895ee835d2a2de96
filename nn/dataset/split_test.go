package dataset

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// tinySet returns a set of n 2×2 images whose pixels all equal i/n for image
// i, so that an image identifies itself.
func tinySet(n int) *Set {
	s := &Set{Name: "tiny", N: n, H: 2, W: 2, Classes: MNISTClasses, Images: make([]float32, 4*n), Labels: make([]uint8, n)}
	for i := range n {
		for j := range 4 {
			s.Images[4*i+j] = float32(i) / float32(n)
		}
		s.Labels[i] = uint8(i % 10)
	}
	return s
}

// ids recovers the original indices of the images of a subset of tinySet(n).
func ids(s *Set, n int) []int {
	out := make([]int, s.N)
	for i := range out {
		out[i] = int(s.Image(i)[0]*float32(n) + 0.5)
	}
	return out
}

func TestSplit(t *testing.T) {
	const n = 100
	s := tinySet(n)
	train, val := s.Split(30, rand.New(rand.NewPCG(1, 2)))
	if train.N != 70 || val.N != 30 || len(train.Images) != 70*4 || len(val.Labels) != 30 {
		t.Fatalf("split sizes %d, %d", train.N, val.N)
	}
	ti, vi := ids(train, n), ids(val, n)
	if !slices.IsSorted(ti) || !slices.IsSorted(vi) {
		t.Error("split does not keep the original order")
	}
	seen := make(map[int]bool)
	for _, i := range append(slices.Clone(ti), vi...) {
		if seen[i] {
			t.Fatalf("image %d is in both sets", i)
		}
		seen[i] = true
	}
	if len(seen) != n {
		t.Fatalf("split covers %d of %d images", len(seen), n)
	}
	for j, i := range vi {
		if val.Labels[j] != uint8(i%10) {
			t.Fatalf("validation label %d does not follow its image", j)
		}
	}
	// Same seed, same split; another seed, another split.
	_, val2 := s.Split(30, rand.New(rand.NewPCG(1, 2)))
	if !slices.Equal(ids(val2, n), vi) {
		t.Error("same seed gave another split")
	}
	_, val3 := s.Split(30, rand.New(rand.NewPCG(3, 4)))
	if slices.Equal(ids(val3, n), vi) {
		t.Error("another seed gave the same split")
	}
	// Copies: changing a subset leaves the original alone.
	train.Images[0] = 42
	if s.Images[0] == 42 || s.Images[4*ti[0]] == 42 {
		t.Error("Split shares memory with its input")
	}
	// Edge cases.
	if tr, v := s.Split(0, rand.New(rand.NewPCG(1, 2))); tr.N != n || v.N != 0 {
		t.Errorf("Split(0) gave %d, %d", tr.N, v.N)
	}
	defer func() {
		if recover() == nil {
			t.Error("Split(n+1) did not panic")
		}
	}()
	s.Split(n+1, rand.New(rand.NewPCG(1, 2)))
}

func TestSubsetHead(t *testing.T) {
	s := tinySet(10)
	sub := s.Subset([]int{7, 2, 7})
	if !slices.Equal(ids(sub, 10), []int{7, 2, 7}) || !slices.Equal(sub.Labels, []uint8{7, 2, 7}) {
		t.Errorf("Subset gave %v %v", ids(sub, 10), sub.Labels)
	}
	if h := s.Head(3); !slices.Equal(ids(h, 10), []int{0, 1, 2}) {
		t.Errorf("Head(3) gave %v", ids(h, 10))
	}
	if h := s.Head(50); h.N != 10 {
		t.Errorf("Head(50) of 10 gave %d", h.N)
	}
	if img := s.Image(3); len(img) != 4 || cap(img) != 4 {
		t.Errorf("Image gave len %d cap %d", len(img), cap(img))
	}
}

// TestBytesAndFloats checks that a set kept as bytes gives the same images
// as the same set kept as floats, byte/255 exactly, and that Subset keeps
// the form of its input.
func TestBytesAndFloats(t *testing.T) {
	b := &Set{Name: "bytes", N: 3, H: 2, W: 3, Classes: MNISTClasses, Labels: []uint8{1, 2, 3},
		Pixels: make([]byte, 18)}
	f := &Set{Name: "floats", N: 3, H: 2, W: 3, Classes: MNISTClasses, Labels: []uint8{1, 2, 3},
		Images: make([]float32, 18)}
	for i := range b.Pixels {
		b.Pixels[i] = byte(i * 15)
		f.Images[i] = float32(byte(i*15)) / 255
	}
	buf := make([]float32, 6)
	for i := range 3 {
		if !slices.Equal(b.ImageTo(buf, i), f.Image(i)) || !slices.Equal(b.Image(i), f.Image(i)) {
			t.Errorf("image %d: bytes give %v, floats %v", i, b.Image(i), f.Image(i))
		}
		if !slices.Equal(f.ImageTo(buf, i), f.Image(i)) {
			t.Errorf("ImageTo of a float set gave %v, want %v", buf, f.Image(i))
		}
	}
	if v := b.Image(2)[5]; v != 1 {
		t.Errorf("byte 255 reads as %v, want 1", v)
	}
	// Image of a byte set is a copy: changing it leaves the set alone.
	b.Image(0)[0] = 9
	if b.Pixels[0] != 0 {
		t.Error("Image of a byte set shares memory with the set")
	}
	sb, sf := b.Subset([]int{2, 0}), f.Subset([]int{2, 0})
	if sb.Images != nil || len(sb.Pixels) != 12 || sf.Pixels != nil || len(sf.Images) != 12 {
		t.Fatalf("Subset changed the form: bytes %d/%d, floats %d/%d", len(sb.Pixels), len(sb.Images), len(sf.Pixels), len(sf.Images))
	}
	if !slices.Equal(sb.Image(0), f.Image(2)) || !slices.Equal(sb.Labels, []uint8{3, 1}) {
		t.Errorf("Subset of bytes gave %v %v", sb.Image(0), sb.Labels)
	}
	defer func() {
		if recover() == nil {
			t.Error("ImageTo with a short destination did not panic")
		}
	}()
	b.ImageTo(make([]float32, 5), 0)
}

package dataset

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
)

// Set is a labelled set of N greyscale images of H×W pixels.
type Set struct {
	// Name says where the set comes from, for example "mnist-train".
	Name string
	// Images holds N*H*W pixels, image after image, each row-major, with
	// values byte/255 in [0,1].
	Images []float32
	// Labels holds N class indices, each less than len(Classes).
	Labels []uint8
	// N, H and W are the number of images, their height and their width.
	N, H, W int
	// Classes names the classes; label i means Classes[i].
	Classes []string
}

// Image returns image i as a subslice of s.Images (not a copy) of H*W pixels.
func (s *Set) Image(i int) []float32 {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("dataset: image index %d out of range [0,%d)", i, s.N))
	}
	n := s.H * s.W
	return s.Images[i*n : (i+1)*n : (i+1)*n]
}

// Load reads a set from an IDX file of images (N×H×W bytes) and an IDX file
// of labels (N bytes), either of them possibly gzipped. It returns an error
// if either file is not a valid IDX file of the right rank, if the number of
// images and labels differ, or if a label is not less than len(classes).
func Load(images, labels io.Reader, name string, classes []string) (*Set, error) {
	if len(classes) == 0 || len(classes) > 256 {
		return nil, fmt.Errorf("dataset %s: %d classes, want 1 to 256", name, len(classes))
	}
	img, err := ReadIDX(images)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: images file: %w", name, err)
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("dataset %s: images file has %d dimensions %v, want 3 (count, height, width)", name, len(img.Dims), img.Dims)
	}
	lab, err := ReadIDX(labels)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: labels file: %w", name, err)
	}
	if len(lab.Dims) != 1 {
		return nil, fmt.Errorf("dataset %s: labels file has %d dimensions %v, want 1 (count)", name, len(lab.Dims), lab.Dims)
	}
	if img.Dims[0] != lab.Dims[0] {
		return nil, fmt.Errorf("dataset %s: images file has %d images but labels file has %d labels", name, img.Dims[0], lab.Dims[0])
	}
	for i, l := range lab.Data {
		if int(l) >= len(classes) {
			return nil, fmt.Errorf("dataset %s: label %d of image %d is out of range for %d classes", name, l, i, len(classes))
		}
	}
	s := &Set{
		Name:    name,
		Images:  make([]float32, len(img.Data)),
		Labels:  lab.Data,
		N:       img.Dims[0],
		H:       img.Dims[1],
		W:       img.Dims[2],
		Classes: slices.Clone(classes),
	}
	for i, b := range img.Data {
		s.Images[i] = float32(b) / 255
	}
	return s, nil
}

// LoadFiles is Load on the files at imagesPath and labelsPath.
func LoadFiles(imagesPath, labelsPath, name string, classes []string) (*Set, error) {
	fi, err := os.Open(imagesPath)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	defer fi.Close()
	fl, err := os.Open(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	defer fl.Close()
	return Load(fi, fl, name, classes)
}

// Subset returns a new set holding copies of the images and labels at the
// indices idx, in that order. It panics if an index is out of range.
func (s *Set) Subset(idx []int) *Set {
	n := s.H * s.W
	out := &Set{
		Name:    s.Name,
		Images:  make([]float32, len(idx)*n),
		Labels:  make([]uint8, len(idx)),
		N:       len(idx),
		H:       s.H,
		W:       s.W,
		Classes: s.Classes,
	}
	for j, i := range idx {
		copy(out.Images[j*n:(j+1)*n], s.Image(i))
		out.Labels[j] = s.Labels[i]
	}
	return out
}

// Head returns a copy of the first n images of s, or of all of them if s
// has fewer than n.
func (s *Set) Head(n int) *Set {
	n = max(0, min(n, s.N))
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return s.Subset(idx)
}

// Split holds out nVal images of s, chosen at random with rng, as a
// validation set, and returns the other N-nVal images as the training set.
// The two sets are disjoint and each keeps the original order of s; the
// same rng state gives the same split. It panics if nVal is not in [0, N].
func (s *Set) Split(nVal int, rng *rand.Rand) (train, val *Set) {
	if nVal < 0 || nVal > s.N {
		panic(fmt.Sprintf("dataset: Split of %d validation images from a set of %d", nVal, s.N))
	}
	perm := rng.Perm(s.N)
	vi, ti := perm[:nVal], perm[nVal:]
	slices.Sort(vi)
	slices.Sort(ti)
	train, val = s.Subset(ti), s.Subset(vi)
	train.Name, val.Name = s.Name+"-train", s.Name+"-val"
	return train, val
}

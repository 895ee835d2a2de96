package dataset

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
)

// Set is a labelled set of N greyscale images of H×W pixels.
//
// The pixels are kept in one of two forms: Pixels, the bytes of the IDX
// file, which Load returns, or Images, floats, for sets made in memory.
// Bytes take a quarter of the memory (MNIST's training set is 47 MB as
// bytes, 188 MB as float32, which a browser tab feels: WebAssembly memory
// never shrinks) and cost nothing to load; ImageTo converts one image at a
// time, as a mini-batch needs it.
type Set struct {
	// Name says where the set comes from, for example "mnist-train".
	Name string
	// Images holds N*H*W pixels, image after image, each row-major, with
	// values in [0,1]. It is nil when the set keeps Pixels.
	Images []float32
	// Pixels holds N*H*W bytes laid out as Images, 0 for black to 255 for
	// white; pixel value byte/255. It is used when Images is nil.
	Pixels []byte
	// Labels holds N class indices, each less than len(Classes).
	Labels []uint8
	// N, H and W are the number of images, their height and their width.
	N, H, W int
	// Classes names the classes; label i means Classes[i].
	Classes []string
}

// byteValue[b] is the pixel value of byte b, exactly float32(b)/255 (a
// multiplication by 1/255 would round differently).
var byteValue = func() (v [256]float32) {
	for b := range v {
		v[b] = float32(b) / 255
	}
	return v
}()

// ImageTo writes image i's H*W pixel values, in [0,1], into dst and returns
// it. It panics if i is out of range or dst does not hold H*W values.
func (s *Set) ImageTo(dst []float32, i int) []float32 {
	n := s.H * s.W
	s.checkIndex(i)
	if len(dst) != n {
		panic(fmt.Sprintf("dataset: ImageTo destination holds %d values, want %d", len(dst), n))
	}
	if s.Images != nil {
		copy(dst, s.Images[i*n:(i+1)*n])
		return dst
	}
	src := s.Pixels[i*n : (i+1)*n]
	for j, b := range src {
		dst[j] = byteValue[b]
	}
	return dst
}

// Image returns image i's H*W pixel values: a subslice of s.Images (not a
// copy) when the set keeps floats, otherwise a new slice. Loops over many
// images should reuse a buffer with ImageTo.
func (s *Set) Image(i int) []float32 {
	s.checkIndex(i)
	n := s.H * s.W
	if s.Images != nil {
		return s.Images[i*n : (i+1)*n : (i+1)*n]
	}
	return s.ImageTo(make([]float32, n), i)
}

func (s *Set) checkIndex(i int) {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("dataset: image index %d out of range [0,%d)", i, s.N))
	}
}

// Load reads a set from an IDX file of images (N×H×W bytes) and an IDX file
// of labels (N bytes), either of them possibly gzipped; the set keeps the
// images as bytes (Pixels). It returns an error
// if either file is not a valid IDX file of the right rank, if the number of
// images and labels differ, or if a label is not less than len(classes).
func Load(images, labels io.Reader, name string, classes []string) (*Set, error) {
	return LoadN(images, labels, name, classes, 0)
}

// LoadN is Load keeping only the first n images and labels, or all of them
// when n is 0 or the files hold fewer. It stops reading after the n-th
// image, so a few thousand of MNIST's 60,000 training images are ready in a
// tenth of the time: gunzipping the whole 47 MB is most of the cost of
// loading it, above all in WebAssembly.
func LoadN(images, labels io.Reader, name string, classes []string, n int) (*Set, error) {
	if len(classes) == 0 || len(classes) > 256 {
		return nil, fmt.Errorf("dataset %s: %d classes, want 1 to 256", name, len(classes))
	}
	if n < 0 {
		return nil, fmt.Errorf("dataset %s: cannot keep %d images", name, n)
	}
	img, err := readIDX(images, n)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: images file: %w", name, err)
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("dataset %s: images file has %d dimensions %v, want 3 (count, height, width)", name, len(img.Dims), img.Dims)
	}
	lab, err := readIDX(labels, n)
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
	return &Set{
		Name:    name,
		Pixels:  img.Data,
		Labels:  lab.Data,
		N:       img.Dims[0],
		H:       img.Dims[1],
		W:       img.Dims[2],
		Classes: slices.Clone(classes),
	}, nil
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
// indices idx, in that order, in the same form (floats or bytes) as s. It
// panics if an index is out of range.
func (s *Set) Subset(idx []int) *Set {
	n := s.H * s.W
	out := &Set{
		Name:    s.Name,
		Labels:  make([]uint8, len(idx)),
		N:       len(idx),
		H:       s.H,
		W:       s.W,
		Classes: s.Classes,
	}
	if s.Images != nil {
		out.Images = make([]float32, len(idx)*n)
	} else {
		out.Pixels = make([]byte, len(idx)*n)
	}
	for j, i := range idx {
		s.checkIndex(i)
		if s.Images != nil {
			copy(out.Images[j*n:(j+1)*n], s.Images[i*n:(i+1)*n])
		} else {
			copy(out.Pixels[j*n:(j+1)*n], s.Pixels[i*n:(i+1)*n])
		}
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

package inspect

import (
	"fmt"
	"io"
	"slices"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Images is a labelled set of greyscale images kept as the bytes of the IDX
// file. The data browser holds whole training sets (60,000 images) in the
// page: as bytes they take 47 MB, as dataset.Set's float32 four times that,
// and converting them all at once would stall the page.
type Images struct {
	// Name says where the images come from, for example "fashion-train".
	Name string
	// Pixels holds N*H*W bytes (0 black to 255 white), image after image.
	Pixels []byte
	// Labels holds N class indices, each less than len(Classes).
	Labels []uint8
	// N, H and W are the number of images, their height and their width.
	N, H, W int
	// Classes names the classes; label i means Classes[i].
	Classes []string
}

// LoadImages reads an IDX file of images (N×H×W bytes) and an IDX file of
// labels (N bytes), either possibly gzipped, with the checks of
// dataset.Load: the ranks, matching counts and labels within the classes.
func LoadImages(images, labels io.Reader, name string, classes []string) (*Images, error) {
	if len(classes) == 0 || len(classes) > 256 {
		return nil, fmt.Errorf("dataset %s: %d classes, want 1 to 256", name, len(classes))
	}
	img, err := dataset.ReadIDX(images)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: images file: %w", name, err)
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("dataset %s: images file has %d dimensions %v, want 3 (count, height, width)", name, len(img.Dims), img.Dims)
	}
	lab, err := dataset.ReadIDX(labels)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: labels file: %w", name, err)
	}
	if len(lab.Dims) != 1 || lab.Dims[0] != img.Dims[0] {
		return nil, fmt.Errorf("dataset %s: %d images but labels of shape %v", name, img.Dims[0], lab.Dims)
	}
	for i, l := range lab.Data {
		if int(l) >= len(classes) {
			return nil, fmt.Errorf("dataset %s: label %d of image %d is out of range for %d classes", name, l, i, len(classes))
		}
	}
	return &Images{Name: name, Pixels: img.Data, Labels: lab.Data, N: img.Dims[0], H: img.Dims[1], W: img.Dims[2],
		Classes: slices.Clone(classes)}, nil
}

// Bytes returns image i's H*W bytes, a subslice of s.Pixels.
func (s *Images) Bytes(i int) []byte {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("inspect: image index %d out of range [0,%d)", i, s.N))
	}
	n := s.H * s.W
	return s.Pixels[i*n : (i+1)*n : (i+1)*n]
}

// Image writes image i into dst as values byte/255 in [0,1], as package
// dataset scales them, and returns it; nil dst allocates.
func (s *Images) Image(dst []float32, i int) []float32 {
	src := s.Bytes(i)
	if dst == nil {
		dst = make([]float32, len(src))
	}
	checkLen("Image destination", len(dst), len(src))
	for j, b := range src {
		dst[j] = float32(b) / 255
	}
	return dst
}

// Set returns the images as a dataset.Set, for running a network on them.
func (s *Images) Set() *dataset.Set {
	out := &dataset.Set{Name: s.Name, Images: make([]float32, len(s.Pixels)), Labels: s.Labels,
		N: s.N, H: s.H, W: s.W, Classes: s.Classes}
	for j, b := range s.Pixels {
		out.Images[j] = float32(b) / 255
	}
	return out
}

// ClassSamples picks perClass images of each of k classes for a grid with
// one row per class: entry c*perClass+j is the index of the
// (page*perClass+j)-th image labelled c, or -1 when the class has no such
// image. Paging on shows images not shown before.
func ClassSamples(labels []uint8, k, perClass, page int) []int {
	idx := make([]int, k*perClass)
	for i := range idx {
		idx[i] = -1
	}
	seen := make([]int, k)
	skip := page * perClass
	for i, l := range labels {
		c := int(l)
		if c >= k || seen[c] >= skip+perClass {
			continue
		}
		if seen[c] >= skip {
			idx[c*perClass+seen[c]-skip] = i
		}
		seen[c]++
	}
	return idx
}

// Normalise returns what the network receives for a pixel byte b: x = b/255,
// then (x − mean) / std, std 0 meaning 1 as in nn.Spec.
func Normalise(b byte, mean, std float32) float32 {
	if std == 0 {
		std = 1
	}
	return (float32(b)/255 - mean) / std
}

// KernelGrid arranges a filter's in kernels in a block of cols×rows, as
// near a square as possible without empty places: the smallest divisor of
// in that is at least √in, or ⌈√in⌉ columns with a short last row when no
// divisor lies below twice that.
func KernelGrid(in int) (cols, rows int) {
	if in <= 1 {
		return 1, 1
	}
	c := 1
	for c*c < in {
		c++
	}
	for d := c; d < 2*c && d <= in; d++ {
		if in%d == 0 {
			return d, in / d
		}
	}
	return c, (in + c - 1) / c
}

// Zoom is the integer factor that shows a w×h image at about target CSS
// pixels on its longer side, at least 1, so each pixel becomes a crisp
// block of whole pixels.
func Zoom(w, h, target int) int {
	return max(1, (target+max(w, h)/2)/max(w, h, 1))
}

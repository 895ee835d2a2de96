package dataset

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn/nntest"
)

// idxBytes is x as an IDX file, gzipped if zip is set.
func idxBytes(t testing.TB, x *IDX, zip bool) []byte {
	var buf bytes.Buffer
	if !zip {
		if err := WriteIDX(&buf, x); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	zw := gzip.NewWriter(&buf)
	if err := WriteIDX(zw, x); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// addCorpus seeds f with IDX files: small valid ones of 1 to 4 dimensions,
// plain and gzipped, the real labels of 500 test digits, and the corrupt
// files of testdata/corrupt.
func addCorpus(f *testing.F, add func(data []byte)) {
	for _, x := range []*IDX{
		{Dims: []int{5}, Data: []byte{0, 1, 2, 9, 4}},
		{Dims: []int{2, 3, 2}, Data: []byte{0, 50, 100, 150, 200, 255, 1, 2, 3, 4, 5, 6}},
		{Dims: []int{1, 1, 2, 2}, Data: []byte{7, 8, 9, 10}},
	} {
		add(idxBytes(f, x, false))
		add(idxBytes(f, x, true))
	}
	files, _ := filepath.Glob(filepath.Join(testdataDir, "corrupt", "*ubyte*"))
	files = append(files, filepath.Join(testdataDir, "mnist", "t10k-500-labels-idx1-ubyte.gz"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// maxReadCost bounds what reading one IDX file may allocate: the data it
// announces (at most MaxIDXBytes, allocated before it is read) and a
// gzip reader's buffers.
const maxReadCost = MaxIDXBytes + 1<<20

// FuzzReadIDX: no input makes ReadIDX (or reading only its first items)
// panic or allocate beyond maxReadCost; what it accepts has 1 to 4
// positive dimensions whose product is its length, and writes back to a
// file that reads the same (byte for byte, when the input was not gzipped).
func FuzzReadIDX(f *testing.F) {
	addCorpus(f, func(b []byte) { f.Add(b, uint8(0)) })
	f.Add(idxBytes(f, &IDX{Dims: []int{4, 2}, Data: make([]byte, 8)}, false), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, items uint8) {
		var x *IDX
		var err error
		if n := nntest.Allocated(func() { x, err = readIDX(bytes.NewReader(data), int(items)) }); n > maxReadCost {
			t.Fatalf("reading %d bytes allocated %d", len(data), n)
		}
		if err != nil {
			return
		}
		size := 1
		for _, d := range x.Dims {
			if d < 1 {
				t.Fatalf("dimensions %v", x.Dims)
			}
			size *= d
		}
		if len(x.Dims) < 1 || len(x.Dims) > 4 || size != len(x.Data) || size > MaxIDXBytes {
			t.Fatalf("dimensions %v for %d bytes", x.Dims, len(x.Data))
		}
		out := idxBytes(t, x, false)
		again, err := ReadIDX(bytes.NewReader(out))
		if err != nil || !slices.Equal(again.Dims, x.Dims) || !bytes.Equal(again.Data, x.Data) {
			t.Fatalf("written back, it reads as %v (%v)", again, err)
		}
		if items == 0 && (len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b) && !bytes.Equal(out, data) {
			t.Fatalf("written back as %d different bytes", len(out))
		}
	})
}

// FuzzLoad: no pair of files makes Load panic or allocate beyond twice
// maxReadCost; a set it accepts holds N images of H×W pixels and N labels
// within its classes, and every image converts to values in [0,1].
func FuzzLoad(f *testing.F) {
	labels := idxBytes(f, &IDX{Dims: []int{2}, Data: []byte{1, 0}}, false)
	images := idxBytes(f, &IDX{Dims: []int{2, 2, 3}, Data: []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}}, true)
	f.Add(images, labels, uint8(0))
	f.Add(images, labels, uint8(1))
	addCorpus(f, func(b []byte) { f.Add(images, b, uint8(0)); f.Add(b, labels, uint8(0)) })
	f.Fuzz(func(t *testing.T, images, labels []byte, n uint8) {
		var s *Set
		var err error
		if cost := nntest.Allocated(func() {
			s, err = LoadN(bytes.NewReader(images), bytes.NewReader(labels), "fuzz", MNISTClasses, int(n))
		}); cost > 2*maxReadCost {
			t.Fatalf("loading %d and %d bytes allocated %d", len(images), len(labels), cost)
		}
		if err != nil {
			return
		}
		if s.N < 1 || n > 0 && s.N > int(n) || len(s.Pixels) != s.N*s.H*s.W || len(s.Labels) != s.N {
			t.Fatalf("set of %d images of %dx%d with %d pixels and %d labels", s.N, s.H, s.W, len(s.Pixels), len(s.Labels))
		}
		img := make([]float32, s.H*s.W)
		for i := range s.N {
			if int(s.Labels[i]) >= len(s.Classes) {
				t.Fatalf("label %d of %d classes", s.Labels[i], len(s.Classes))
			}
			for _, v := range s.ImageTo(img, i) {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("image %d holds %v", i, v)
				}
			}
		}
	})
}

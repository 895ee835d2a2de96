package app

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// Limits of one of the user's own sets in the browser (issue 18): beyond
// them a browser tab holds too much, and the message says so.
const (
	myMaxImages    = 20000
	myMaxBytes     = 100 << 20 // bytes of all image files
	myMaxClasses   = 64
	myMaxNameRunes = 60
)

// mySetPrefix starts the dataset name (in training settings and model
// records) of one of the user's own sets: "my-" and the set's id.
const mySetPrefix = "my-"

// mySet is one of the user's own data sets: named classes of images, each
// kept as the bytes of its file (a PNG for a drawing), and for a drawing
// its strokes. It is plain state, kept apart from the UI and the storage
// (see myStore), so that its rules are tested natively.
type mySet struct {
	ID      string // unique in the browser, part of the storage keys
	Name    string
	Framing dataset.Framing // how its pictures and the drawings its models classify are framed
	Classes []*myClass
	Next    int     // the number the next example's id takes
	Runs    []myRun // the trainings on the set, oldest first
}

// myRun is one training on a set, for the figure that matters for small
// sets: validation accuracy against examples per class.
type myRun struct {
	PerClass   int     `json:"perClass"`   // the set's images per class when it trained (the mean)
	ValAcc     float64 `json:"valAcc"`     // the best validation accuracy
	FromDigits bool    `json:"fromDigits"` // it started from the digits model's convolutions
	Frozen     bool    `json:"frozen,omitempty"`
	Net        string  `json:"net"` // the preset, or "custom"
}

// maxRuns bounds the runs a set keeps: the oldest go first.
const maxRuns = 50

// addRun keeps a training's result, forgetting the oldest beyond maxRuns.
func (s *mySet) addRun(r myRun) {
	s.Runs = append(s.Runs, r)
	if len(s.Runs) > maxRuns {
		s.Runs = slices.Delete(s.Runs, 0, len(s.Runs)-maxRuns)
	}
}

// myClass is one class of a set.
type myClass struct {
	Name     string
	Examples []*myExample
	files    map[string]bool // the examples' file names, lower case, once asked for
}

// myExample is one image of a class.
type myExample struct {
	ID   string // unique in the set
	File string // its file name within the class's folder: "drawing-0007.png"
	Data []byte // the file's bytes, kept as given (exported as they are)
	// Strokes, for a drawing, are the pen's strokes as drawn.
	Strokes []myStroke
}

// myStroke is one stroke of a drawing: its points as (x, y, t), x and y
// in canvas pixels, t in milliseconds since the drawing's first point.
type myStroke [][3]float64

// datasetName returns the name the set trains under.
func (s *mySet) datasetName() string { return mySetPrefix + s.ID }

// classNames returns the names of the classes, in order.
func (s *mySet) classNames() []string {
	names := make([]string, len(s.Classes))
	for i, c := range s.Classes {
		names[i] = c.Name
	}
	return names
}

// count returns the number of images and their bytes.
func (s *mySet) count() (images, bytes int) {
	for _, c := range s.Classes {
		for _, e := range c.Examples {
			images++
			bytes += len(e.Data)
		}
	}
	return images, bytes
}

// classIndex returns the index of the class named name (compared as
// checkName cleans it), or -1.
func (s *mySet) classIndex(name string) int {
	name = strings.TrimSpace(name)
	return slices.IndexFunc(s.Classes, func(c *myClass) bool { return strings.EqualFold(c.Name, name) })
}

// checkName cleans a set's or a class's name and says what is wrong with
// it: empty, too long, or one a folder cannot be called.
func checkName(what, name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fmt.Errorf("a %s needs a name", what)
	case utf8.RuneCountInString(name) > myMaxNameRunes:
		return "", fmt.Errorf("the %s name %q is longer than %d characters", what, name, myMaxNameRunes)
	case !utf8.ValidString(name) || strings.ContainsAny(name, `/\:*?"<>|`) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }) || name == "." || name == "..":
		return "", fmt.Errorf("the %s name %q has a character a folder name cannot hold (/ \\ : * ? \" < > | or a control character)", what, name)
	}
	if err := imageset.CheckClassName(name); err != nil {
		return "", err // what a class folder cannot be called
	}
	return name, nil
}

// addClass adds a class named name at the end and returns its index.
func (s *mySet) addClass(name string) (int, error) {
	name, err := checkName("class", name)
	if err != nil {
		return 0, err
	}
	if s.classIndex(name) >= 0 {
		return 0, fmt.Errorf("there is already a class %q", name)
	}
	if len(s.Classes) >= myMaxClasses {
		return 0, fmt.Errorf("a set has at most %d classes", myMaxClasses)
	}
	s.Classes = append(s.Classes, &myClass{Name: name})
	return len(s.Classes) - 1, nil
}

// renameClass renames class i.
func (s *mySet) renameClass(i int, name string) error {
	name, err := checkName("class", name)
	if err != nil {
		return err
	}
	if j := s.classIndex(name); j >= 0 && j != i {
		return fmt.Errorf("there is already a class %q", name)
	}
	s.Classes[i].Name = name
	return nil
}

// deleteClass removes class i and its examples.
func (s *mySet) deleteClass(i int) { s.Classes = slices.Delete(s.Classes, i, i+1) }

// room says whether one more image of size bytes fits in the set's limits,
// or why not.
func (s *mySet) room(bytes int) error {
	images, used := s.count()
	switch {
	case images+1 > myMaxImages:
		return fmt.Errorf("the set already holds %d images, the most a set can hold in the browser", myMaxImages)
	case used+bytes > myMaxBytes:
		return fmt.Errorf("the set would hold more than %d MB of images, the most a set can hold in the browser (%.1f MB now)", myMaxBytes>>20, float64(used)/(1<<20))
	}
	return nil
}

// addExample adds an image file to class ci, under a file name made unique
// in its class (file names the drawings, "" gives drawing-N.png), and
// returns it; nothing is added when the set is full.
func (s *mySet) addExample(ci int, file string, data []byte, strokes []myStroke) (*myExample, error) {
	if err := s.room(len(data)); err != nil {
		return nil, err
	}
	s.Next++
	id := strconv.Itoa(s.Next)
	if file == "" {
		file = fmt.Sprintf("drawing-%04d.png", s.Next)
	}
	file = s.Classes[ci].uniqueFile(path.Base(file), id)
	e := &myExample{ID: id, File: file, Data: data, Strokes: strokes}
	s.Classes[ci].Examples = append(s.Classes[ci].Examples, e)
	return e, nil
}

// uniqueFile returns name, or, when another example of the class has it,
// name with the example's id (unique in the set) before its extension.
func (c *myClass) uniqueFile(name, id string) string {
	if c.files == nil {
		c.files = make(map[string]bool, len(c.Examples))
		for _, e := range c.Examples {
			c.files[strings.ToLower(e.File)] = true
		}
	}
	if c.files[strings.ToLower(name)] {
		ext := path.Ext(name)
		name = strings.TrimSuffix(name, ext) + "-" + id + ext
	}
	c.files[strings.ToLower(name)] = true
	return name
}

// deleteExample removes the example with id from the set and reports
// whether it was there.
func (s *mySet) deleteExample(id string) bool {
	for _, c := range s.Classes {
		if i := slices.IndexFunc(c.Examples, func(e *myExample) bool { return e.ID == id }); i >= 0 {
			delete(c.files, strings.ToLower(c.Examples[i].File))
			c.Examples = slices.Delete(c.Examples, i, i+1)
			return true
		}
	}
	return false
}

// mySets are the user's sets, in the order they were made; it also tells
// the rest of the page the classes of a set by its dataset name.
type mySets struct {
	Sets []*mySet
}

// byDataset returns the set whose dataset name is name.
func (m *mySets) byDataset(name string) *mySet {
	if m == nil || !strings.HasPrefix(name, mySetPrefix) {
		return nil
	}
	for _, s := range m.Sets {
		if s.datasetName() == name {
			return s
		}
	}
	return nil
}

// byID returns the set with id.
func (m *mySets) byID(id string) *mySet {
	for _, s := range m.Sets {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// newSet adds an empty set named name with a fresh id, made from stamp (a
// time in ms, so that ids of sets made in different tabs differ).
func (m *mySets) newSet(name string, stamp int64) (*mySet, error) {
	name, err := checkName("set", name)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(m.Sets, func(s *mySet) bool { return strings.EqualFold(s.Name, name) }) {
		return nil, fmt.Errorf("there is already a set %q", name)
	}
	id := strconv.FormatInt(stamp, 36)
	for m.byID(id) != nil {
		stamp++
		id = strconv.FormatInt(stamp, 36)
	}
	s := &mySet{ID: id, Name: name}
	m.Sets = append(m.Sets, s)
	return s, nil
}

// remove drops the set with id.
func (m *mySets) remove(id string) {
	m.Sets = slices.DeleteFunc(m.Sets, func(s *mySet) bool { return s.ID == id })
}

// title is the set's name as the dataset menu shows it.
func (s *mySet) title() string { return s.Name + " (my data)" }

package imageset

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Limits of a set. A browser tab holds the whole set in memory, and
// WebAssembly memory never shrinks, so the bounds are what a tab can spare.
const (
	// MaxImages is the most images a set holds; files beyond it are
	// reported and not read.
	MaxImages = 20_000
	// MaxBytes bounds the bytes a read inflates for a whole set, and the
	// size of a zip ReadZip accepts.
	MaxBytes = 100 << 20
	// MaxFileBytes bounds the bytes one file may inflate to.
	MaxFileBytes = 20 << 20
	// MaxStrokesBytes bounds one strokes file (a drawing of a few seconds
	// takes a few kilobytes).
	MaxStrokesBytes = 1 << 20
	// MaxEntries bounds the entries of a zip: every image may have a
	// strokes file beside it, and there are folders.
	MaxEntries = 2*MaxImages + 1000
	// MaxClasses is the most classes a set holds: labels are bytes.
	MaxClasses = 256
	// maxNameBytes bounds a class name.
	maxNameBytes = 100
)

// StrokesSuffix ends the name of the file that keeps a drawing's strokes
// beside its picture: class/name.png and class/name.strokes.json.
const StrokesSuffix = ".strokes.json"

// ManifestFile is the file at the top of a zip that keeps the set's name and
// framing. ImageFolder and Keras look only at folders, so they ignore it.
const ManifestFile = "cnnplay.json"

// Set is a set of one's own images, one class per folder.
type Set struct {
	// Name names the set (the zip's manifest keeps it).
	Name string
	// Framing is how a picture is made to look like the set's images.
	Framing dataset.Framing
	// Classes are the class names; Example.Class is one of them. Read
	// sorts them as ImageFolder does; a set made otherwise may keep any
	// order, and label i means Classes[i] in Prepare.
	Classes []string
	// Examples are the pictures, in class order and by name within a class
	// when read.
	Examples []Example
}

// Example is one picture of a set as its file holds it.
type Example struct {
	// Class is the name of the example's class (its folder).
	Class string
	// Name is the file's path inside its class folder, usually a plain
	// file name such as "0007.png".
	Name string
	// Data is the encoded picture, PNG or JPEG, byte for byte.
	Data []byte
	// Strokes is how a drawing was drawn, nil for a picture.
	Strokes *Strokes
}

// Strokes is how a drawing was made: the pointer's path in each stroke,
// kept beside its picture so it can be drawn again later.
type Strokes struct {
	// Canvas is the side, in pixels, of the square canvas the points are on.
	Canvas int `json:"canvas"`
	// Width is the line width in canvas pixels, 0 if unknown.
	Width float64 `json:"width,omitempty"`
	// Strokes holds each stroke, pointer down to pointer up, as points
	// [x, y, t]: canvas pixels and milliseconds since the drawing began.
	Strokes [][][3]float64 `json:"strokes"`
}

// maxPoints bounds the points of one drawing.
const maxPoints = 100_000

// check reports what is wrong with strokes read from a file.
func (s *Strokes) check() error {
	if s.Canvas <= 0 || s.Canvas > 10_000 {
		return fmt.Errorf("canvas size %d, want 1 to 10000", s.Canvas)
	}
	if s.Width < 0 || math.IsNaN(s.Width) || math.IsInf(s.Width, 0) {
		return fmt.Errorf("line width %v", s.Width)
	}
	n := 0
	for i, st := range s.Strokes {
		if len(st) == 0 {
			return fmt.Errorf("stroke %d has no points", i)
		}
		n += len(st)
		for _, p := range st {
			for _, v := range p {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("stroke %d has a point that is not a number", i)
				}
			}
		}
	}
	if n > maxPoints {
		return fmt.Errorf("%d points, at most %d", n, maxPoints)
	}
	return nil
}

// Problem is one file of a set that could not be used, and why. The rest of
// the set is read all the same.
type Problem struct {
	// File is the file's path in the zip or folder ("" for the set as a
	// whole), or a class name with a slash after it for a class.
	File string
	// Reason says what is wrong, for people.
	Reason string
}

func (p Problem) String() string {
	if p.File == "" {
		return p.Reason
	}
	return p.File + ": " + p.Reason
}

// CheckClassName returns an error saying why name cannot be a class name:
// it must be a name a folder can carry on the usual systems and one that
// readers do not skip, so a class survives an export and an import. It is
// empty or blank, longer than 100 bytes, holds a slash, a backslash or a
// control character, starts with a dot (a hidden folder) or ends with a
// space or a dot (Windows drops them), or is not UTF-8.
func CheckClassName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("a class needs a name")
	case len(name) > maxNameBytes:
		return fmt.Errorf("class name %.20q… is longer than %d bytes", name, maxNameBytes)
	case !utf8.ValidString(name):
		return fmt.Errorf("class name %q is not UTF-8 text", name)
	case strings.ContainsAny(name, `/\`):
		return fmt.Errorf("class name %q holds a slash", name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("class name %q holds a control character", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("class name %q starts with a dot (a hidden folder)", name)
	case strings.HasSuffix(name, " ") || strings.HasSuffix(name, "."):
		return fmt.Errorf("class name %q ends with a space or a dot", name)
	}
	return nil
}

// imageExt reports whether a file name has a picture's extension that
// cnnplay reads (PNG, JPEG), ignoring case as ImageFolder does.
func imageExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// otherImageExt reports whether a file name has the extension of a picture
// ImageFolder reads but cnnplay does not.
func otherImageExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".gif":
		return true
	}
	return false
}

// stem returns an image file's name without its extension, the name its
// strokes file starts with.
func stem(name string) string { return strings.TrimSuffix(name, path.Ext(name)) }

// manifest is the content of ManifestFile.
type manifest struct {
	Name    string `json:"name,omitempty"`
	Framing string `json:"framing,omitempty"`
}

func parseManifest(b []byte) (manifest, dataset.Framing, error) {
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return m, 0, fmt.Errorf("not a cnnplay set description: %v", err)
	}
	f, err := dataset.ParseFraming(m.Framing)
	return m, f, err
}

// Counts returns the number of examples of each class, in the order of
// s.Classes.
func (s *Set) Counts() []int {
	at := make(map[string]int, len(s.Classes))
	for i, c := range s.Classes {
		at[c] = i
	}
	n := make([]int, len(s.Classes))
	for _, e := range s.Examples {
		if i, ok := at[e.Class]; ok {
			n[i]++
		}
	}
	return n
}

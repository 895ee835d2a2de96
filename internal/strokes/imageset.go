package strokes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// Pointer timing of generated drawings: pointer-move events come about
// every 16 ms (60 Hz), and a hand takes a quarter of a second between
// strokes.
const (
	moveMillis = 16
	liftMillis = 250
)

// pngFileName names a drawing's picture after the drawing.
const pngFileName = "%s.png"

// ImageSet renders drawings as a set of one's own images, as the page
// exports drawings: each a Canvas×Canvas PNG of black ink on opaque white
// painted with the drawing's pen width, named after the drawing, with its
// strokes and their times beside it. Label i means classes[i]. It returns
// an error if a label has no class or two drawings of a class share a name.
func ImageSet(name string, classes []string, ds []Drawing) (*imageset.Set, error) {
	s := &imageset.Set{Name: name, Classes: classes}
	seen := map[string]bool{}
	for _, d := range ds {
		if d.Label < 0 || d.Label >= len(classes) {
			return nil, fmt.Errorf("strokes: drawing %q has label %d, beyond the %d classes", d.Name, d.Label, len(classes))
		}
		class := classes[d.Label]
		file := fmt.Sprintf(pngFileName, d.Name)
		if seen[class+"/"+file] {
			return nil, fmt.Errorf("strokes: two drawings of %s are named %q", class, d.Name)
		}
		seen[class+"/"+file] = true
		width := d.Width
		if width == 0 {
			width = Brush
		}
		img := &image.NRGBA{Pix: Render(d, Canvas, width), Stride: 4 * Canvas, Rect: image.Rect(0, 0, Canvas, Canvas)}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return nil, err
		}
		st := &imageset.Strokes{Canvas: Canvas, Width: width}
		t := 0.0
		for _, path := range d.Strokes {
			var timed [][3]float64
			for _, p := range path {
				timed = append(timed, [3]float64{p[0], p[1], t})
				t += moveMillis
			}
			st.Strokes = append(st.Strokes, timed)
			t += liftMillis
		}
		s.Examples = append(s.Examples, imageset.Example{Class: class, Name: file, Data: b.Bytes(), Strokes: st})
	}
	return s, nil
}

// WriteFolder writes s under dir as an export unpacked: a folder per class
// holding its pictures and, beside each drawing, its strokes file.
func WriteFolder(dir string, s *imageset.Set) error {
	for _, c := range s.Classes {
		if err := os.MkdirAll(filepath.Join(dir, c), 0o755); err != nil {
			return err
		}
	}
	for _, e := range s.Examples {
		p := filepath.Join(dir, e.Class, filepath.FromSlash(e.Name))
		if err := os.WriteFile(p, e.Data, 0o644); err != nil {
			return err
		}
		if e.Strokes == nil {
			continue
		}
		b, err := json.Marshal(e.Strokes)
		if err != nil {
			return err
		}
		stem := p[:len(p)-len(filepath.Ext(p))]
		if err := os.WriteFile(stem+imageset.StrokesSuffix, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Set returns a set of generated drawings: kind "shapes" (Shapes) or
// "letters" (Letters), of the first classes classes (all when classes is
// 0 or more than there are), perClass of each, drawn with seed.
func Set(kind string, classes, perClass int, seed uint64) (*imageset.Set, error) {
	names := ShapeClasses
	if kind == "letters" {
		names = LetterClasses
	} else if kind != "shapes" {
		return nil, fmt.Errorf("strokes: no set of %q (want shapes or letters)", kind)
	}
	if classes <= 0 || classes > len(names) {
		classes = len(names)
	}
	var ds []Drawing
	for _, d := range generate(kind, perClass, seed) {
		if d.Label < classes {
			ds = append(ds, d)
		}
	}
	return ImageSet(kind, names[:classes], ds)
}

// generate draws perClass drawings of each class of a kind.
func generate(kind string, perClass int, seed uint64) []Drawing {
	if kind == "letters" {
		return Letters(perClass, seed)
	}
	return Shapes(perClass, seed)
}

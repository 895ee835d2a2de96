package app

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"testing/fstest"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// imageSet returns s in package imageset's form, for the zip writer and
// for preparing its images: the classes in s's order, the files' bytes as
// kept, a drawing's strokes on the drawing canvas.
func (s *mySet) imageSet() *imageset.Set {
	out := &imageset.Set{Name: s.Name, Framing: s.Framing, Classes: s.classNames()}
	for _, c := range s.Classes {
		for _, e := range c.Examples {
			x := imageset.Example{Class: c.Name, Name: e.File, Data: e.Data}
			if len(e.Strokes) > 0 {
				st := &imageset.Strokes{Canvas: canvasSize, Width: strokeWidth}
				for _, s := range e.Strokes {
					st.Strokes = append(st.Strokes, [][3]float64(s))
				}
				x.Strokes = st
			}
			out.Examples = append(out.Examples, x)
		}
	}
	return out
}

// exportZip returns s as the zip a user takes away (see imageset.WriteZip).
func (s *mySet) exportZip() ([]byte, error) {
	var b bytes.Buffer
	if err := s.imageSet().WriteZip(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// merge adds the classes and examples of in to s: a class of the same name
// (ignoring case) takes its examples, others are added. Nothing of s is
// changed or lost; what does not fit (a class name s cannot hold, images
// beyond the limits) is named in problems. It returns the writes that keep
// what was added (the meta last), and how many examples were added.
func (s *mySet) merge(in *imageset.Set) (changes []browserstore.Change, added int, problems []string) {
	wasEmpty := len(s.Classes) == 0
	full := ""
	for _, name := range in.Classes {
		if s.classIndex(name) >= 0 {
			continue
		}
		if _, err := s.addClass(name); err != nil {
			problems = append(problems, fmt.Sprintf("%s/: %v", name, err))
		}
	}
	for _, x := range in.Examples {
		ci := s.classIndex(x.Class)
		if ci < 0 {
			continue // its class was named above
		}
		if full != "" {
			problems = append(problems, fmt.Sprintf("%s/%s: not imported: %s", x.Class, x.Name, full))
			continue
		}
		var strokes []myStroke
		if x.Strokes != nil {
			scale := float64(canvasSize) / float64(x.Strokes.Canvas)
			for _, st := range x.Strokes.Strokes {
				ms := make(myStroke, len(st))
				for i, p := range st {
					ms[i] = [3]float64{p[0] * scale, p[1] * scale, p[2]}
				}
				strokes = append(strokes, ms)
			}
		}
		e, err := s.addExample(ci, x.Name, x.Data, strokes)
		if err != nil {
			full = err.Error()
			problems = append(problems, fmt.Sprintf("%s/%s: not imported: %s", x.Class, x.Name, full))
			continue
		}
		added++
		changes = append(changes, s.exampleChanges(e)...)
	}
	if wasEmpty && len(in.Classes) > 0 {
		s.Framing = in.Framing
	}
	changes = append(changes, s.metaChange())
	return changes, added, problems
}

// problemStrings writes imageset's problems as lines for the user.
func problemStrings(probs []imageset.Problem) []string {
	out := make([]string, len(probs))
	for i, p := range probs {
		out[i] = p.String()
	}
	return out
}

// myFile is one file the user chose or dropped: its name, its path inside
// a chosen folder ("" for a file on its own), and its bytes.
type myFile struct {
	Name, Path string
	Data       []byte
}

// readMyFiles reads what the user chose or dropped as a set: a zip (one
// file ending .zip), a folder of class folders (files with paths), or
// loose pictures, which go to the class named into. The error says why
// nothing could be read; problems name the files that were not.
func readMyFiles(files []myFile, into string) (*imageset.Set, []string, error) {
	switch {
	case len(files) == 0:
		return nil, nil, fmt.Errorf("no files were chosen")
	case len(files) == 1 && strings.EqualFold(path.Ext(files[0].Name), ".zip"):
		s, probs, err := imageset.ReadZip(files[0].Data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", files[0].Name, err)
		}
		return s, problemStrings(probs), nil
	}
	fsys := fstest.MapFS{}
	total := 0
	var problems []string
	for _, f := range files {
		if f.Data == nil {
			problems = append(problems, f.Name+": could not be read")
			continue
		}
		total += len(f.Data)
		if total > imageset.MaxBytes {
			return nil, nil, fmt.Errorf("the files hold more than %d MB; a set holds at most %d MB", imageset.MaxBytes>>20, imageset.MaxBytes>>20)
		}
		p := f.Path
		if p == "" {
			if into == "" {
				return nil, nil, fmt.Errorf("choose a class for the pictures first (or import a folder of class folders, or a zip)")
			}
			if strings.EqualFold(path.Ext(f.Name), ".zip") {
				problems = append(problems, f.Name+": a zip is imported on its own, not with other files")
				continue
			}
			p = into + "/" + path.Base(f.Name)
		}
		fsys[strings.TrimPrefix(path.Clean("/"+p), "/")] = &fstest.MapFile{Data: f.Data}
	}
	s, probs, err := imageset.ReadFS(fsys)
	if err != nil {
		return nil, nil, err
	}
	return s, append(problems, problemStrings(probs)...), nil
}

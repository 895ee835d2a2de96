package imageset

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteZip writes s to w as a zip that ReadZip, torchvision's ImageFolder
// and Keras' image_dataset_from_directory read: a folder per class at the
// top, each picture as its bytes under class/name, each drawing's strokes
// beside it as class/<name without extension>.strokes.json, and
// ManifestFile with the set's name and framing. Pictures are stored as
// they are (PNG and JPEG are compressed already), the rest deflated; the
// same set gives the same bytes.
//
// It returns an error, having written a partial zip, if a class name fails
// CheckClassName or repeats (ignoring case), an example's class is not
// among s.Classes, or an example's name is not a PNG or JPEG file name
// that a folder can hold, or repeats within its class (ignoring case, as
// Windows and macOS would when unpacking).
func (s *Set) WriteZip(w io.Writer) error {
	if err := s.checkNames(); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	m, err := json.Marshal(manifest{Name: s.Name, Framing: s.Framing.String()})
	if err != nil {
		return err
	}
	if err := add(zw, ManifestFile, zip.Deflate, m); err != nil {
		return err
	}
	for _, c := range s.Classes {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: c + "/", Method: zip.Store}); err != nil {
			return err
		}
		for _, e := range s.Examples {
			if e.Class != c {
				continue
			}
			if err := add(zw, c+"/"+e.Name, zip.Store, e.Data); err != nil {
				return err
			}
			if e.Strokes == nil {
				continue
			}
			b, err := json.Marshal(e.Strokes)
			if err != nil {
				return fmt.Errorf("imageset: strokes of %s/%s: %w", c, e.Name, err)
			}
			if err := add(zw, c+"/"+stem(e.Name)+StrokesSuffix, zip.Deflate, b); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

// add writes one file into zw.
func add(zw *zip.Writer, name string, method uint16, b []byte) error {
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
	if err != nil {
		return err
	}
	_, err = fw.Write(b)
	return err
}

// checkNames returns an error for the first class or file name WriteZip
// cannot write so that it reads back the same.
func (s *Set) checkNames() error {
	classes := make(map[string]bool, len(s.Classes))
	for _, c := range s.Classes {
		if err := CheckClassName(c); err != nil {
			return fmt.Errorf("imageset: %w", err)
		}
		if classes[strings.ToLower(c)] {
			return fmt.Errorf("imageset: class %q appears twice (ignoring case)", c)
		}
		classes[strings.ToLower(c)] = true
	}
	names := make(map[string]bool, len(s.Examples))
	for _, e := range s.Examples {
		if !classes[strings.ToLower(e.Class)] || !slices.Contains(s.Classes, e.Class) {
			return fmt.Errorf("imageset: example %q is in class %q, which the set does not have", e.Name, e.Class)
		}
		p, ok := clean(e.Name)
		if !ok || p != e.Name || !imageExt(e.Name) || strings.HasSuffix(strings.ToLower(e.Name), StrokesSuffix) {
			return fmt.Errorf("imageset: %q in class %q is not a PNG or JPEG file name", e.Name, e.Class)
		}
		for _, part := range strings.Split(p, "/") {
			if ignored(part) {
				return fmt.Errorf("imageset: %q in class %q is a name readers skip", e.Name, e.Class)
			}
		}
		key := strings.ToLower(e.Class + "/" + stem(e.Name))
		if names[key] {
			return fmt.Errorf("imageset: class %q has two pictures named %q (ignoring case and extension)", e.Class, stem(e.Name))
		}
		names[key] = true
	}
	return nil
}

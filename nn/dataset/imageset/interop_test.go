package imageset

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"slices"
	"strings"
	"testing"
)

// imageFolderExts are torchvision's IMG_EXTENSIONS, which ImageFolder
// compares with each file name in lower case.
var imageFolderExts = []string{".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"}

// sample is one (path, class index) pair of torchvision's ImageFolder.
type sample struct {
	path  string
	label int
}

// imageFolder lists the samples of an unpacked zip as torchvision's
// ImageFolder would, written from its documented behaviour without this
// package's reader: classes are the folders at the top, sorted; each
// class's files are found by walking its folder (folders sorted, files
// sorted within each), keeping those with an image extension.
func imageFolder(t *testing.T, z []byte) (classes []string, samples []sample) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string][]string{} // folder → files directly in it
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			dirs[strings.TrimSuffix(f.Name, "/")] = dirs[strings.TrimSuffix(f.Name, "/")]
			continue
		}
		d := path.Dir(f.Name)
		dirs[d] = append(dirs[d], path.Base(f.Name))
		for ; d != "."; d = path.Dir(d) {
			if _, ok := dirs[d]; !ok {
				dirs[d] = nil
			}
		}
	}
	for d := range dirs {
		if d != "." && !strings.Contains(d, "/") {
			classes = append(classes, d)
		}
	}
	slices.Sort(classes)
	for label, c := range classes {
		var roots []string
		for d := range dirs {
			if d == c || strings.HasPrefix(d, c+"/") {
				roots = append(roots, d)
			}
		}
		slices.Sort(roots)
		for _, root := range roots {
			files := slices.Sorted(slices.Values(dirs[root]))
			for _, f := range files {
				if slices.ContainsFunc(imageFolderExts, func(ext string) bool { return strings.HasSuffix(strings.ToLower(f), ext) }) {
					samples = append(samples, sample{root + "/" + f, label})
				}
			}
		}
	}
	return classes, samples
}

// TestImageFolderInterop exports a set and walks the zip as ImageFolder
// would: the same classes in the same order, every picture with its
// class's index and its bytes, no strokes file taken for a picture, and
// the same order of samples as ReadZip gives.
func TestImageFolderInterop(t *testing.T) {
	s := sampleSet(t, 3)
	s.Classes = []string{"ring", "Bar", "cross"} // not sorted, mixed case
	for i := range s.Examples {
		if s.Examples[i].Class == "bar" {
			s.Examples[i].Class = "Bar"
		}
	}
	s.Examples[0].Name = "sub/000.png" // ImageFolder walks subfolders
	var b bytes.Buffer
	if err := s.WriteZip(&b); err != nil {
		t.Fatal(err)
	}
	classes, samples := imageFolder(t, b.Bytes())
	if want := []string{"Bar", "cross", "ring"}; !slices.Equal(classes, want) {
		t.Fatalf("ImageFolder classes %v, want %v", classes, want)
	}
	if len(samples) != len(s.Examples) {
		t.Fatalf("ImageFolder finds %d samples, the set has %d", len(samples), len(s.Examples))
	}
	zr, _ := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	content := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		content[f.Name], _ = io.ReadAll(rc)
	}
	for _, e := range s.Examples {
		i := slices.IndexFunc(samples, func(sm sample) bool { return sm.path == e.Class+"/"+e.Name })
		if i < 0 {
			t.Fatalf("ImageFolder misses %s/%s", e.Class, e.Name)
		}
		if classes[samples[i].label] != e.Class || !bytes.Equal(content[samples[i].path], e.Data) {
			t.Errorf("%s: label %d (%s) or bytes differ", samples[i].path, samples[i].label, classes[samples[i].label])
		}
	}
	got, probs, err := ReadZip(b.Bytes())
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	if !slices.Equal(got.Classes, classes) {
		t.Fatalf("ReadZip classes %v, ImageFolder's %v", got.Classes, classes)
	}
	for i, e := range got.Examples {
		if samples[i].path != e.Class+"/"+e.Name {
			t.Errorf("sample %d: ReadZip has %s/%s, ImageFolder %s", i, e.Class, e.Name, samples[i].path)
		}
	}
}

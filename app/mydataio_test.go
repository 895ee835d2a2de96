package app

import (
	"bytes"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// picture returns a PNG of a w×h white picture with a dark bar at x.
func picture(t *testing.T, w, h, x int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := 2; y < h-2; y++ {
		img.Pix[y*w+x] = 0
		img.Pix[y*w+x+1] = 0
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMySetExportImport exports a set, clears it and imports the zip into
// a new set: the same classes, counts, file names, bytes and strokes.
func TestMySetExportImport(t *testing.T) {
	s := &mySet{ID: "a", Name: "Bars", Framing: dataset.ItemFraming}
	s.addClass("left")
	s.addClass("right")
	strokes := []myStroke{{{10, 20, 0}, {30, 40, 16}}}
	for i := range 3 {
		s.addExample(0, "", picture(t, 20, 20, 3+i), strokes)
		s.addExample(1, "p.png", picture(t, 20, 20, 14+i), nil)
	}
	zip, err := s.exportZip()
	if err != nil {
		t.Fatal(err)
	}
	in, problems, err := readMyFiles([]myFile{{Name: "bars.zip", Data: zip}}, "")
	if err != nil || len(problems) > 0 {
		t.Fatalf("reading the export: %v, %q", err, problems)
	}
	back := &mySet{ID: "b", Name: "Bars again"}
	changes, added, problems := back.merge(in)
	if added != 6 || len(problems) > 0 {
		t.Fatalf("merge added %d, problems %q", added, problems)
	}
	if back.Framing != dataset.ItemFraming {
		t.Errorf("framing %v after import, want item", back.Framing)
	}
	for ci, c := range s.Classes {
		bc := back.Classes[back.classIndex(c.Name)]
		if len(bc.Examples) != len(c.Examples) {
			t.Fatalf("class %s: %d examples back, want %d", c.Name, len(bc.Examples), len(c.Examples))
		}
		for _, e := range c.Examples {
			i := slices.IndexFunc(bc.Examples, func(b *myExample) bool { return b.File == e.File })
			if i < 0 {
				t.Fatalf("class %d: %s is missing after import", ci, e.File)
			}
			b := bc.Examples[i]
			if !bytes.Equal(b.Data, e.Data) {
				t.Errorf("%s/%s: bytes differ after export and import", c.Name, e.File)
			}
			if len(e.Strokes) > 0 && !slices.Equal(b.Strokes[0], e.Strokes[0]) {
				t.Errorf("%s/%s: strokes %v, want %v", c.Name, e.File, b.Strokes, e.Strokes)
			}
		}
	}
	// The writes keep what was added: a reload finds it.
	st := browserstore.NewMemory()
	if err := st.Write(changes...); err != nil {
		t.Fatal(err)
	}
	got, probs, _ := loadMySets(st)
	if n, _ := got.byID("b").count(); n != 6 || len(probs) > 0 {
		t.Errorf("reloaded %d images, problems %q", n, probs)
	}
}

// TestMySetMergeKeeps: an import into a set that has examples adds to the
// classes of the same name, and what does not fit is named, not lost.
func TestMySetMergeKeeps(t *testing.T) {
	s := &mySet{ID: "a", Name: "mine"}
	s.addClass("Left")
	s.addExample(0, "", picture(t, 20, 20, 3), nil)
	in, readProblems, err := readMyFiles([]myFile{
		{Name: "1.png", Path: "set/left/1.png", Data: picture(t, 20, 20, 4)},
		{Name: "2.png", Path: "set/up/2.png", Data: picture(t, 20, 20, 5)},
		{Name: "bad.png", Path: "set/up/bad.png", Data: []byte("not a png")},
		{Name: "notes.txt", Path: "set/up/notes.txt", Data: []byte("hello")},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, added, problems := s.merge(in)
	if added != 2 || len(s.Classes) != 2 || len(s.Classes[0].Examples) != 2 {
		t.Errorf("merge added %d; classes %q", added, s.classNames())
	}
	if len(problems) > 0 || !slices.ContainsFunc(readProblems, func(p string) bool { return strings.Contains(p, "bad.png") }) {
		t.Errorf("problems: merge %q, read %q (want bad.png named)", problems, readProblems)
	}
	// Loose pictures go to the class named, a bad one is named.
	in, problems, err = readMyFiles([]myFile{{Name: "x.png", Data: picture(t, 20, 20, 6)}, {Name: "y.png", Data: []byte("junk")}}, "Left")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "y.png") }) {
		t.Errorf("the junk picture is not named: %q", problems)
	}
	if _, added, _ := s.merge(in); added != 1 || len(s.Classes[0].Examples) != 3 {
		t.Errorf("loose pictures: added %d", added)
	}
	if _, _, err := readMyFiles([]myFile{{Name: "x.png", Data: picture(t, 20, 20, 6)}}, ""); err == nil {
		t.Error("loose pictures with no class were accepted")
	}
	// A full set takes what fits and names the rest.
	big := &mySet{ID: "c", Name: "big"}
	big.addClass("Left")
	big.addExample(0, "huge.png", make([]byte, myMaxBytes-10), nil)
	_, added, problems = big.merge(in)
	if added != 0 || len(problems) == 0 || !strings.Contains(problems[0], "not imported") || len(big.Classes[0].Examples) != 1 {
		t.Errorf("into a full set: added %d, problems %q", added, problems)
	}
}

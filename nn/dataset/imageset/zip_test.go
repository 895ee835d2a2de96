package imageset

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

func TestRoundTrip(t *testing.T) {
	s := sampleSet(t, 4)
	s.Framing = dataset.ItemFraming
	var b bytes.Buffer
	if err := s.WriteZip(&b); err != nil {
		t.Fatal(err)
	}
	got, probs, err := ReadZip(b.Bytes())
	if err != nil || len(probs) > 0 {
		t.Fatalf("ReadZip: %v, problems %v", err, probs)
	}
	want := *s
	want.Examples = slices.Clone(s.Examples)
	slices.SortStableFunc(want.Examples, func(a, b Example) int { return strings.Compare(a.Class, b.Class) })
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("read back %+v classes %v, want %v", got.Name, got.Classes, want.Classes)
	}
	var again bytes.Buffer
	if err := got.WriteZip(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Error("writing the set read back gives other bytes")
	}

	// The same files as a folder tree, inside one top folder.
	fsys := fstest.MapFS{}
	for _, e := range s.Examples {
		fsys["marks/"+e.Class+"/"+e.Name] = &fstest.MapFile{Data: e.Data}
	}
	fromDir, probs, err := ReadFS(fsys)
	if err != nil || len(probs) > 0 {
		t.Fatalf("ReadFS: %v, problems %v", err, probs)
	}
	if !slices.Equal(fromDir.Classes, want.Classes) || len(fromDir.Examples) != len(want.Examples) {
		t.Fatalf("ReadFS: classes %v, %d examples", fromDir.Classes, len(fromDir.Examples))
	}
	for i, e := range fromDir.Examples {
		if e.Class != want.Examples[i].Class || e.Name != want.Examples[i].Name || !bytes.Equal(e.Data, want.Examples[i].Data) || e.Strokes != nil {
			t.Fatalf("ReadFS example %d: %s/%s", i, e.Class, e.Name)
		}
	}
}

func TestSingleTopFolder(t *testing.T) {
	png := tinyPNG(t, 8, 8)
	z := makeZip(t,
		zfile{name: "my set/", data: nil},
		zfile{name: "my set/a/1.png", data: png},
		zfile{name: "my set/b/x/2.png", data: png},
		zfile{name: "__MACOSX/my set/a/._1.png", data: []byte("junk")},
		zfile{name: "my set/.DS_Store", data: []byte("junk")},
	)
	s, probs, err := ReadZip(z)
	if err != nil || len(probs) > 0 {
		t.Fatalf("ReadZip: %v, problems %v", err, probs)
	}
	if !slices.Equal(s.Classes, []string{"a", "b"}) || len(s.Examples) != 2 || s.Examples[1].Name != "x/2.png" {
		t.Fatalf("classes %v examples %+v", s.Classes, s.Examples)
	}
	// One class folder alone at the top is a class, not a wrapper.
	s, _, _ = ReadZip(makeZip(t, zfile{name: "only/1.png", data: png}))
	if !slices.Equal(s.Classes, []string{"only"}) {
		t.Fatalf("a lone class folder read as classes %v", s.Classes)
	}
}

func TestWriteZipRefuses(t *testing.T) {
	png := tinyPNG(t, 4, 4)
	for _, tc := range []struct {
		name string
		s    Set
	}{
		{"bad class", Set{Classes: []string{"a/b"}}},
		{"classes differ by case", Set{Classes: []string{"Cat", "cat"}}},
		{"unknown class", Set{Classes: []string{"a"}, Examples: []Example{{Class: "b", Name: "1.png", Data: png}}}},
		{"not a picture name", Set{Classes: []string{"a"}, Examples: []Example{{Class: "a", Name: "1.txt", Data: png}}}},
		{"climbs out", Set{Classes: []string{"a"}, Examples: []Example{{Class: "a", Name: "../1.png", Data: png}}}},
		{"hidden", Set{Classes: []string{"a"}, Examples: []Example{{Class: "a", Name: ".1.png", Data: png}}}},
		{"twice", Set{Classes: []string{"a"}, Examples: []Example{{Class: "a", Name: "1.png", Data: png}, {Class: "a", Name: "1.JPG", Data: png}}}},
	} {
		if err := tc.s.WriteZip(&bytes.Buffer{}); err == nil {
			t.Errorf("%s: WriteZip wrote it", tc.name)
		}
	}
}

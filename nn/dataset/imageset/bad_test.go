package imageset

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
	"testing/fstest"
)

// giantPNG returns a PNG header declaring w×h pixels with no pixel data:
// a few dozen bytes that would need gigabytes decoded.
func giantPNG(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

// TestBadInput reads a zip holding one bad file of every kind beside good
// pictures: each bad file is a Problem naming it, and the good ones are
// all read.
func TestBadInput(t *testing.T) {
	good := tinyPNG(t, 10, 10)
	corrupt := makeZip(t, zfile{name: "x", data: bytes.Repeat([]byte("abc"), 100), method: zip.Deflate})
	z := makeZip(t,
		zfile{name: "a/1.png", data: good},
		zfile{name: "a/2.png", data: []byte("not a png at all")},
		zfile{name: "a/3.png", data: giantPNG(30000, 30000)},
		zfile{name: "a/4.zip", data: corrupt},
		zfile{name: "a/5.png", data: make([]byte, MaxFileBytes+1), method: zip.Deflate},
		zfile{name: "a/6.bmp", data: []byte("BM")},
		zfile{name: "a/notes.txt", data: []byte("hello")},
		zfile{name: "a/7.strokes.json", data: []byte(`{"canvas":280,"strokes":[]}`)},
		zfile{name: "a/1.strokes.json", data: []byte(`{"canvas":-1}`)},
		zfile{name: "a/8.png", data: good, flags: 1},
		zfile{name: "b/1.png", data: good},
		zfile{name: "B/1.png", data: good},
		zfile{name: " /1.png", data: good},
		zfile{name: "empty/"},
		zfile{name: "loose.png", data: good},
		zfile{name: "../escape/1.png", data: good},
		zfile{name: "a/1.png", data: good},
		zfile{name: "a/9.png", data: good},
		zfile{name: "a/9.PNG", data: good},
		zfile{name: "cnnplay.json", data: []byte(`{"framing":"sideways"}`)},
	)
	s, probs, err := ReadZip(z)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Examples) != 3 || s.Examples[0].Class != "B" && s.Examples[0].Class != "a" {
		t.Errorf("read %d examples %+v, want a/1.png, a/9.PNG and one of b/1.png, B/1.png", len(s.Examples), s.Examples)
	}
	for _, e := range s.Examples {
		if e.Strokes != nil {
			t.Errorf("%s/%s got the broken strokes", e.Class, e.Name)
		}
	}
	want := map[string]string{
		"a/2.png":          "not a picture",
		"a/3.png":          "picture too large",
		"a/4.zip":          "zip inside the zip",
		"a/5.png":          "zip bomb",
		"a/6.bmp":          "BMP",
		"a/notes.txt":      "not a picture",
		"a/7.strokes.json": "no picture beside it",
		"a/1.strokes.json": "not a drawing's strokes",
		"a/8.png":          "encrypted",
		"b/":               "but for case",
		" /":               "needs a name",
		"empty/":           "no pictures",
		"loose.png":        "not in a class folder",
		"../escape/1.png":  "leaves its folder",
		"a/1.png":          "appears twice",
		"a/9.png":          "but for case or extension",
		"cnnplay.json":     "unknown framing",
	}
	seen := map[string]bool{}
	for _, p := range probs {
		t.Log(p)
		file := p.File
		if file == "B/" {
			file = "b/" // whichever of the two folders comes second is refused
		}
		w, ok := want[file]
		if !ok {
			t.Errorf("unexpected problem %v", p)
			continue
		}
		if !strings.Contains(p.Reason, w) {
			t.Errorf("problem %v does not say %q", p, w)
		}
		seen[file] = true
	}
	for f := range want {
		if !seen[f] {
			t.Errorf("no problem named %s", f)
		}
	}
	if !strings.Contains(strings.Join(s.Classes, ","), "empty") {
		t.Errorf("the empty class was dropped: %v", s.Classes)
	}
}

func TestNotAZip(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("PK\x03\x04 truncated"), tinyPNG(t, 3, 3)} {
		if _, _, err := ReadZip(data); err == nil {
			t.Errorf("ReadZip(%.10q) read it", data)
		}
	}
}

func TestCorruptEntry(t *testing.T) {
	z := makeZip(t, zfile{name: "a/1.png", data: tinyPNG(t, 40, 40), method: zip.Deflate}, zfile{name: "a/2.png", data: tinyPNG(t, 5, 5)})
	// Break the deflate stream of the first entry (it starts after its
	// 30-byte header and its name).
	i := 30 + len("a/1.png")
	for j := i; j < i+20; j++ {
		z[j] ^= 0xff
	}
	s, probs, err := ReadZip(z)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Examples) != 1 || len(probs) != 1 || probs[0].File != "a/1.png" || !strings.Contains(probs[0].Reason, "unreadable") {
		t.Fatalf("examples %d, problems %v", len(s.Examples), probs)
	}
}

// TestZipBombTotal checks that a set stops inflating at MaxBytes however
// small the zip: each entry is within MaxFileBytes, together they are not.
func TestZipBombTotal(t *testing.T) {
	var files []zfile
	zeros := make([]byte, MaxFileBytes-1)
	for i := range MaxBytes/MaxFileBytes + 2 {
		files = append(files, zfile{name: "a/" + pad(i) + ".png", data: zeros, method: zip.Deflate})
	}
	files = append(files, zfile{name: "b/1.png", data: tinyPNG(t, 4, 4)})
	z := makeZip(t, files...)
	if len(z) > 2<<20 {
		t.Fatalf("the bomb is %d bytes", len(z))
	}
	s, probs, err := ReadZip(z)
	if err != nil {
		t.Fatal(err)
	}
	var stop bool
	for _, p := range probs {
		stop = stop || p.File == "a/006.png" && strings.Contains(p.Reason, "at most 100 MB: this picture and 1 after it")
	}
	if !stop || len(s.Examples) != 0 {
		t.Fatalf("examples %d, problems %v", len(s.Examples), probs)
	}
}

func TestTooManyEntries(t *testing.T) {
	var files []zfile
	for i := range MaxEntries + 1 {
		files = append(files, zfile{name: "a/" + strings.Repeat("x", i%7) + pad(i%1000) + pad(i/1000)})
	}
	if _, _, err := ReadZip(makeZip(t, files...)); err == nil || !strings.Contains(err.Error(), "entries") {
		t.Fatalf("ReadZip of %d entries: %v", len(files), err)
	}
}

func TestTooManyImages(t *testing.T) {
	png := tinyPNG(t, 2, 2)
	fsys := fstest.MapFS{}
	for i := range MaxImages + 3 {
		fsys["c/"+pad(i/1000)+pad(i%1000)+".png"] = &fstest.MapFile{Data: png}
	}
	s, probs, err := ReadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Examples) != MaxImages || len(probs) != 1 || !strings.Contains(probs[0].Reason, "2 after it") {
		t.Fatalf("%d examples, problems %v", len(s.Examples), probs)
	}
}

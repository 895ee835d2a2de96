package imageset

import (
	"bytes"
	"testing"
)

// FuzzReadZip feeds ReadZip arbitrary bytes, starting from real exports: it
// must never panic, and a set it reads must hold only pictures that passed
// its checks, in classes it lists, and must write and read back the same.
func FuzzReadZip(f *testing.F) {
	var b bytes.Buffer
	if err := sampleSet(f, 1).WriteZip(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(makeZip(f, zfile{name: "top/a/1.png", data: tinyPNG(f, 3, 3)}, zfile{name: "top/b/"}))
	f.Add(makeZip(f, zfile{name: "a/x.png", data: tinyPNG(f, 3, 3)}, zfile{name: "a/X.jpg", data: tinyPNG(f, 3, 3)}))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := ReadZip(data)
		if err != nil {
			return
		}
		for _, e := range s.Examples {
			if err := checkPicture(e.Data); err != nil {
				t.Fatalf("%s/%s kept: %v", e.Class, e.Name, err)
			}
			if CheckClassName(e.Class) != nil {
				t.Fatalf("class %q kept", e.Class)
			}
		}
		var out bytes.Buffer
		if err := s.WriteZip(&out); err != nil {
			t.Fatalf("a set ReadZip read does not write: %v", err)
		}
		again, probs, err := ReadZip(out.Bytes())
		if err != nil || len(again.Examples) != len(s.Examples) || len(again.Classes) != len(s.Classes) {
			t.Fatalf("written and read back: %v, %d of %d examples, problems %v", err, len(again.Examples), len(s.Examples), probs)
		}
	})
}

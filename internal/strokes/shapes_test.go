package strokes

import (
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

var (
	writeSet = flag.String("write", "", "TestWriteSet: write a folder set here (see -set, -per, -seed, -classes)")
	setKind  = flag.String("set", "shapes", "TestWriteSet: shapes or letters")
	perClass = flag.Int("per", 100, "TestWriteSet: drawings per class")
	setSeed  = flag.Uint64("seed", 1, "TestWriteSet: seed of the drawings")
	classes  = flag.Int("classes", 5, "TestWriteSet: the first this many classes")
	sheet    = flag.String("sheet", "", "TestWriteSet: also write a contact sheet PNG here")
)

// TestWriteSet writes a folder set of generated drawings with -write: the
// sets cnn train -data measures itself on, e.g.
//
//	go test ./internal/strokes -run TestWriteSet -write /tmp/shapes -per 100 -seed 1
//
// Without -write it checks a small set instead: every drawing reads back
// from a zip as it was written and prepares as a picture with ink.
func TestWriteSet(t *testing.T) {
	n, dir := *perClass, *writeSet
	if dir == "" {
		n, dir = 4, t.TempDir()
	}
	s, err := Set(*setKind, *classes, n, *setSeed)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFolder(dir, s); err != nil {
		t.Fatal(err)
	}
	got, probs, err := imageset.ReadFS(os.DirFS(dir))
	if err != nil || len(probs) > 0 {
		t.Fatalf("reading back: %v, %v", err, probs)
	}
	if len(got.Examples) != len(s.Examples) || !slices.Equal(got.Classes, slices.Sorted(slices.Values(s.Classes))) {
		t.Fatalf("read back %d examples of %v", len(got.Examples), got.Classes)
	}
	p, probs, err := got.Prepare()
	if err != nil || len(probs) > 0 || p.N != len(s.Examples) {
		t.Fatalf("prepared %v: %v, %v", p, err, probs)
	}
	if *sheet != "" {
		writeSheet(t, *sheet, p)
	}
}

// writeSheet saves the prepared 28×28 images as rows of a contact sheet.
func writeSheet(t *testing.T, path string, p *imageset.Prepared) {
	const cols = 25
	rows := (p.N + cols - 1) / cols
	img := image.NewGray(image.Rect(0, 0, cols*29, rows*29))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 60}), image.Point{}, draw.Src)
	for i := range p.N {
		x0, y0 := (i%cols)*29, (i/cols)*29
		for j, v := range p.Image(i) {
			img.Pix[(y0+j/28)*img.Stride+x0+j%28] = uint8(255 * v)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// TestShapesVary checks that the generator is deterministic, keeps the pen
// on the canvas and draws each class in sizes, places and pen widths that
// vary as a mouse user's do.
func TestShapesVary(t *testing.T) {
	for _, kind := range []string{"shapes", "letters"} {
		a, b := generate(kind, 30, 7), generate(kind, 30, 7)
		if !slices.EqualFunc(a, b, func(x, y Drawing) bool {
			return x.Name == y.Name && x.Width == y.Width && slices.EqualFunc(x.Strokes, y.Strokes, slices.Equal)
		}) {
			t.Fatalf("%s: the same seed drew other drawings", kind)
		}
		widths, sizes, xs := []float64{}, []float64{}, []float64{}
		for _, d := range a {
			lo, hi := [2]float64{1e9, 1e9}, [2]float64{-1e9, -1e9}
			for _, s := range d.Strokes {
				for _, p := range s {
					if p[0] < 0 || p[1] < 0 || p[0] > Canvas || p[1] > Canvas {
						t.Fatalf("%s: point %v off the canvas", d.Name, p)
					}
					lo = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}
					hi = [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
				}
			}
			widths = append(widths, d.Width)
			sizes = append(sizes, max(hi[0]-lo[0], hi[1]-lo[1]))
			xs = append(xs, (lo[0]+hi[0])/2)
		}
		for name, v := range map[string][]float64{"pen width": widths, "size": sizes, "place": xs} {
			lo, hi := slices.Min(v), slices.Max(v)
			if hi < 1.8*lo {
				t.Errorf("%s: %s varies only from %.1f to %.1f", kind, name, lo, hi)
			}
		}
	}
}

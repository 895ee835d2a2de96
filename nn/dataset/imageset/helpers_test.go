package imageset

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

// drawing returns a ring (class 0), a bar (1) or a cross (2) drawn as a
// mouse user would, varied by k, with its strokes and times.
func drawing(class, k int) ([][][2]float64, *Strokes) {
	const c = 140.0
	r := 50 + float64(k%5)*8
	dx, dy := float64(k%7-3)*6, float64(k%3-1)*9
	var paths [][][2]float64
	switch class {
	case 0:
		var ring [][2]float64
		for i := 0; i <= 40; i++ {
			a := 2 * math.Pi * float64(i) / 40
			ring = append(ring, [2]float64{c + dx + r*math.Cos(a), c + dy + r*math.Sin(a)})
		}
		paths = append(paths, ring)
	case 1:
		paths = append(paths, [][2]float64{{c + dx, c + dy - r}, {c + dx, c + dy + r}})
	default:
		paths = append(paths,
			[][2]float64{{c + dx - r, c + dy - r}, {c + dx + r, c + dy + r}},
			[][2]float64{{c + dx + r, c + dy - r}, {c + dx - r, c + dy + r}})
	}
	st := &Strokes{Canvas: 280, Width: 18}
	t := 0.0
	for _, p := range paths {
		var s [][3]float64
		for _, q := range p {
			s = append(s, [3]float64{q[0], q[1], t})
			t += 16
		}
		st.Strokes = append(st.Strokes, s)
		t += 200
	}
	return paths, st
}

// drawingPNG encodes a drawing as the page exports it: black ink on white,
// 280×280, as a PNG.
func drawingPNG(t testing.TB, class, k int) ([]byte, *Strokes) {
	t.Helper()
	d, st := drawing(class, k)
	rgba := render(d, 280, st.Width)
	img := &image.NRGBA{Pix: rgba, Stride: 4 * 280, Rect: image.Rect(0, 0, 280, 280)}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), st
}

// tinyPNG returns a w×h PNG with a dot in the middle.
func tinyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	img.SetGray(w/2, h/2, color.Gray{255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zfile is one file of a zip a test makes by hand.
type zfile struct {
	name   string
	data   []byte
	method uint16
	flags  uint16
}

func makeZip(t testing.TB, files ...zfile) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: f.method, Flags: f.flags})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sampleSet returns a set of three classes of perClass drawings each.
func sampleSet(t testing.TB, perClass int) *Set {
	t.Helper()
	s := &Set{Name: "marks", Classes: []string{"bar", "cross", "ring"}}
	for c, name := range []string{"ring", "bar", "cross"} {
		for k := range perClass {
			b, st := drawingPNG(t, c, k)
			s.Examples = append(s.Examples, Example{Class: name, Name: pad(k) + ".png", Data: b, Strokes: st})
		}
	}
	return s
}

func pad(k int) string {
	return string([]byte{'0' + byte(k/100%10), '0' + byte(k/10%10), '0' + byte(k%10)})
}

// renderRGBA paints a drawing as the page's canvas holds it.
func renderRGBA(d [][][2]float64, st *Strokes) []uint8 {
	return render(d, st.Canvas, st.Width)
}

// render paints polylines of the given width, black on opaque white, as
// RGBA bytes, anti-aliased by each pixel centre's distance from the path
// (this package's tests draw their own, so that internal/strokes may build
// sets with this package).
func render(paths [][][2]float64, size int, width float64) []uint8 {
	rgba := make([]uint8, 4*size*size)
	for y := range size {
		for x := range size {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Inf(1)
			for _, p := range paths {
				for i := range max(len(p)-1, 1) {
					a, b := p[i], p[min(i+1, len(p)-1)]
					dx, dy := b[0]-a[0], b[1]-a[1]
					t := 0.0
					if l2 := dx*dx + dy*dy; l2 > 0 {
						t = min(max(((px-a[0])*dx+(py-a[1])*dy)/l2, 0), 1)
					}
					d = min(d, math.Hypot(px-a[0]-t*dx, py-a[1]-t*dy))
				}
			}
			v := uint8(math.Round(255 * (1 - min(max(width/2+0.5-d, 0), 1))))
			i := 4 * (y*size + x)
			rgba[i], rgba[i+1], rgba[i+2], rgba[i+3] = v, v, v, 255
		}
	}
	return rgba
}

// emptyPNG is a white picture: nothing drawn.
func emptyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 50, 50))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

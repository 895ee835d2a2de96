package preprocess

import "testing"

// benchDigit measures Digit on picture g (w×h).
func benchDigit(b *testing.B, g []float32, w, h int) {
	b.Helper()
	if _, err := Digit(g, w, h); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(w*h), "pixels")
	for b.Loop() {
		Digit(g, w, h)
	}
}

// BenchmarkDigitCanvas is the page's drawing: a 280×280 canvas.
func BenchmarkDigitCanvas(b *testing.B) {
	benchDigit(b, stroke(280, 280, 100, 60, 0, 1), 280, 280)
}

// BenchmarkDigitCrop is a tight crop, 64 pixels high, grey on grey with
// noise.
func BenchmarkDigitCrop(b *testing.B) {
	s := loadTest(b)
	img := s.Image(0)
	x0, x1, y0, y1 := inkBounds(img)
	g, w, h := render(img, x0, x1, y0, y1, 64/float64(max(x1-x0, y1-y0)), tints[6], 1)
	benchDigit(b, g, w, h)
}

// BenchmarkDigitPhotoSm and Lg are photos of a digit on unevenly lit
// paper, 300×200 and 1200×800.
func BenchmarkDigitPhotoSm(b *testing.B) {
	s := loadTest(b)
	benchDigit(b, photo(s.Image(0), 6, 300, 200, 60, 20, 1), 300, 200)
}

func BenchmarkDigitPhotoLg(b *testing.B) {
	s := loadTest(b)
	benchDigit(b, photo(s.Image(0), 24, 1200, 800, 240, 80, 1), 1200, 800)
}

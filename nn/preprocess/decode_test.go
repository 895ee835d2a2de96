package preprocess

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cnnplay/cnnplay/nn/nntest"
)

// TestDecodeImageRefusesBomb: the 389 KB PNG of 20000×20000 pixels (400
// megapixels; image.Decode and Gray took cnn predict to 4 GB) is refused
// by its header, for well under 100 MB.
func TestDecodeImageRefusesBomb(t *testing.T) {
	bomb := nntest.PNG(20000, 20000, 20000)
	var err error
	n := nntest.Allocated(func() { _, _, err = DecodeImage(bytes.NewReader(bomb)) })
	t.Logf("a %d-byte PNG of 20000×20000 pixels: refused after allocating %d bytes", len(bomb), n)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "20000×20000 pixels (400 megapixels); at most 40 megapixels") {
		t.Errorf("error %v", err)
	}
	if n >= 100<<20 {
		t.Errorf("refusing the bomb allocated %d MB, want under 100", n>>20)
	}
}

// TestDecodeImageLimit: the limit is on width × height, at MaxPixels
// exactly.
func TestDecodeImageLimit(t *testing.T) {
	for _, c := range []struct {
		w, h    int
		tooMuch bool
	}{
		{1, MaxPixels, false}, {MaxPixels / 8000, 8000, false}, {1, MaxPixels + 1, true},
		{8000, 5001, true}, {65536, 65536, true}, {MaxPixels + 1, 1, true},
	} {
		// Headers only: a picture within the limit then fails for want of pixel data.
		_, _, err := DecodeImage(bytes.NewReader(nntest.PNG(c.w, c.h, 0)))
		if errors.Is(err, ErrTooLarge) != c.tooMuch || err == nil {
			t.Errorf("%d×%d: error %v, want too large: %v", c.w, c.h, err, c.tooMuch)
		}
	}
	if _, _, err := DecodeImage(strings.NewReader("GIF89a not registered")); err == nil {
		t.Error("decoded a format that is not registered")
	}
}

// TestDecodeImageSame: what DecodeImage returns is what image.Decode
// returns, for PNG and JPEG, from a reader that gives one byte at a time.
func TestDecodeImageSame(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 37)
	}
	img.Set(3, 4, color.NRGBA{10, 200, 30, 128})
	var p, j bytes.Buffer
	png.Encode(&p, img)
	jpeg.Encode(&j, img, nil)
	for _, file := range [][]byte{p.Bytes(), j.Bytes()} {
		want, wantFormat, err := image.Decode(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		got, format, err := DecodeImage(iotest.OneByteReader(bytes.NewReader(file)))
		if err != nil || format != wantFormat || got.Bounds() != want.Bounds() {
			t.Fatalf("%s: %v, format %q, bounds %v", wantFormat, err, format, got.Bounds())
		}
		for y := range 23 {
			for x := range 37 {
				if got.At(x, y) != want.At(x, y) {
					t.Fatalf("%s: pixel (%d,%d) is %v, want %v", format, x, y, got.At(x, y), want.At(x, y))
				}
			}
		}
	}
}

// TestCheckSize: the first 256 KB of the bomb are enough to refuse it; a
// picture within the limit, a header cut short and a format package image
// does not know pass, for their decoder to bound.
func TestCheckSize(t *testing.T) {
	bomb := nntest.PNG(20000, 20000, 20000)
	if err := CheckSize(bomb[:256<<10]); !errors.Is(err, ErrTooLarge) {
		t.Errorf("the bomb's first 256 KB: %v, want ErrTooLarge", err)
	}
	for name, head := range map[string][]byte{
		"a 6000×6000 PNG": nntest.PNG(6000, 6000, 0),
		"a cut header":    nntest.PNG(20000, 20000, 0)[:20],
		"an unknown kind": []byte("RIFF\x00\x00\x00\x00WEBPVP8 "),
		"nothing":         nil,
	} {
		if err := CheckSize(head); err != nil {
			t.Errorf("%s: %v, want nil", name, err)
		}
	}
}

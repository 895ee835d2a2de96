package preprocess

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// FuzzDigit gives Digit and Item pictures of any size up to 256×256 with
// any pixels: bytes as luminance steps of 1/255, or (floats) 4 bytes per
// pixel as any float32, NaN and infinities too. The data is repeated to
// fill the picture. Each call must return a 28×28 image in [0,1] whose
// brightest pixel is 1, or ErrEmpty, or for a NaN pixel an error; it must
// never panic. The size bound keeps each call short.
func FuzzDigit(f *testing.F) {
	f.Add(uint8(27), uint8(27), false, []byte{0})
	f.Add(uint8(0), uint8(0), false, []byte{200})
	f.Add(uint8(99), uint8(0), false, []byte{0, 255, 255, 0, 7})
	f.Add(uint8(19), uint8(27), false, []byte{150, 150, 110, 110, 110, 150, 150, 150})
	f.Add(uint8(63), uint8(63), true, []byte{0, 0, 0x80, 0x7f, 0, 0, 0, 0}) // +Inf and 0
	f.Add(uint8(3), uint8(2), true, []byte{0, 0, 0xc0, 0x7f})               // NaN
	// A stroke on a canvas, as bytes.
	const side = 64
	canvas := stroke(side, side, 2, 2, 0, 1)
	pix := make([]byte, len(canvas))
	for i, v := range canvas {
		pix[i] = byte(255 * v)
	}
	f.Add(uint8(side-1), uint8(side-1), false, pix)

	f.Fuzz(func(t *testing.T, w8, h8 uint8, floats bool, data []byte) {
		w, h := int(w8)+1, int(h8)+1
		g := make([]float32, w*h)
		nan := false
		if n := len(data) / 4; floats && n > 0 {
			for i := range g {
				j := 4 * (i % n)
				g[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[j : j+4]))
				nan = nan || g[i] != g[i]
			}
		} else if n := len(data); n > 0 {
			for i := range g {
				g[i] = float32(data[i%n]) / 255
			}
		}
		for name, f := range map[string]func([]float32, int, int) ([]float32, error){"Digit": Digit, "Item": Item} {
			out, err := f(g, w, h)
			switch {
			case nan:
				if err == nil || errors.Is(err, ErrEmpty) {
					t.Fatalf("%s of a %d×%d picture with a NaN pixel: %v, want an error", name, w, h, err)
				}
				continue
			case errors.Is(err, ErrEmpty):
				continue
			case err != nil:
				t.Fatalf("%s of a %d×%d picture: %v", name, w, h, err)
			case len(out) != Size*Size:
				t.Fatalf("%s of a %d×%d picture: %d pixels", name, w, h, len(out))
			}
			var peak float32
			for i, v := range out {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("%s of a %d×%d picture: pixel %d is %v", name, w, h, i, v)
				}
				peak = max(peak, v)
			}
			if peak != 1 {
				t.Fatalf("%s of a %d×%d picture: brightest pixel %v, want 1", name, w, h, peak)
			}
		}
	})
}

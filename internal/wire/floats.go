package wire

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"
)

// EncodeFloats appends f to dst as little-endian IEEE 754 float32 bytes,
// four per value, and returns the extended slice. NaNs keep their bits.
func EncodeFloats(dst []byte, f []float32) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, 4*len(f))...)
	b := dst[n:]
	for i, v := range f {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return dst
}

// DecodeFloats returns the float32 values in b, the inverse of EncodeFloats.
// It returns an error if len(b) is not a multiple of 4.
func DecodeFloats(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("wire: %d bytes of float32 data is not a multiple of 4", len(b))
	}
	f := make([]float32, len(b)/4)
	for i := range f {
		f[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return f, nil
}

// FloatBytes is the memory of f as bytes, for copying a message body
// straight into (or out of) float32 values with no conversion loop: under
// WebAssembly, which is little-endian, they are the bytes EncodeFloats
// writes. Only the browser's message code (jswire, the page's worker
// messages) uses it.
func FloatBytes(f []float32) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(f))), 4*len(f))
}

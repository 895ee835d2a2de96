package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxIDXBytes is the largest amount of data ReadIDX accepts, so that a
// hostile or damaged header cannot make it allocate gigabytes.
const MaxIDXBytes = 1 << 28

// IDX is the content of an IDX file of unsigned bytes: its dimensions and
// its data in row-major order (len(Data) is the product of Dims).
type IDX struct {
	Dims []int
	Data []byte
}

// idxTypeNames names the element types of the IDX format.
var idxTypeNames = map[byte]string{
	0x08: "uint8",
	0x09: "int8",
	0x0B: "int16",
	0x0C: "int32",
	0x0D: "float32",
	0x0E: "float64",
}

// ReadIDX reads an IDX file of unsigned bytes (magic 0x00000801 for 1-D
// labels, 0x00000803 for 3-D images, or any other uint8 IDX of 1 to 4
// dimensions) from r. A gzip-compressed stream is detected by its first two
// bytes (0x1f 0x8b) and decompressed. ReadIDX returns an error for a wrong
// magic number, an element type other than uint8, dimensions whose product
// exceeds MaxIDXBytes, data shorter than the header announces, and bytes
// after the data.
func ReadIDX(r io.Reader) (*IDX, error) {
	return readIDX(r, 0)
}

// readIDX is ReadIDX, but when items is positive and less than the first
// dimension, it keeps only the first items entries of the first dimension
// (images or labels) and reads nothing after them: the rest of the file is
// neither decompressed nor checked.
func readIDX(r io.Reader, items int) (*IDX, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: bad gzip stream: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}

	var magic [4]byte
	if n, err := io.ReadFull(br, magic[:]); err != nil {
		return nil, fmt.Errorf("idx: truncated: want a 4-byte magic number, got %d bytes", n)
	}
	m := binary.BigEndian.Uint32(magic[:])
	typeName, known := idxTypeNames[magic[2]]
	if magic[0] != 0 || magic[1] != 0 || !known || magic[3] == 0 {
		return nil, fmt.Errorf("idx: not an IDX file: magic 0x%08x (want 0x00000801 for labels or 0x00000803 for images)", m)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("idx: unsupported element type 0x%02x (%s) in magic 0x%08x: only uint8 (0x08) is supported", magic[2], typeName, m)
	}
	nd := int(magic[3])
	if nd > 4 {
		return nil, fmt.Errorf("idx: unsupported number of dimensions %d in magic 0x%08x: at most 4", nd, m)
	}

	hdr := make([]byte, 4*nd)
	if n, err := io.ReadFull(br, hdr); err != nil {
		return nil, fmt.Errorf("idx: truncated: want %d bytes of dimensions, got %d", len(hdr), n)
	}
	dims := make([]int, nd)
	total := 1
	for i := range dims {
		d := int32(binary.BigEndian.Uint32(hdr[4*i:]))
		if d <= 0 {
			return nil, fmt.Errorf("idx: dimension %d is %d, must be positive", i, d)
		}
		dims[i] = int(d)
		if total > MaxIDXBytes/dims[i] {
			return nil, fmt.Errorf("idx: dimensions %v announce more than %d bytes of data: refusing to allocate", dimsSoFar(hdr, nd), MaxIDXBytes)
		}
		total *= dims[i]
	}

	partial := items > 0 && items < dims[0]
	if partial {
		total = total / dims[0] * items
		dims[0] = items
	}
	data := make([]byte, total)
	if n, err := io.ReadFull(br, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("idx: truncated: want %d bytes of data, got %d", total, n)
		}
		return nil, fmt.Errorf("idx: reading data: %w", err)
	}
	if partial {
		return &IDX{Dims: dims, Data: data}, nil
	}
	var extra [1]byte
	switch n, err := br.Read(extra[:]); {
	case n > 0:
		return nil, fmt.Errorf("idx: unexpected bytes after the %d bytes of data announced by dimensions %v", total, dims)
	case err != nil && err != io.EOF:
		return nil, fmt.Errorf("idx: reading data: %w", err)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// dimsSoFar decodes all nd dimensions of a header for an error message.
func dimsSoFar(hdr []byte, nd int) []int32 {
	d := make([]int32, nd)
	for i := range d {
		d[i] = int32(binary.BigEndian.Uint32(hdr[4*i:]))
	}
	return d
}

// WriteIDX writes x to w as an uncompressed IDX file of unsigned bytes.
// Wrap w in a gzip.Writer for a compressed file. It returns an error if
// len(x.Data) is not the product of x.Dims or a dimension does not fit the
// format.
func WriteIDX(w io.Writer, x *IDX) error {
	if len(x.Dims) < 1 || len(x.Dims) > 4 {
		return fmt.Errorf("idx: %d dimensions, want 1 to 4", len(x.Dims))
	}
	total := 1
	hdr := []byte{0, 0, 0x08, byte(len(x.Dims))}
	for _, d := range x.Dims {
		if d <= 0 || d > 1<<31-1 {
			return fmt.Errorf("idx: dimension %d out of range", d)
		}
		total *= d
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(d))
	}
	if total != len(x.Data) {
		return fmt.Errorf("idx: dimensions %v need %d bytes, have %d", x.Dims, total, len(x.Data))
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	_, err := w.Write(x.Data)
	return err
}

package imageset

import (
	"bytes"
	"compress/gzip"
	"fmt"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// EncodeIDX returns s's images and labels as two gzipped IDX files (N×H×W
// bytes, N labels), the form a training worker reads (dataset.Load): the
// page sends a prepared set to the worker this way. The images must be
// held as bytes (Pixels), as Prepare makes them; it returns an error
// otherwise, or for an empty set.
func EncodeIDX(s *dataset.Set) (images, labels []byte, err error) {
	if s.Pixels == nil || s.N == 0 || len(s.Pixels) != s.N*s.H*s.W || len(s.Labels) != s.N {
		return nil, nil, fmt.Errorf("imageset: EncodeIDX needs a set of at least one image held as bytes, got %d images", s.N)
	}
	gz := func(x *dataset.IDX) ([]byte, error) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		if err := dataset.WriteIDX(zw, x); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	if images, err = gz(&dataset.IDX{Dims: []int{s.N, s.H, s.W}, Data: s.Pixels}); err != nil {
		return nil, nil, err
	}
	if labels, err = gz(&dataset.IDX{Dims: []int{s.N}, Data: s.Labels}); err != nil {
		return nil, nil, err
	}
	return images, labels, nil
}

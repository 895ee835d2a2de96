//go:build !js

package classroom

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// Export formats.
const (
	// FormatFolders is a zip with one folder per class of PNGs, the layout
	// of Keras' image_dataset_from_directory, torchvision's ImageFolder and
	// the playground's own data (nn/dataset/imageset): each drawing as the
	// student's canvas showed it (280×280, dark ink on white), which the
	// own-data import prepares into the very image the network saw here,
	// and its strokes beside it as <id>.strokes.json. Nicknames stay out.
	FormatFolders = "folders"
	// FormatIDX is a zip with MNIST-style IDX files (gzipped): images,
	// labels (the index of the class in classes.txt) and classes.txt.
	FormatIDX = "idx"
)

// exported returns the drawings an export holds: those not deleted or
// flagged, oldest first, with their strokes and images (it renders those
// still waiting first; one that arrives meanwhile is left for the next).
func (s *Store) exported(ctx context.Context) ([]Drawing, error) {
	if err := s.renderPending(ctx); err != nil {
		return nil, err
	}
	var out []Drawing
	for after := int64(0); ; {
		ds, err := s.Drawings(ctx, after, 1000, true)
		if err != nil {
			return nil, err
		}
		if len(ds) == 0 {
			return out, nil
		}
		for _, d := range ds {
			if !d.Flagged && d.Image != nil {
				out = append(out, d)
			}
		}
		after = ds[len(ds)-1].ID
	}
}

// classOrder returns the class names of an export: the class's, then any
// label of a drawing the class's names no longer have, in order.
func classOrder(classes []string, ds []Drawing) []string {
	out := slices.Clone(classes)
	for _, d := range ds {
		if !slices.Contains(out, d.Label) {
			out = append(out, d.Label)
		}
	}
	return out
}

// WriteFolders writes the drawings ds of the classes as a FormatFolders
// zip to buf, with imageset's writer: the zip the playground's own-data
// import, `cnn train -data` and ImageFolder read. The set is named name.
//
// A class without drawings has no folder: readers take an empty folder for
// a mistake, and a class to learn needs examples.
func WriteFolders(buf *bytes.Buffer, name string, classes []string, ds []Drawing) error {
	set := &imageset.Set{Name: name, Framing: dataset.DigitFraming}
	for _, c := range classes {
		if slices.ContainsFunc(ds, func(d Drawing) bool { return d.Label == c }) {
			set.Classes = append(set.Classes, c)
		}
	}
	for _, d := range ds {
		var ss [][]Point
		if err := json.Unmarshal(d.Strokes, &ss); err != nil {
			return fmt.Errorf("drawing %d: its strokes are corrupt: %w", d.ID, err)
		}
		var pic bytes.Buffer
		if err := png.Encode(&pic, CanvasPicture(ss)); err != nil {
			return err
		}
		points := make([][][3]float64, len(ss))
		for i, s := range ss {
			points[i] = make([][3]float64, len(s))
			for j, p := range s {
				points[i][j] = p
			}
		}
		set.Examples = append(set.Examples, imageset.Example{
			Class:   d.Label,
			Name:    fmt.Sprintf("%06d.png", d.ID),
			Data:    pic.Bytes(),
			Strokes: &imageset.Strokes{Canvas: Canvas, Width: Brush, Strokes: points},
		})
	}
	return set.WriteZip(buf)
}

// WriteIDX writes the drawings ds of the classes as a FormatIDX zip.
func WriteIDX(buf *bytes.Buffer, _ string, classes []string, ds []Drawing) error {
	images := &dataset.IDX{Dims: []int{len(ds), Side, Side}, Data: make([]byte, 0, len(ds)*Side*Side)}
	labels := &dataset.IDX{Dims: []int{len(ds)}, Data: make([]byte, 0, len(ds))}
	if len(classes) > 256 {
		return fmt.Errorf("%d classes do not fit IDX byte labels", len(classes))
	}
	for _, d := range ds {
		images.Data = append(images.Data, d.Image...)
		labels.Data = append(labels.Data, byte(slices.Index(classes, d.Label)))
	}
	zw := zip.NewWriter(buf)
	for _, f := range []struct {
		name string
		x    *dataset.IDX
	}{{"images-idx3-ubyte.gz", images}, {"labels-idx1-ubyte.gz", labels}} {
		var gz bytes.Buffer
		g := gzip.NewWriter(&gz)
		if err := dataset.WriteIDX(g, f.x); err != nil {
			return err
		}
		if err := g.Close(); err != nil {
			return err
		}
		if err := addFile(zw, f.name, time.Now(), gz.Bytes()); err != nil {
			return err
		}
	}
	if err := addFile(zw, "classes.txt", time.Now(), []byte(strings.Join(classes, "\n")+"\n")); err != nil {
		return err
	}
	return zw.Close()
}

func addFile(zw *zip.Writer, name string, t time.Time, b []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: t})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// export answers the teacher's export: the drawings that are neither
// deleted nor flagged, as a zip of the format asked for.
func (h *Handler) export(r *http.Request) (int, any, error) {
	var req struct {
		Format string `json:"format"`
	}
	if err := decode(r, 1<<10, &req); err != nil {
		return 0, nil, err
	}
	write := map[string]func(*bytes.Buffer, string, []string, []Drawing) error{FormatFolders: WriteFolders, FormatIDX: WriteIDX}[req.Format]
	if write == nil {
		return 0, nil, errorf(http.StatusBadRequest, "format %q: want %q or %q", req.Format, FormatFolders, FormatIDX)
	}
	c, err := h.store.Class(r.Context())
	if err != nil {
		return 0, nil, err
	}
	ds, err := h.store.exported(r.Context())
	if err != nil {
		return 0, nil, err
	}
	var buf bytes.Buffer
	if err := write(&buf, "class "+c.Code, classOrder(c.Classes, ds), ds); err != nil {
		return 0, nil, err
	}
	name := fmt.Sprintf("class-%s-%s.zip", c.Code, req.Format)
	return http.StatusOK, file{typ: "application/zip", name: name, data: buf.Bytes()}, nil
}

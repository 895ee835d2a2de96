//go:build !js

package classroom

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Export formats.
const (
	// FormatFolders is a zip with one folder per class of 28×28 PNGs (the
	// layout of Keras' image_dataset_from_directory and torchvision's
	// ImageFolder, and of the playground's own-data import), each with its
	// strokes beside it as <id>.strokes.json, and drawings.csv listing
	// every drawing.
	FormatFolders = "folders"
	// FormatIDX is a zip with MNIST-style IDX files (gzipped): images,
	// labels (the index of the class in classes.txt) and classes.txt.
	FormatIDX = "idx"
)

// exported returns the drawings an export holds: those not deleted or
// flagged, oldest first, with their strokes.
func (s *Store) exported(ctx context.Context) ([]Drawing, error) {
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
			if !d.Flagged {
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
// zip to buf.
func WriteFolders(buf *bytes.Buffer, classes []string, ds []Drawing) error {
	zw := zip.NewWriter(buf)
	manifest := &bytes.Buffer{}
	cw := csv.NewWriter(manifest)
	cw.Write([]string{"file", "class", "nickname", "time"})
	for _, d := range ds {
		name := fmt.Sprintf("%s/%06d", d.Label, d.ID)
		if err := addFile(zw, name+".png", d.Created, encodePNG(d.Image)); err != nil {
			return err
		}
		if err := addFile(zw, name+".strokes.json", d.Created, d.Strokes); err != nil {
			return err
		}
		cw.Write([]string{name + ".png", d.Label, csvSafe(d.Nickname), d.Created.UTC().Format(time.RFC3339)})
	}
	cw.Flush()
	if err := addFile(zw, "drawings.csv", time.Now(), manifest.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

// csvSafe keeps a spreadsheet from reading a nickname as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteIDX writes the drawings ds of the classes as a FormatIDX zip.
func WriteIDX(buf *bytes.Buffer, classes []string, ds []Drawing) error {
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
	write := map[string]func(*bytes.Buffer, []string, []Drawing) error{FormatFolders: WriteFolders, FormatIDX: WriteIDX}[req.Format]
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
	if err := write(&buf, classOrder(c.Classes, ds), ds); err != nil {
		return 0, nil, err
	}
	name := fmt.Sprintf("class-%s-%s.zip", c.Code, req.Format)
	return http.StatusOK, file{typ: "application/zip", name: name, data: buf.Bytes()}, nil
}

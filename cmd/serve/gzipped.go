package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/cnnplay/cnnplay/internal/atomicfile"
)

// A static export's gzipped copies (see exportStatic and web/loader.js).

// gzipMinSize is the smallest file worth a gzipped copy: below it, the
// request's round trip costs more than the bytes saved.
const gzipMinSize = 32 << 10

// alreadyCompressed lists extensions whose files gzip cannot shrink (the
// datasets are gzipped IDX files).
var alreadyCompressed = map[string]bool{".gz": true, ".br": true, ".png": true, ".jpg": true, ".zip": true}

// gzipEntry is what web/loader.js is told of one gzipped copy: the plain
// file's size and, for a model, where its byte planes start (see
// splitPlanes); -1 for a file gzipped as it is.
type gzipEntry struct {
	Size   int64 `json:"size"`
	Planes int   `json:"planes"`
}

// writeGzipped writes name.gz under dir for each file of assets of at
// least gzipMinSize bytes that gzip -9 shrinks by 5% or more (the models'
// float weights: 7%; 15% with their bytes split into planes), and returns
// their names with what the loader needs to restore them.
func writeGzipped(assets fs.FS, dir string) (map[string]gzipEntry, error) {
	start := time.Now()
	var names []string
	err := fs.WalkDir(assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || alreadyCompressed[path.Ext(name)] {
			return err
		}
		info, err := d.Info()
		if err == nil && info.Size() >= gzipMinSize {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// gzip -9 of app.wasm alone takes seconds: one file per core.
	var (
		mu           sync.Mutex
		out          = map[string]gzipEntry{}
		plain, small int64
		firstErr     error
		wg           sync.WaitGroup
		sem          = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for _, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			e, size, err := writeGzipCopy(assets, name, dir)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil && firstErr == nil:
				firstErr = fmt.Errorf("%s: %w", name, err)
			case err == nil && size > 0:
				out[name] = e
				plain += e.Size
				small += size
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	log.Printf("static export: %d gzipped copies, %.2f MB -> %.2f MB, in %v", len(out), float64(plain)/1e6, float64(small)/1e6, time.Since(start).Round(time.Millisecond))
	return out, nil
}

// writeGzipCopy writes dir/name.gz when it saves 5% or more and returns
// its entry and size, or a size of 0 when it does not.
func writeGzipCopy(assets fs.FS, name, dir string) (gzipEntry, int64, error) {
	content, err := fs.ReadFile(assets, name)
	if err != nil {
		return gzipEntry{}, 0, err
	}
	e := gzipEntry{Size: int64(len(content)), Planes: -1}
	buf, err := gzipBytes(content)
	if err != nil {
		return e, 0, err
	}
	if path.Ext(name) == ".cnn" {
		// A model is a header and float32 weights: try each start of
		// the weights modulo 4 (the header's length is the model
		// format's business) and keep the smallest.
		for k := range 4 {
			if b, err := gzipBytes(splitPlanes(content, k)); err == nil && b.Len() < buf.Len() {
				buf, e.Planes = b, k
			}
		}
	}
	if buf.Len() > len(content)*95/100 {
		return e, 0, nil
	}
	dst := filepath.Join(dir, filepath.FromSlash(name)+".gz")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return e, 0, err
	}
	size := int64(buf.Len())
	err = atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := buf.WriteTo(w)
		return err
	})
	return e, size, err
}

func gzipBytes(b []byte) (*bytes.Buffer, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	return &buf, zw.Close()
}

// splitPlanes returns b with the 4-byte words from offset k on split into
// four planes (every word's first bytes, then every second byte, ...): the
// exponent bytes of float32 weights then lie together, and gzip finds what
// they have in common (digits.cnn: 802 kB gzipped as it is, 738 kB split).
// The bytes before k and after the last whole word stay where they are.
// web/loader.js undoes it.
func splitPlanes(b []byte, k int) []byte {
	out := slices.Clone(b)
	m := (len(b) - k) / 4
	for i := range m {
		for p := range 4 {
			out[k+p*m+i] = b[k+4*i+p]
		}
	}
	return out
}

// loaderMarker is the line of web/loader.js that the export replaces with
// the table of gzipped files.
const loaderMarker = "const gzipped = {}; // cnnplay:gzipped"

// setLoaderTable writes the table of gzipped files into the exported
// loader script.
func setLoaderTable(file string, gz map[string]gzipEntry) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if !bytes.Contains(src, []byte(loaderMarker)) {
		return fmt.Errorf("%s: no line %q to write the table of gzipped files into", file, loaderMarker)
	}
	table, err := json.Marshal(gz)
	if err != nil {
		return err
	}
	src = bytes.Replace(src, []byte(loaderMarker), []byte("const gzipped = "+string(table)+"; // cnnplay:gzipped"), 1)
	return atomicfile.Write(file, 0o644, func(w io.Writer) error {
		_, err := w.Write(src)
		return err
	})
}

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
	"github.com/cnnplay/cnnplay/internal/atomicfile"
)

// Brotli files are made ahead of time (serve -precompress, run by
// `make build`): the server serves name.br for name only after checking
// that it decodes to name's current content, so a stale file left by an
// older build is never sent. Browsers decode brotli only as a
// Content-Encoding (DecompressionStream lacks it in Chromium 156), so the
// static export ships gzip instead (see writeGzipped).

// brotliQuality and brotliWindow are the encoder settings. Measured on
// app.wasm (10.7 MB) on this 2-core machine under load, with gzip -9 for
// comparison (2.65 MB in 6.5 s):
//
//	quality  4: 2.48 MB in  6.0 s
//	quality  5: 2.24 MB in  5.4 s
//	quality  6: 2.22 MB in 11.2 s
//	quality  9: 2.22 MB in 10.2 s
//	quality 10: 2.02 MB in  118 s
//
// Quality 5 keeps `make build` fast (seconds, like gzip) for 15% less than
// gzip; 10 and 11 take minutes. The window of 16 MB holds a whole
// app.wasm.
const (
	brotliQuality = 5
	brotliWindow  = 24
)

// loadBrotli returns the bytes of the brotli file brName in fsys when it
// decodes to content whose hex SHA-256 is sum, and nil otherwise.
func loadBrotli(fsys fs.FS, brName, sum string) []byte {
	br, err := fs.ReadFile(fsys, brName)
	if err != nil {
		return nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, brotli.NewReader(bytes.NewReader(br))); err != nil || hex.EncodeToString(h.Sum(nil)) != sum {
		log.Printf("ignoring %s: it is not the brotli form of the current file (run make compress)", brName)
		return nil
	}
	return br
}

// precompress writes name.br beside every .wasm file in dir whose .br is
// missing or stale.
func precompress(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.wasm"))
	if err != nil {
		return err
	}
	for _, name := range names {
		content, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		if loadBrotli(os.DirFS(dir), filepath.Base(name)+".br", hex.EncodeToString(sum[:])) != nil {
			continue
		}
		var buf bytes.Buffer
		w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow})
		w.Write(content)
		if err := w.Close(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		compressed := buf.Len()
		if err := atomicfile.Write(name+".br", 0o644, func(w io.Writer) error {
			_, err := buf.WriteTo(w)
			return err
		}); err != nil {
			return err
		}
		log.Printf("%s: %d bytes, brotli %d (%.0f%%)", name, len(content), compressed, 100*float64(compressed)/float64(len(content)))
	}
	return nil
}

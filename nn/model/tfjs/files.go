package tfjs

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/cnnplay/cnnplay/nn/model"
)

// WriteZip writes m as a zip of its layers model files (see Encode), the
// form the page saves.
func WriteZip(w io.Writer, m *model.Model) error {
	files, err := Encode(m)
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	for _, f := range files {
		fw, err := z.Create(f.Name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return err
		}
	}
	return z.Close()
}

// Decode reads a layers model from its files: one model.json (or the only
// .json file) and the weight files its manifest names. The files may come
// without their folders, as a browser's file picker gives them: a path of
// the manifest matches a file of that name or of that base name.
func Decode(files []File) (*model.Model, error) {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	i, err := pick(names)
	if err != nil {
		return nil, err
	}
	mj := &files[i]
	dir := path.Dir(mj.Name)
	return decode(mj.Data, func(p string) (io.ReadCloser, error) {
		for _, f := range files {
			if f.Name == path.Join(dir, p) || path.Base(f.Name) == path.Base(p) {
				return io.NopCloser(bytes.NewReader(f.Data)), nil
			}
		}
		return nil, fmt.Errorf("not among the files (load it with %s)", path.Base(mj.Name))
	})
}

// ReadFS reads a layers model from fsys: name is its model.json, and the
// manifest's paths are relative to its folder.
func ReadFS(fsys fs.FS, name string) (*model.Model, error) {
	mj, err := readLimited(fsys, name, MaxModelJSONBytes)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(name)
	return decode(mj, func(p string) (io.ReadCloser, error) {
		full := path.Join(dir, p)
		if strings.HasPrefix(p, "/") || !fs.ValidPath(full) {
			return nil, errors.New("the path leaves the model's folder")
		}
		return fsys.Open(full)
	})
}

// readLimited reads the file name of fsys, refusing one over max bytes.
func readLimited(fsys fs.FS, name string, max int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("tfjs: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("tfjs: reading %s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("tfjs: %s is larger than %d KiB", name, max>>10)
	}
	return b, nil
}

// ReadZip reads a layers model from a zip of its files (WriteZip's form):
// its model.json, or its only .json file, and the weight files beside it.
func ReadZip(r io.ReaderAt, size int64) (*model.Model, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("tfjs: not a zip: %w", err)
	}
	names := make([]string, len(z.File))
	for i, f := range z.File {
		names[i] = f.Name
	}
	i, err := pick(names)
	if err != nil {
		return nil, err
	}
	return ReadFS(z, names[i])
}

// pick returns which of a model's files is its model.json: the one of that
// name, or the only .json file.
func pick(names []string) (int, error) {
	found := -1
	for i, n := range names {
		switch {
		case path.Base(n) == ModelFile:
			if found >= 0 && path.Base(names[found]) == ModelFile {
				return 0, errors.New("tfjs: two model.json files")
			}
			found = i
		case strings.HasSuffix(n, ".json") && found < 0:
			found = i
		case strings.HasSuffix(n, ".json") && path.Base(names[found]) != ModelFile:
			return 0, fmt.Errorf("tfjs: which is the model, %s or %s? (name it model.json)", names[found], n)
		}
	}
	if found < 0 {
		return 0, errors.New("tfjs: no model.json among the files")
	}
	return found, nil
}

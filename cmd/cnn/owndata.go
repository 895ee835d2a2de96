package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// maxShown is the most problems with a set's files that are listed one by
// one; the rest are counted.
const maxShown = 20

// readOwn reads a folder holding one folder per class (or a zip of one),
// prepares its pictures with the framing given ("" for the set's own, from
// its cnnplay.json, else digits), and lists the files it could not use on
// w. The set is named after the folder when it does not name itself.
func readOwn(path, framing string, w io.Writer) (*imageset.Set, *imageset.Prepared, error) {
	var (
		s     *imageset.Set
		probs []imageset.Problem
		err   error
	)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if fi.IsDir() {
		s, probs, err = imageset.ReadFS(os.DirFS(path))
	} else {
		var b []byte
		if fi.Size() > imageset.MaxBytes {
			return nil, nil, fmt.Errorf("%s is %d MB; a set holds at most %d MB", path, fi.Size()>>20, imageset.MaxBytes>>20)
		}
		if b, err = os.ReadFile(path); err == nil {
			s, probs, err = imageset.ReadZip(b)
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(filepath.Clean(path)), ".zip")
	}
	if framing != "" {
		if s.Framing, err = dataset.ParseFraming(framing); err != nil {
			return nil, nil, fmt.Errorf("-framing: %w", err)
		}
	}
	if len(s.Classes) == 0 {
		report(w, path, probs)
		return nil, nil, fmt.Errorf("%s holds no class folders of PNG or JPEG pictures", path)
	}
	p, more, err := s.Prepare()
	if err != nil {
		return nil, nil, err
	}
	report(w, path, append(probs, more...))
	if p.N == 0 {
		return nil, nil, fmt.Errorf("%s holds no picture cnnplay can use", path)
	}
	return s, p, nil
}

// report lists problems with a set's files on w.
func report(w io.Writer, path string, probs []imageset.Problem) {
	for i, p := range probs {
		if i == maxShown {
			fmt.Fprintf(w, "… and %d more problems\n", len(probs)-maxShown)
			break
		}
		fmt.Fprintf(w, "%s: %s\n", printable(path), printable(p.String()))
	}
}

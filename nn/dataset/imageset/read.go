package imageset

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the formats a set's pictures may have
	_ "image/png"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// entry is one file or folder of a zip or a folder tree.
type entry struct {
	path string // slash-separated, relative to the top
	dir  bool
	open func() (io.ReadCloser, error)
}

// ReadZip reads a set from the bytes of a zip holding one folder per class,
// at its top or inside one single top folder. It returns an error only when
// data cannot be a set: it is larger than MaxBytes, holds more than
// MaxEntries entries, or is not a zip. Every file it cannot use is a
// Problem, and the rest is read.
func ReadZip(data []byte) (*Set, []Problem, error) {
	if len(data) > MaxBytes {
		return nil, nil, fmt.Errorf("the zip is %.1f MB; a set holds at most %d MB", float64(len(data))/(1<<20), MaxBytes>>20)
	}
	// archive/zip allocates a File for every record of the central
	// directory, however many the end record announces; every record
	// starts with this signature, so counting it bounds them first.
	if n := bytes.Count(data, []byte("PK\x01\x02")); n > MaxEntries {
		return nil, nil, fmt.Errorf("the zip holds about %d entries; a set holds at most %d images", n, MaxImages)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, nil, fmt.Errorf("not a zip file: %v", err)
	}
	var (
		entries []entry
		probs   []Problem
		seen    = make(map[string]bool)
	)
	for _, f := range zr.File {
		p := f.Name
		if f.Flags&1 != 0 {
			probs = append(probs, Problem{p, "is encrypted: cnnplay cannot read it"})
			continue
		}
		dir := strings.HasSuffix(p, "/")
		if seen[p] {
			probs = append(probs, Problem{p, "appears twice in the zip; the first was read"})
			continue
		}
		seen[p] = true
		entries = append(entries, entry{path: p, dir: dir, open: f.Open})
	}
	s, more := build(entries)
	return s, append(probs, more...), nil
}

// ReadFS reads a set from a folder tree holding one folder per class, at its
// top or inside one single top folder (os.DirFS(dir) for a folder on disk).
// It returns an error only when the top cannot be listed; every file it
// cannot use is a Problem, and the rest is read.
func ReadFS(fsys fs.FS) (*Set, []Problem, error) {
	if _, err := fs.ReadDir(fsys, "."); err != nil {
		return nil, nil, err
	}
	var (
		entries []entry
		probs   []Problem
	)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			probs = append(probs, Problem{p, "unreadable: " + unwrapPath(err)})
			return nil
		}
		if p == "." {
			return nil
		}
		if d.IsDir() {
			if ignored(d.Name()) {
				return fs.SkipDir
			}
			entries = append(entries, entry{path: p, dir: true})
			return nil
		}
		if !d.Type().IsRegular() {
			// A link to a file is read as the file; anything else (a
			// pipe, a device, a link to a folder) could block or loop.
			fi, err := fs.Stat(fsys, p)
			if err != nil || !fi.Mode().IsRegular() {
				probs = append(probs, Problem{p, "is not a regular file: not read"})
				return nil
			}
		}
		entries = append(entries, entry{path: p, open: func() (io.ReadCloser, error) { return fsys.Open(p) }})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	s, more := build(entries)
	return s, append(probs, more...), nil
}

// unwrapPath drops the *fs.PathError wrapping whose path the Problem names.
func unwrapPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ignored reports whether a file or folder name is one the systems add by
// themselves (hidden files, macOS' resource forks, Windows' thumbnails),
// which are skipped without a word.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || name == "__MACOSX" || name == "Thumbs.db" || name == "desktop.ini"
}

// clean returns p with forward slashes and no leading "./" or "/", and false
// if it climbs out of the top or has an empty part.
func clean(p string) (string, bool) {
	p = strings.ReplaceAll(p, `\`, "/")
	p = strings.TrimSuffix(p, "/")
	for strings.HasPrefix(p, "./") || strings.HasPrefix(p, "/") {
		p = strings.TrimPrefix(strings.TrimPrefix(p, "./"), "/")
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return p, false
		}
	}
	return p, true
}

// top returns the single folder that holds the class folders, "" when they
// are at the top: all entries are inside one folder, no picture lies
// directly in it, and something lies deeper.
func top(entries []entry) string {
	first, deeper := "", false
	for _, e := range entries {
		parts := strings.Split(e.path, "/")
		switch {
		case first == "":
			first = parts[0]
		case parts[0] != first:
			return ""
		}
		switch {
		case len(parts) == 1 && !e.dir:
			return "" // a file at the top
		case len(parts) == 2 && !e.dir && imageExt(parts[1]):
			return "" // a picture directly in the folder: it is a class
		case len(parts) >= 3:
			deeper = true
		}
	}
	if !deeper {
		return ""
	}
	return first
}

// reader reads files within the set's byte budget.
type reader struct {
	left  int64 // bytes the set may still inflate
	probs []Problem
}

// read returns the content of e, at most limit bytes, or false after
// recording a Problem.
func (r *reader) read(e entry, limit int64) ([]byte, bool) {
	rc, err := e.open()
	if err != nil {
		r.probs = append(r.probs, Problem{e.path, "unreadable: " + unwrapPath(err)})
		return nil, false
	}
	defer rc.Close()
	budget := r.left < limit
	limit = min(limit, r.left)
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	r.left -= int64(len(b))
	if err != nil {
		r.probs = append(r.probs, Problem{e.path, "unreadable: " + unwrapPath(err)})
		return nil, false
	}
	if int64(len(b)) > limit {
		r.left = max(r.left, 0)
		reason := fmt.Sprintf("holds more than %s (a zip bomb?): not read", mb(limit))
		if budget {
			reason = fmt.Sprintf("goes beyond the %d MB a set may hold: not read", MaxBytes>>20)
		}
		r.probs = append(r.probs, Problem{e.path, reason})
		return nil, false
	}
	return b, true
}

func mb(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// build makes a set of the entries of a zip or folder tree and names every
// file it cannot use.
func build(all []entry) (*Set, []Problem) {
	r := &reader{left: MaxBytes}
	var entries []entry
	for _, e := range all {
		p, ok := clean(e.path)
		if !ok {
			if p != "" {
				r.probs = append(r.probs, Problem{e.path, "has a path that leaves its folder: not read"})
			}
			continue
		}
		skip := false
		for _, part := range strings.Split(p, "/") {
			skip = skip || ignored(part)
		}
		if !skip {
			e.path = p
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	prefix := top(entries)
	if prefix != "" {
		prefix += "/"
	}

	s := &Set{}
	var (
		classes  = make(map[string]bool) // valid class names seen
		bad      = make(map[string]bool) // class folders refused, reported once
		folded   = make(map[string]string)
		strokes  = make(map[string]entry)  // class/stem → strokes file
		stems    = make(map[string]string) // lower-case class/stem → picture read
		images   int
		stopped  bool
		notRead  int
		firstOut string
	)
	classOK := func(c, p string) bool {
		if bad[c] {
			return false
		}
		if classes[c] {
			return true
		}
		if err := CheckClassName(c); err != nil {
			bad[c] = true
			r.probs = append(r.probs, Problem{p, err.Error() + ": the folder was skipped"})
			return false
		}
		if o, ok := folded[strings.ToLower(c)]; ok {
			bad[c] = true
			r.probs = append(r.probs, Problem{p, fmt.Sprintf("class %q has the name of class %q but for case: the folder was skipped (rename one)", c, o)})
			return false
		}
		folded[strings.ToLower(c)] = c
		classes[c] = true
		return true
	}
	for _, e := range entries {
		rel, ok := strings.CutPrefix(e.path, prefix)
		if !ok || rel == "" {
			continue
		}
		class, name, inClass := strings.Cut(rel, "/")
		if e.dir {
			if !inClass {
				classOK(class, e.path+"/")
			}
			continue
		}
		lower := strings.ToLower(rel)
		switch {
		case !inClass && rel == ManifestFile:
			b, ok := r.read(e, MaxStrokesBytes)
			if !ok {
				continue
			}
			m, f, err := parseManifest(b)
			if err != nil {
				r.probs = append(r.probs, Problem{e.path, err.Error()})
				continue
			}
			s.Name, s.Framing = m.Name, f
			continue
		case strings.HasSuffix(lower, ".zip"):
			r.probs = append(r.probs, Problem{e.path, "is a zip inside the zip: unpack it and import its folders"})
			continue
		case !inClass && (imageExt(rel) || otherImageExt(rel)):
			r.probs = append(r.probs, Problem{e.path, "is not in a class folder: a set holds one folder per class"})
			continue
		case !inClass:
			r.probs = append(r.probs, Problem{e.path, "is not a picture and not in a class folder: not read"})
			continue
		}
		if !classOK(class, prefix+class+"/") {
			continue
		}
		switch {
		case strings.HasSuffix(lower, StrokesSuffix):
			strokes[class+"/"+strings.TrimSuffix(name, name[len(name)-len(StrokesSuffix):])] = e
			continue
		case otherImageExt(name):
			r.probs = append(r.probs, Problem{e.path, fmt.Sprintf("is a %s picture: cnnplay reads PNG and JPEG", strings.ToUpper(strings.TrimPrefix(path.Ext(name), ".")))})
			continue
		case !imageExt(name):
			r.probs = append(r.probs, Problem{e.path, "is not a picture (PNG or JPEG): not read"})
			continue
		}
		if stopped || images >= MaxImages || r.left <= 0 {
			stopped = true
			if notRead == 0 {
				firstOut = e.path
			}
			notRead++
			continue
		}
		key := strings.ToLower(class + "/" + stem(name))
		if o, ok := stems[key]; ok {
			r.probs = append(r.probs, Problem{e.path, fmt.Sprintf("has the name of %s but for case or extension: not read (rename one)", o)})
			continue
		}
		b, ok := r.read(e, MaxFileBytes)
		if !ok {
			continue
		}
		stems[key] = e.path
		if err := checkPicture(b); err != nil {
			r.probs = append(r.probs, Problem{e.path, err.Error()})
			continue
		}
		images++
		s.Examples = append(s.Examples, Example{Class: class, Name: name, Data: b})
	}
	if notRead > 0 {
		reason := fmt.Sprintf("a set holds at most %d images", MaxImages)
		if images < MaxImages {
			reason = fmt.Sprintf("a set holds at most %d MB", MaxBytes>>20)
		}
		r.probs = append(r.probs, Problem{firstOut, fmt.Sprintf("%s: this picture and %d after it were not read", reason, notRead-1)})
	}
	r.attach(s, strokes)
	s.Classes = slices.Sorted(func(yield func(string) bool) {
		for c := range classes {
			if !yield(c) {
				return
			}
		}
	})
	rank := make(map[string]int, len(s.Classes))
	for i, c := range s.Classes {
		rank[c] = i
	}
	slices.SortStableFunc(s.Examples, func(a, b Example) int {
		return cmp.Or(cmp.Compare(rank[a.Class], rank[b.Class]), compareNames(a.Name, b.Name))
	})
	for i, n := range s.Counts() {
		if n == 0 {
			r.probs = append(r.probs, Problem{prefix + s.Classes[i] + "/", "the class has no pictures yet"})
		}
	}
	return s, r.probs
}

// compareNames orders files within a class as ImageFolder does: the files
// of a folder before those of its subfolders (it walks sorted folders),
// and by name within a folder.
func compareNames(a, b string) int {
	da, db := path.Dir(a), path.Dir(b)
	if da == "." {
		da = ""
	}
	if db == "." {
		db = ""
	}
	return cmp.Or(strings.Compare(da, db), strings.Compare(path.Base(a), path.Base(b)))
}

// attach reads the strokes files and gives each to the picture with the
// same name but for the extension.
func (r *reader) attach(s *Set, strokes map[string]entry) {
	used := make(map[string]bool)
	for i := range s.Examples {
		ex := &s.Examples[i]
		key := ex.Class + "/" + stem(ex.Name)
		e, ok := strokes[key]
		if !ok || used[key] {
			continue
		}
		used[key] = true
		b, ok := r.read(e, MaxStrokesBytes)
		if !ok {
			continue
		}
		var st Strokes
		if err := json.Unmarshal(b, &st); err != nil {
			r.probs = append(r.probs, Problem{e.path, "is not a drawing's strokes: " + err.Error()})
			continue
		}
		if err := st.check(); err != nil {
			r.probs = append(r.probs, Problem{e.path, "is not a drawing's strokes: " + err.Error()})
			continue
		}
		ex.Strokes = &st
	}
	var orphans []string
	for key, e := range strokes {
		if !used[key] {
			orphans = append(orphans, e.path)
		}
	}
	slices.Sort(orphans)
	for _, p := range orphans {
		r.probs = append(r.probs, Problem{p, "has no picture beside it: not read"})
	}
}

// checkPicture reads a picture's header: it must be a PNG or a JPEG of no
// more pixels than preprocess allows. Prepare decodes the rest.
func checkPicture(b []byte) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("is not a picture cnnplay reads (PNG or JPEG): %v", err)
	}
	if format != "png" && format != "jpeg" {
		return fmt.Errorf("is a %s picture: cnnplay reads PNG and JPEG", format)
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return fmt.Errorf("the picture has no pixels (%d×%d)", cfg.Width, cfg.Height)
	}
	if err := preprocess.CheckSize(b); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "preprocess: "))
	}
	return nil
}

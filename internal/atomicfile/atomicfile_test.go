package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeString is a Write callback that writes s.
func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// onlyFiles fails the test unless dir holds exactly the named files: no
// temporary file is left behind.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("folder holds %v, want %v", got, names)
	}
}

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.cnn")
	if err := Write(path, 0o640, writeString("first")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("new file mode %v, want 0640", fi.Mode().Perm())
	}
	os.Chmod(path, 0o600)
	if err := Write(path, 0o644, writeString("second")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "second" {
		t.Errorf("content %q, want %q", b, "second")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v, want its old 0600", fi.Mode().Perm())
	}
	onlyFiles(t, dir, "m.cnn")
}

// TestWriteFailsMidway: a writer that fails after writing half of its
// content leaves the old file exactly as it was and no temporary file.
func TestWriteFailsMidway(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.cnn")
	os.WriteFile(path, []byte("the good model"), 0o644)
	boom := errors.New("disk full")
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 1<<16))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the writer's", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "the good model" {
		t.Errorf("old file now holds %d bytes %.20q", len(b), b)
	}
	onlyFiles(t, dir, "m.cnn")
}

func TestWriteRefusesFolders(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing", "m.cnn")
	if err := Write(missing, 0o644, writeString("x")); err == nil {
		t.Error("wrote into a missing folder")
	}
	if err := CheckWritable(missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: %v", err)
	}
	if err := Write(dir, 0o644, writeString("x")); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("writing over a folder: %v", err)
	}
	if err := CheckWritable(dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("checking a folder: %v", err)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	if err := CheckWritable(filepath.Join(file, "m.cnn")); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("a file as the folder: %v", err)
	}
	if err := CheckWritable(filepath.Join(dir, "m.cnn")); err != nil {
		t.Errorf("writable folder: %v", err)
	}
	onlyFiles(t, dir, "file")
}

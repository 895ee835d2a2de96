// Package atomicfile writes files so that whoever reads them, even after a
// crash, a full disk or a file-size limit, finds either the old content or
// the complete new one, never a truncated mix: a trained model is not lost to
// a failed save.
//
// Write puts the new content in a temporary file in the destination's own
// folder (a rename within one file system is atomic, across two it is a
// copy), syncs it to the disk, closes it and only then renames it over the
// destination. CheckWritable lets a program find out, before hours of work,
// that the destination cannot be written.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces the file at path with what write writes. The content goes
// to a temporary file beside path that is synced, closed and then renamed
// over path; if anything fails (write returns an error, the disk is full,
// the sync, close or rename fails) the temporary file is removed and path
// keeps its old content. A new file gets mode perm; a file that existed
// keeps its mode.
func Write(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a folder", path)
		}
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close() // a second Close only reports that the file is closed
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename itself durable. It is best effort: some systems
// cannot sync a folder, and the new content is complete either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// CheckWritable returns an error saying why Write could not create or
// replace the file at path: its folder is missing, is not a folder, or does
// not accept new files, or path itself is a folder. It tries by creating and
// removing a temporary file, which answers for permissions, read-only file
// systems and anything else alike.
func CheckWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("folder %s does not exist", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".check-*")
	if err != nil {
		return fmt.Errorf("cannot write in folder %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

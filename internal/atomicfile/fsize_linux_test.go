package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteFileSizeLimit makes the operating system refuse a write midway,
// as a full disk or `ulimit -f` does: with RLIMIT_FSIZE at 64 KiB, writing
// 1 MiB fails with EFBIG (Go ignores SIGXFSZ), and the old file must come
// through whole, with no temporary file left.
func TestWriteFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.cnn")
	old := strings.Repeat("good model ", 100)
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	small := lim
	small.Cur = 64 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		t.Fatal(err)
	}
	err := Write(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(make([]byte, 1<<20))
		return err
	})
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err, syscall.EFBIG) {
		t.Errorf("error %v, want EFBIG", err)
	}
	if b, _ := os.ReadFile(path); string(b) != old {
		t.Errorf("old file now holds %d bytes", len(b))
	}
	onlyFiles(t, dir, "m.cnn")
}

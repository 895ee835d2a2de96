//go:build !js

package classroom

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTest(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testDrawing returns a valid drawing with the key.
func testDrawing(t *testing.T, key, label string) *Drawing {
	t.Helper()
	ss := sevenStrokes()
	img, err := Render(ss)
	if err != nil {
		t.Fatal(err)
	}
	return &Drawing{Key: key, Device: "device-1", Nickname: "Ann", Label: label, Strokes: encodeStrokes(ss), Image: img}
}

// sevenStrokes is a one-stroke 7 in canvas pixels with times.
func sevenStrokes() [][]Point {
	return [][]Point{{{70, 60, 0}, {210, 60, 80}, {190, 110, 120}, {150, 170, 180}, {120, 230, 240}}}
}

func TestStoreCreatesClass(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	c, err := s.Class(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Code) != 4 || strings.Trim(c.Code, codeLetters) != "" {
		t.Errorf("class code %q, want 4 letters of %s", c.Code, codeLetters)
	}
	if strings.Join(c.Classes, ",") != "0,1,2,3,4,5,6,7,8,9" || c.Locked {
		t.Errorf("new class %+v, want the digits, unlocked", c)
	}
	var v int
	var mode, sync string
	if err := s.w.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	s.w.QueryRow("PRAGMA journal_mode").Scan(&mode)
	s.w.QueryRow("PRAGMA synchronous").Scan(&sync)
	if v != len(migrations) || mode != "wal" || sync != "2" {
		t.Errorf("user_version %d, journal_mode %s, synchronous %s; want %d, wal, 2 (FULL)", v, mode, sync, len(migrations))
	}
	s.Close()

	// The same file keeps its code.
	s2 := openTest(t, dir)
	c2, err := s2.Class(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c2.Code != c.Code {
		t.Errorf("reopened class code %q, want %q", c2.Code, c.Code)
	}
}

func TestStoreAddIsIdempotent(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	d := testDrawing(t, "key-00000001", "7")
	id, dup, err := s.Add(ctx, d)
	if err != nil || dup || id == 0 {
		t.Fatalf("first Add = %d, %v, %v", id, dup, err)
	}
	id2, dup, err := s.Add(ctx, testDrawing(t, "key-00000001", "7"))
	if err != nil || !dup || id2 != id {
		t.Fatalf("retry Add = %d, %v, %v; want %d, dup", id2, dup, err, id)
	}
	ds, err := s.Drawings(ctx, 0, 100, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Label != "7" || ds[0].Nickname != "Ann" || len(ds[0].Image) != Side*Side || string(ds[0].Strokes) != string(d.Strokes) {
		t.Fatalf("stored %d drawings: %+v", len(ds), ds)
	}

	// A deleted drawing leaves its key: the retry still stores nothing.
	if ok, err := s.Delete(ctx, id); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if ok, _ := s.Delete(ctx, id); ok {
		t.Error("a second Delete found the drawing")
	}
	if _, dup, err := s.Add(ctx, testDrawing(t, "key-00000001", "7")); err != nil || !dup {
		t.Errorf("retry after delete: dup %v, %v", dup, err)
	}
	if ds, _ := s.Drawings(ctx, 0, 100, true); len(ds) != 0 {
		t.Errorf("%d drawings after delete", len(ds))
	}
	var strokes, image []byte
	s.r.QueryRow("SELECT strokes, image FROM drawings WHERE id = ?", id).Scan(&strokes, &image)
	if strokes != nil || image != nil {
		t.Error("a deleted drawing keeps its strokes or image")
	}
}

func TestStoreLock(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	if _, _, err := s.Add(ctx, testDrawing(t, "key-before", "1")); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLocked(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Add(ctx, testDrawing(t, "key-locked", "1")); !errors.Is(err, ErrLocked) {
		t.Errorf("Add while locked: %v, want ErrLocked", err)
	}
	// A retry of a drawing stored before the lock is still acknowledged.
	if _, dup, err := s.Add(ctx, testDrawing(t, "key-before", "1")); err != nil || !dup {
		t.Errorf("retry while locked: dup %v, %v", dup, err)
	}
	s.SetLocked(ctx, false)
	if _, _, err := s.Add(ctx, testDrawing(t, "key-locked", "1")); err != nil {
		t.Errorf("Add after unlock: %v", err)
	}
}

// TestStoreConcurrentAdds adds from many goroutines at once, with retries,
// and finds each drawing exactly once: the writer's batches keep every
// write, and a failing write in a batch (a bad label type here is not
// possible, so a duplicate) does not undo the others.
func TestStoreConcurrentAdds(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	const workers, each = 16, 20
	base := testDrawing(t, "x", "3")
	var wg sync.WaitGroup
	errc := make(chan error, workers*each*2)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				d := *base
				d.Key = fmt.Sprintf("key-%03d-%03d", w, i)
				for range 2 { // every drawing sent twice
					dd := d
					if _, _, err := s.Add(ctx, &dd); err != nil {
						errc <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	sum, err := s.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != workers*each {
		t.Errorf("%d drawings stored, want %d", sum.Total, workers*each)
	}
	if sum.PerClass[3].Count != workers*each || sum.PerClass[0].Count != 0 || len(sum.PerClass) != 10 {
		t.Errorf("per class %+v", sum.PerClass)
	}
}

func TestStoreSummary(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	for i, who := range []string{"Ann", "Bob", "Ann", ""} {
		d := testDrawing(t, fmt.Sprintf("key-sum-%d", i), "2")
		d.Nickname = who
		if _, _, err := s.Add(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	s.Join(ctx, "device-1", "Ann")
	s.Join(ctx, "device-2", "Bob")
	s.Join(ctx, "device-1", "Ann B")
	if ok, err := s.Flag(ctx, 2, true); !ok || err != nil {
		t.Fatalf("Flag = %v, %v", ok, err)
	}
	if err := s.SetClasses(ctx, []string{"cat", "dog"}); err != nil {
		t.Fatal(err)
	}
	sum, err := s.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(sum.Joined, sum.Total, sum.Flagged, sum.PerClass, sum.PerStudent)
	want := "2 4 1 [{cat 0} {dog 0} {2 4}] [{Ann 2} { 1} {Bob 1}]"
	if got != want {
		t.Errorf("summary %s, want %s", got, want)
	}
	if err := s.SetClasses(ctx, []string{"cat", "cat"}); err == nil {
		t.Error("duplicate class names accepted")
	}
}

func TestStoreRefusesCorruptOrNewerFile(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	ctx := context.Background()
	for i := range 200 {
		if _, _, err := s.Add(ctx, testDrawing(t, fmt.Sprintf("key-corrupt-%d", i), "1")); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	// A newer schema version.
	newer := t.TempDir()
	copyFile(t, filepath.Join(dir, FileName), filepath.Join(newer, FileName))
	db, err := sql.Open("sqlite", filepath.Join(newer, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(newer); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer file: %v", err)
	}

	// Garbage over a page in the middle of the file.
	f, err := os.OpenFile(filepath.Join(dir, FileName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	if st.Size() < 8192 {
		t.Fatalf("the file is only %d bytes", st.Size())
	}
	junk := []byte(strings.Repeat("\xffjunk", 800))
	if _, err := f.WriteAt(junk, 4096+100); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Open(dir); err == nil {
		t.Error("Open of a corrupt file succeeded")
	} else {
		t.Logf("corrupt file: %v", err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestStoreRendersLater: a drawing stored without its image (a submission,
// or one a crash left so) gets it from the renderer, also when the store
// opens again; one whose strokes give no picture gets a blank image and a
// flag.
func TestStoreRendersLater(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	ctx := context.Background()
	d := testDrawing(t, "key-later-1", "7")
	want := d.Image
	d.Image = nil
	if _, _, err := s.Add(ctx, d); err != nil {
		t.Fatal(err)
	}
	waitImage := func(s *Store, id int64) []byte {
		t.Helper()
		for range 100 {
			var img []byte
			s.r.QueryRow("SELECT image FROM drawings WHERE id = ?", id).Scan(&img)
			if img != nil {
				return img
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("drawing %d has no image after 5 s", id)
		return nil
	}
	if got := waitImage(s, d.ID); string(got) != string(want) {
		t.Error("the renderer's image is not Render's")
	}
	// As a crash between the two writes leaves them: no image, and no
	// points at all in the second.
	for _, row := range []struct{ key, strokes string }{{"key-later-2", string(d.Strokes)}, {"key-later-3", "[]"}} {
		if _, err := s.w.Exec(`INSERT INTO drawings (key, device, nickname, label, strokes, image, created) VALUES (?, 'd', '', '7', ?, NULL, 0)`,
			row.key, row.strokes); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s2 := openTest(t, dir)
	if got := waitImage(s2, 2); string(got) != string(want) {
		t.Error("the drawing left without an image was rendered wrong")
	}
	blank := waitImage(s2, 3)
	var flagged bool
	s2.r.QueryRow("SELECT flagged FROM drawings WHERE id = 3").Scan(&flagged)
	if len(blank) != Side*Side || !flagged || strings.Trim(string(blank), "\x00") != "" {
		t.Errorf("a drawing with no picture: image of %d bytes, flagged %v", len(blank), flagged)
	}
}

func TestStoreJoinLimit(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	tx, _ := s.w.Begin()
	for i := range MaxStudents {
		tx.Exec(`INSERT INTO students VALUES (?, '', 0, 0)`, fmt.Sprintf("device-%05d", i))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Join(ctx, "device-new-one", "x"); !errors.Is(err, ErrFull) {
		t.Errorf("a new device past the limit: %v", err)
	}
	if err := s.Join(ctx, "device-00007", "back again"); err != nil {
		t.Errorf("a known device: %v", err)
	}
}

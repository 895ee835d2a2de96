//go:build !js

package classroom

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, "sqlite"
)

// FileName is the name of the class's database in the -data directory.
// The whole class is this one file (with its -wal and -shm companions
// while the server runs): copying it, with the server stopped, is a backup.
const FileName = "class.sqlite"

// ErrClosed is returned by the store's methods after Close.
var ErrClosed = errors.New("classroom: the store is closed")

// maxBatch bounds how many writes share one transaction.
const maxBatch = 64

// Store is a class's drawings in one SQLite file. Reads go through a pool
// of read-only connections; every write goes through one goroutine that
// groups the writes waiting at the same moment into one transaction.
type Store struct {
	path string
	w, r *sql.DB

	reqs chan *writeReq
	quit chan struct{}
	wg   sync.WaitGroup

	once   sync.Once
	feed   *notifier     // woken after every commit
	rev    atomic.Uint64 // commits so far, for the teacher's feed
	closed error

	classMu sync.Mutex
	class   *Class // the settings, once read (see Class)

	sumMu  sync.Mutex
	sum    *Summary // the counts at revision sumRev (see Summary)
	sumRev uint64

	renderWake chan struct{} // a drawing waits for its image (see renderer)
	renderMu   sync.Mutex    // one renderPending at a time
	logf       func(format string, args ...any)
}

// writeReq is one write for the writer goroutine: fn runs inside the
// batch's transaction, under a savepoint of its own, and its error (or
// the commit's) is sent on res once the transaction has committed.
type writeReq struct {
	fn  func(tx *sql.Tx) error
	res chan error
}

// Open opens the class database in dir, creating dir and the file when
// they do not exist. It runs SQLite's integrity check, applies the
// migrations the file lacks and creates the class (with a new class code
// and the digits 0–9 as its classes) on first use. A file from a newer
// cnnplay, or one that fails the integrity check, is an error that says
// so; the file is then left as it is.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("classroom: data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("classroom: data directory %q: the path may not contain ? or #", dir)
	}
	// WAL lets the teacher's reads run beside the writes. synchronous=FULL
	// makes SQLite fsync the WAL at every commit: NORMAL would survive a
	// kill -9 too (the OS keeps what was written) but could lose the last
	// acknowledged drawings in a power cut. The writer groups commits, so
	// FULL costs one fsync per batch, not per drawing.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	w, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("classroom: %w", err)
	}
	w.SetMaxOpenConns(1)
	s := &Store{path: path, w: w, reqs: make(chan *writeReq), quit: make(chan struct{}), feed: newNotifier(),
		renderWake: make(chan struct{}, 1), logf: log.Printf}
	if err := s.prepare(); err != nil {
		w.Close()
		return nil, err
	}
	q.Add("_pragma", "query_only(1)")
	if s.r, err = sql.Open("sqlite", path+"?"+q.Encode()); err != nil {
		w.Close()
		return nil, fmt.Errorf("classroom: %w", err)
	}
	s.r.SetMaxOpenConns(4)
	s.wg.Add(2)
	go s.writer()
	go s.renderer()
	return s, nil
}

// Rev returns a number that changes whenever the store commits a write.
func (s *Store) Rev() uint64 { return s.rev.Load() }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// prepare checks the file, migrates it and creates the class row.
func (s *Store) prepare() error {
	ctx := context.Background()
	rows, err := s.w.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("classroom: %s: %w", s.path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fmt.Errorf("classroom: %s: integrity check: %w", s.path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("classroom: %s: integrity check: %w", s.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("classroom: %s fails SQLite's integrity check (restore a backup copy): %s",
			s.path, strings.Join(problems, "; "))
	}
	if err := migrate(ctx, s.w); err != nil {
		return fmt.Errorf("classroom: %s: %w", s.path, err)
	}
	_, err = s.w.ExecContext(ctx,
		`INSERT INTO class (id, code, classes, locked, created) VALUES (1, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING`,
		newCode(), encodeClasses(DigitClasses), time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("classroom: %s: %w", s.path, err)
	}
	return nil
}

// Close stops the writer after the writes in flight and closes the file.
func (s *Store) Close() error {
	s.once.Do(func() {
		close(s.quit)
		s.wg.Wait()
		s.closed = errors.Join(s.r.Close(), s.w.Close())
	})
	return s.closed
}

// write runs fn in a transaction of the writer and returns once that
// transaction has committed (or fn failed, and its savepoint was rolled
// back). Only then may a handler acknowledge what fn wrote.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	req := &writeReq{fn: fn, res: make(chan error, 1)}
	select {
	case s.reqs <- req:
	case <-s.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writer runs the writes: it takes one, adds those already waiting (up to
// maxBatch), and commits them in one transaction.
func (s *Store) writer() {
	defer s.wg.Done()
	for {
		var batch []*writeReq
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.quit:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		errs := s.commit(batch)
		for i, r := range batch {
			r.res <- errs[i]
		}
		s.rev.Add(1)
		s.feed.notify()
	}
}

// commit runs the batch in one transaction, each write under a savepoint
// so that one failing write leaves the others in.
func (s *Store) commit(batch []*writeReq) []error {
	errs := make([]error, len(batch))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	for i, r := range batch {
		if _, err := tx.Exec("SAVEPOINT w"); err != nil {
			tx.Rollback()
			return fail(err)
		}
		if errs[i] = r.fn(tx); errs[i] != nil {
			if _, err := tx.Exec("ROLLBACK TO w"); err != nil {
				tx.Rollback()
				return fail(err)
			}
		}
		if _, err := tx.Exec("RELEASE w"); err != nil {
			tx.Rollback()
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return errs
}

// codeLetters are the letters of class codes: no I or O, which read as 1
// and 0 on a projector.
const codeLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ"

// newCode returns a random 4-letter class code.
func newCode() string {
	b := make([]byte, 4)
	for i := range b {
		b[i] = codeLetters[randIntn(len(codeLetters))]
	}
	return string(b)
}

// randIntn returns a uniform random int in [0,n) from crypto/rand.
func randIntn(n int) int {
	var b [1]byte
	for {
		rand.Read(b[:])
		if lim := 256 - 256%n; int(b[0]) < lim {
			return int(b[0]) % n
		}
	}
}

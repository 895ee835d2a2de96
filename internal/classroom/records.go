//go:build !js

package classroom

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// DigitClasses are a new class's classes: the ten digits.
var DigitClasses = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

// Class is the class's settings.
type Class struct {
	Code    string    // the class code students join with
	Classes []string  // the class names students are asked to draw
	Locked  bool      // no submissions while locked
	Created time.Time // when the class was made
}

// Drawing is one stored drawing.
type Drawing struct {
	ID       int64
	Key      string // the client's idempotency key
	Device   string // the student's device id
	Nickname string
	Label    string // the class the student was asked to draw
	Strokes  []byte // JSON [[[x,y,t],...],...]
	Image    []byte // Side×Side bytes, row-major, 255 = full ink; nil until rendered
	Created  time.Time
	Flagged  bool
}

// Count is a number of drawings under a name (a class or a nickname).
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Summary is what the teacher's page shows beside the gallery.
type Summary struct {
	Joined     int     `json:"joined"`     // students who joined
	Total      int     `json:"total"`      // drawings not deleted
	Flagged    int     `json:"flagged"`    // of those, flagged
	PerClass   []Count `json:"perClass"`   // in the class's order, zeros included
	PerStudent []Count `json:"perStudent"` // by nickname ("" for none), most first
}

// Class returns the class's settings. They are read from the file once
// and then kept in memory, where SetClasses and SetLocked update them
// after their commit (the store is the file's only writer): every
// submission needs them.
func (s *Store) Class(ctx context.Context) (Class, error) {
	s.classMu.Lock()
	defer s.classMu.Unlock()
	if s.class == nil {
		c, err := s.readClass(ctx)
		if err != nil {
			return Class{}, err
		}
		s.class = &c
	}
	c := *s.class
	c.Classes = slices.Clone(c.Classes)
	return c, nil
}

// setClass updates the kept settings after a committed change.
func (s *Store) setClass(f func(c *Class)) {
	s.classMu.Lock()
	defer s.classMu.Unlock()
	if s.class != nil {
		f(s.class)
	}
}

// readClass reads the class's settings from the file.
func (s *Store) readClass(ctx context.Context) (Class, error) {
	var c Class
	var classes string
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT code, classes, locked, created FROM class WHERE id = 1`).
		Scan(&c.Code, &classes, &c.Locked, &created)
	if err != nil {
		return Class{}, err
	}
	if err := json.Unmarshal([]byte(classes), &c.Classes); err != nil {
		return Class{}, fmt.Errorf("classroom: the class names in the file are corrupt: %w", err)
	}
	c.Created = time.UnixMilli(created)
	return c, nil
}

func encodeClasses(names []string) string {
	b, _ := json.Marshal(names)
	return string(b)
}

// SetClasses sets the class names students are asked to draw. Drawings
// already made keep their labels.
func (s *Store) SetClasses(ctx context.Context, names []string) error {
	if err := checkClasses(names); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE class SET classes = ? WHERE id = 1`, encodeClasses(names))
		return err
	})
	if err == nil {
		s.setClass(func(c *Class) { c.Classes = slices.Clone(names) })
	}
	return err
}

// SetLocked locks or unlocks the class.
func (s *Store) SetLocked(ctx context.Context, locked bool) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE class SET locked = ? WHERE id = 1`, locked)
		return err
	})
	if err == nil {
		s.setClass(func(c *Class) { c.Locked = locked })
	}
	return err
}

// MaxStudents bounds the devices a class records, so that no client can
// fill the table by joining with ever new device ids.
const MaxStudents = 2000

// Join records a student's device (or updates its nickname and the time
// it was last seen). A new device past MaxStudents gets ErrFull.
func (s *Store) Join(ctx context.Context, device, nickname string) error {
	now := time.Now().UnixMilli()
	return s.write(ctx, func(tx *sql.Tx) error {
		var known, n int
		if err := tx.QueryRow(`SELECT (SELECT count(*) FROM students WHERE device = ?), (SELECT count(*) FROM students)`, device).
			Scan(&known, &n); err != nil {
			return err
		}
		if known == 0 && n >= MaxStudents {
			return ErrFull
		}
		_, err := tx.Exec(`INSERT INTO students (device, nickname, joined, seen) VALUES (?, ?, ?, ?)
			ON CONFLICT (device) DO UPDATE SET nickname = excluded.nickname, seen = excluded.seen`,
			device, nickname, now, now)
		return err
	})
}

// ErrLocked is returned by Add while the class is locked.
var ErrLocked = errors.New("the class is locked: the teacher is not taking drawings now")

// ErrFull is returned by Add when the class holds MaxDrawings drawings.
var ErrFull = errors.New("the class is full")

// MaxDrawings bounds the drawings of a class (deleted ones included), so
// that no client can fill the disk.
const MaxDrawings = 200_000

// Add stores d (its ID and Created are set here) unless a drawing with the
// same key is stored already, in which case it reports dup and the stored
// drawing's id. It returns once the drawing is committed. While the class
// is locked it returns ErrLocked, unless the key is a retry of a drawing
// stored before. A drawing without an Image gets one from the renderer
// just after (see renderer).
func (s *Store) Add(ctx context.Context, d *Drawing) (id int64, dup bool, err error) {
	now := time.Now()
	err = s.write(ctx, func(tx *sql.Tx) error {
		switch err := tx.QueryRow(`SELECT id FROM drawings WHERE key = ?`, d.Key).Scan(&id); {
		case err == nil:
			dup = true
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// Rows are never removed (a deletion leaves a tombstone), so the
		// largest id is the number of drawings, found without a scan.
		var locked bool
		var n int
		if err := tx.QueryRow(`SELECT locked, coalesce((SELECT max(id) FROM drawings), 0) FROM class WHERE id = 1`).
			Scan(&locked, &n); err != nil {
			return err
		}
		if locked {
			return ErrLocked
		}
		if n >= MaxDrawings {
			return ErrFull
		}
		res, err := tx.Exec(`INSERT INTO drawings (key, device, nickname, label, strokes, image, created)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.Key, d.Device, d.Nickname, d.Label, d.Strokes, d.Image, now.UnixMilli())
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, false, err
	}
	if !dup {
		d.ID, d.Created = id, now
		if d.Image == nil {
			s.wakeRenderer()
		}
	}
	return id, dup, nil
}

// Delete removes the drawing's strokes and image and hides it; its key
// stays, so a late retry of it stores nothing. It reports whether there
// was such a drawing.
func (s *Store) Delete(ctx context.Context, id int64) (bool, error) {
	var found bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE drawings SET deleted = 1, strokes = NULL, image = NULL WHERE id = ? AND deleted = 0`, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		found = n > 0
		return err
	})
	return found, err
}

// Flag marks or unmarks a drawing; flagged drawings stay out of exports.
// It reports whether there was such a drawing.
func (s *Store) Flag(ctx context.Context, id int64, flagged bool) (bool, error) {
	var found bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE drawings SET flagged = ? WHERE id = ? AND deleted = 0`, flagged, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		found = n > 0
		return err
	})
	return found, err
}

// Drawings returns up to limit drawings that are not deleted, with ids
// above after, oldest first. With strokes false it leaves Strokes nil
// (the gallery needs only the images).
func (s *Store) Drawings(ctx context.Context, after int64, limit int, strokes bool) ([]Drawing, error) {
	cols := "NULL"
	if strokes {
		cols = "strokes"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, key, device, nickname, label, `+cols+`, image, created, flagged
		FROM drawings WHERE deleted = 0 AND id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Drawing
	for rows.Next() {
		var d Drawing
		var created int64
		if err := rows.Scan(&d.ID, &d.Key, &d.Device, &d.Nickname, &d.Label, &d.Strokes, &d.Image, &created, &d.Flagged); err != nil {
			return nil, err
		}
		d.Created = time.UnixMilli(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Summary counts the class's students and drawings. The counts are kept
// until the next commit, so teachers' feeds woken by the same change
// count once.
func (s *Store) Summary(ctx context.Context) (Summary, error) {
	rev := s.Rev()
	s.sumMu.Lock()
	defer s.sumMu.Unlock()
	if s.sum != nil && s.sumRev == rev {
		return *s.sum, nil
	}
	sum, err := s.summary(ctx)
	if err == nil {
		s.sum, s.sumRev = &sum, rev
	}
	return sum, err
}

func (s *Store) summary(ctx context.Context) (Summary, error) {
	var sum Summary
	c, err := s.Class(ctx)
	if err != nil {
		return sum, err
	}
	if err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM students),
		(SELECT count(*) FROM drawings WHERE deleted = 0),
		(SELECT count(*) FROM drawings WHERE deleted = 0 AND flagged = 1)`).
		Scan(&sum.Joined, &sum.Total, &sum.Flagged); err != nil {
		return sum, err
	}
	byLabel := map[string]int{}
	if err := s.counts(ctx, `SELECT label, count(*) FROM drawings WHERE deleted = 0 GROUP BY label`, func(name string, n int) {
		byLabel[name] = n
	}); err != nil {
		return sum, err
	}
	sum.PerClass = []Count{}
	for _, name := range c.Classes {
		sum.PerClass = append(sum.PerClass, Count{name, byLabel[name]})
		delete(byLabel, name)
	}
	// Labels of classes the teacher has since renamed stay visible.
	if err := s.counts(ctx, `SELECT label, count(*) FROM drawings WHERE deleted = 0 GROUP BY label ORDER BY label`, func(name string, n int) {
		if _, ok := byLabel[name]; ok {
			sum.PerClass = append(sum.PerClass, Count{name, n})
		}
	}); err != nil {
		return sum, err
	}
	sum.PerStudent = []Count{}
	err = s.counts(ctx, `SELECT nickname, count(*) AS n FROM drawings WHERE deleted = 0 GROUP BY nickname ORDER BY n DESC, nickname`,
		func(name string, n int) { sum.PerStudent = append(sum.PerStudent, Count{name, n}) })
	return sum, err
}

func (s *Store) counts(ctx context.Context, query string, f func(name string, n int)) error {
	rows, err := s.r.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return err
		}
		f(name, n)
	}
	return rows.Err()
}

//go:build !js

package classroom

import (
	"context"
	"database/sql"
	"encoding/json"
	"runtime"
	"sync"
	"time"
)

// Drawings are acknowledged once their strokes are committed; the image
// the network sees is derived from the strokes (Render, 5 ms of CPU) by
// the renderer goroutine just after, and stored by a second write. So a
// submission's latency holds no rendering, and a crash between the two
// writes loses nothing: the renderer finds the drawings without an image
// when the store opens (and every renderSweep), and renders them then.

// renderBatch is how many drawings the renderer reads at a time.
const renderBatch = 50

// renderSweep is how often the renderer looks for drawings without an
// image even when it was not woken.
const renderSweep = 2 * time.Second

// wakeRenderer tells the renderer a drawing waits, without blocking.
func (s *Store) wakeRenderer() {
	select {
	case s.renderWake <- struct{}{}:
	default:
	}
}

// renderer renders the drawings stored without an image.
func (s *Store) renderer() {
	defer s.wg.Done()
	tick := time.NewTicker(renderSweep)
	defer tick.Stop()
	for {
		if err := s.renderPending(context.Background()); err != nil && err != ErrClosed {
			s.logf("classroom: rendering drawings: %v", err)
		}
		select {
		case <-s.renderWake:
		case <-tick.C:
		case <-s.quit:
			return
		}
	}
}

// renderPending renders every drawing not deleted that has no image yet
// and stores the images. A drawing whose strokes give no picture (too
// little ink to find) gets a blank image and is flagged for the teacher.
// Export and evaluation call it first, so they see every drawing.
func (s *Store) renderPending(ctx context.Context) error {
	s.renderMu.Lock()
	defer s.renderMu.Unlock()
	for {
		type job struct {
			id      int64
			img     []byte
			flagged bool
		}
		var jobs []job
		rows, err := s.r.QueryContext(ctx, `SELECT id, strokes FROM drawings WHERE image IS NULL AND deleted = 0 ORDER BY id LIMIT ?`, renderBatch)
		if err != nil {
			return err
		}
		var raws [][]byte
		for rows.Next() {
			var j job
			var raw []byte
			if err := rows.Scan(&j.id, &raw); err != nil {
				rows.Close()
				return err
			}
			jobs, raws = append(jobs, j), append(raws, raw)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(jobs) == 0 {
			return nil
		}
		// One renderer per core: a class's drawings arrive faster than
		// one core renders them on a busy machine.
		var wg sync.WaitGroup
		workers := min(runtime.GOMAXPROCS(0), len(jobs))
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(jobs); i += workers {
					var ss [][]Point
					if err := json.Unmarshal(raws[i], &ss); err == nil {
						jobs[i].img, _ = Render(ss)
					}
					if jobs[i].img == nil {
						jobs[i].img, jobs[i].flagged = make([]byte, Side*Side), true
					}
				}
			})
		}
		wg.Wait()
		err = s.write(ctx, func(tx *sql.Tx) error {
			for _, j := range jobs {
				if _, err := tx.Exec(`UPDATE drawings SET image = ?, flagged = flagged OR ? WHERE id = ? AND deleted = 0`, j.img, j.flagged, j.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

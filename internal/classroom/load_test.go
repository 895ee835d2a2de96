//go:build !js

package classroom

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/web"
)

// The load test's settings. `go test` runs a short class; `make loadtest`
// runs the issue's: 60 students for 2 minutes, then larger classes for
// -load.step each until p99 passes 100 ms.
var (
	loadStudents = flag.Int("load.students", 60, "students in the load test's class")
	loadDuration = flag.Duration("load.duration", 6*time.Second, "how long the load test's class submits")
	loadThink    = flag.Duration("load.think", 2*time.Second, "a student's mean time between two submissions (drawing takes that long)")
	loadMax      = flag.Bool("load.max", false, "after the class, find the largest class whose p99 submit latency stays under 100 ms")
	loadStep     = flag.Duration("load.step", 30*time.Second, "with -load.max, how long each larger class submits")
)

// loadResult is what one class run measured.
type loadResult struct {
	students    int
	acked       int           // distinct drawings acknowledged
	retries     int           // submissions sent again with the same key
	rejected    int           // answers other than 200/201 (429 included)
	p50, p99    time.Duration // submit latency, first sends and retries alike
	maxLat      time.Duration
	stored      int           // drawings in the store at the end
	seen        int           // distinct acknowledged drawings the teacher's feed showed
	feedP99     time.Duration // from acknowledgement to the teacher's feed
	feedMax     time.Duration
	feedAnswers int
	drain       time.Duration // after the last submission, until the feed showed every drawing
	cpuPer      time.Duration // the process's CPU time (server and clients) per drawing
}

// TestLoadClass runs a class against the real handler over loopback TCP:
// each student is its own client address (127.0.x.y), joins, and submits a
// drawing every think time (±50%), re-sending about one in twenty with the
// same key as a retry would; the teacher's page long-polls the feed all
// along. It checks that every acknowledged drawing is stored exactly once
// and reached the teacher's feed, and logs the latencies (figures, not
// assertions: speed belongs in benchmarks).
func TestLoadClass(t *testing.T) {
	r := runClass(t, *loadStudents, *loadDuration)
	r.log(t)
	if !*loadMax {
		return
	}
	best := 0
	if r.p99 < 100*time.Millisecond {
		best = r.students
	}
	for n := *loadStudents * 2; n <= 960; n *= 2 {
		r := runClass(t, n, *loadStep)
		r.log(t)
		if r.p99 >= 100*time.Millisecond {
			break
		}
		best = n
	}
	t.Logf("largest class tried with p99 submit latency under 100 ms: %d students (think time %v)", best, *loadThink)
}

func (r loadResult) log(t *testing.T) {
	t.Logf("%d students: %d drawings acknowledged (%d retries with the same key, %d refused), %d stored; "+
		"submit latency p50 %v, p99 %v, max %v; teacher's feed: %d answers, saw %d of %d, ack→feed p99 %v, max %v, "+
		"caught up %v after the last submission; CPU %v per drawing (server and clients)",
		r.students, r.acked, r.retries, r.rejected, r.stored, r.p50.Round(100*time.Microsecond), r.p99.Round(100*time.Microsecond),
		r.maxLat.Round(time.Millisecond), r.feedAnswers, r.seen, r.acked, r.feedP99.Round(time.Millisecond), r.feedMax.Round(time.Millisecond),
		r.drain.Round(time.Millisecond), r.cpuPer.Round(10*time.Microsecond))
}

func runClass(t *testing.T, students int, duration time.Duration) loadResult {
	t.Helper()
	store := openTest(t, t.TempDir())
	pages, _ := fs.Sub(web.Assets(), "class")
	h, err := New(Config{Store: store, TeacherKey: testKey, Pages: pages, JoinURL: "http://127.0.0.1/class/join", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()
	c, _ := store.Class(context.Background())
	tc := &testClass{code: c.Code}
	drawings := generated(t, tc, 51)

	var (
		mu      sync.Mutex
		lats    []time.Duration
		ackedAt = map[int64]time.Time{}
		res     = loadResult{students: students}
	)
	ctx, stop := context.WithCancel(context.Background())
	feedDone := make(chan struct{})
	var feedLags []time.Duration
	seen := map[int64]bool{}
	go func() { // the teacher's page
		defer close(feedDone)
		client := &http.Client{Timeout: 30 * time.Second}
		var after int64
		var rev uint64
		for ctx.Err() == nil {
			b, _ := json.Marshal(feedRequest{After: after, Rev: rev, Wait: 20000})
			req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+pathTeacher+"feed", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+testKey)
			resp, err := client.Do(req)
			if err != nil {
				continue
			}
			var f feedResponse
			json.NewDecoder(resp.Body).Decode(&f)
			resp.Body.Close()
			now := time.Now()
			mu.Lock()
			res.feedAnswers++
			for _, d := range f.Drawings {
				seen[d.ID] = true
				if at, ok := ackedAt[d.ID]; ok {
					feedLags = append(feedLags, now.Sub(at))
				}
			}
			mu.Unlock()
			after, rev = f.Last, f.Rev
		}
	}()

	cpu0 := cpuTime()
	deadline := time.Now().Add(duration)
	maxSends := int(duration / (*loadThink / 2))
	var wg sync.WaitGroup
	for st := range students {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(st), 1))
			client := studentClient(st, 10*time.Second)
			device := fmt.Sprintf("device-load-%04d", st)
			post := func(path string, v any) (int, int64, time.Duration) {
				b, _ := json.Marshal(v)
				start := time.Now()
				resp, err := client.Post("http://"+addr+path, "application/json", bytes.NewReader(b))
				if err != nil {
					return 0, 0, time.Since(start)
				}
				var sr submitResponse
				json.NewDecoder(resp.Body).Decode(&sr)
				resp.Body.Close()
				return resp.StatusCode, sr.ID, time.Since(start)
			}
			if code, _, _ := post(pathAPI+"join", joinRequest{Code: c.Code, Device: device}); code != 200 {
				t.Errorf("student %d: join answered %d", st, code)
				return
			}
			// Students start at random moments of the first think time.
			time.Sleep(time.Duration(rng.Int64N(int64(*loadThink))))
			for i := 0; i < maxSends && time.Now().Before(deadline); i++ {
				sub := drawings[rng.IntN(len(drawings))]
				sub.Key = fmt.Sprintf("load-%04d-%05d", st, i)
				sub.Device, sub.Nickname = device, fmt.Sprintf("s%d", st)
				sends := 1
				if rng.IntN(20) == 0 {
					sends = 2 // the answer was lost: the page sends it again
				}
				for k := 0; k < sends; k++ {
					code, id, lat := post(PathSubmit(), sub)
					if code == 0 && sends < 6 {
						sends++ // no answer: the page's queue sends it again
						time.Sleep(500 * time.Millisecond)
					}
					mu.Lock()
					lats = append(lats, lat)
					if k > 0 {
						res.retries++
					}
					switch {
					case code == 200 || code == 201:
						if _, ok := ackedAt[id]; !ok {
							ackedAt[id] = time.Now()
						}
					case code != 0:
						res.rejected++
					}
					mu.Unlock()
				}
				think := time.Duration(float64(*loadThink) * (0.5 + rng.Float64()))
				time.Sleep(think)
			}
		})
	}
	wg.Wait()
	cpu := cpuTime() - cpu0
	// The feed catches up with the last drawings (the renderer may be
	// behind on a busy machine): how long it takes is a figure, and only
	// a drawing it does not show within two minutes fails the test.
	drained := time.Now()
	for range 2400 {
		mu.Lock()
		missing := len(seen) < len(ackedAt)
		mu.Unlock()
		if !missing {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	res.drain = time.Since(drained)
	stop()
	<-feedDone

	sum, err := store.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res.acked, res.stored = len(ackedAt), sum.Total
	for id := range ackedAt {
		if seen[id] {
			res.seen++
		}
	}
	if res.stored != res.acked {
		t.Errorf("%d students: %d drawings stored, %d acknowledged", students, res.stored, res.acked)
	}
	if res.seen != res.acked {
		t.Errorf("%d students: the teacher's feed showed %d of the %d acknowledged drawings", students, res.seen, res.acked)
	}
	if res.rejected > 0 {
		t.Errorf("%d students: %d submissions refused", students, res.rejected)
	}
	if res.acked == 0 {
		t.Fatalf("%d students: nothing acknowledged", students)
	}
	res.cpuPer = cpu / time.Duration(res.acked)
	slices.Sort(lats)
	slices.Sort(feedLags)
	res.p50, res.p99, res.maxLat = quantile(lats, 0.5), quantile(lats, 0.99), lats[len(lats)-1]
	if len(feedLags) > 0 {
		res.feedP99, res.feedMax = quantile(feedLags, 0.99), feedLags[len(feedLags)-1]
	}
	return res
}

// quantile returns the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// cpuTime returns the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

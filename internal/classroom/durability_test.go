//go:build !js

package classroom

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain lets browsertest remove the server binary it builds.
func TestMain(m *testing.M) { browsertest.Main(m) }

// joinLine is the server's banner line with the students' URL.
var joinLine = regexp.MustCompile(`students open:  http://(127\.0\.0\.1:\d+)/class/join#([A-Z]{4})`)

// classServer is the real server process in class mode.
type classServer struct {
	cmd  *exec.Cmd
	addr string // host:port
	code string
}

// startClassServer runs cmd/serve -class on dir and a free loopback port
// and waits for its banner.
func startClassServer(t *testing.T, bin, dir string) *classServer {
	t.Helper()
	cmd := exec.Command(bin, "-class", "-data", dir, "-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := joinLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m
			}
		}
	}()
	select {
	case m := <-found:
		return &classServer{cmd: cmd, addr: m[1], code: m[2]}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the class server printed no join URL within a minute")
	}
	return nil
}

// kill9 kills the server with SIGKILL: no shutdown, no checkpoint.
func (s *classServer) kill9() {
	s.cmd.Process.Kill() // SIGKILL
	s.cmd.Wait()
}

// studentClient returns an HTTP client whose connections come from the
// loopback address 127.0.0.n, so that each simulated student is its own
// client to the rate limits, as each phone is in a classroom.
func studentClient(n int, timeout time.Duration) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(n/250), byte(n%250+2))}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 2}}
}

// send posts a submission and returns the status, or 0 when no answer
// came (the server died, or the connection failed).
func send(c *http.Client, addr string, sub Submission) int {
	b, _ := json.Marshal(sub)
	res, err := c.Post("http://"+addr+PathSubmit(), "application/json", bytes.NewReader(b))
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	var r submitResponse
	if json.NewDecoder(res.Body).Decode(&r) != nil {
		return 0
	}
	return res.StatusCode
}

// TestDurabilityKill9 submits drawings from several students to the real
// server process, kills it with SIGKILL right after a random
// acknowledgement while other submissions are in flight, restarts it on
// the same file, and repeats. The unacknowledged drawings are sent again
// after the restart, as the students' queue does. At the end every
// acknowledged drawing is in the file exactly once.
func TestDurabilityKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the server process several times")
	}
	bin := browsertest.ServerBinary(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 9))
	const rounds, students = 6, 12
	acked := map[string]bool{} // keys the server acknowledged
	var pending []Submission   // sent but not acknowledged: the queue
	next := 0
	seven := sevenStrokes()
	for round := range rounds {
		srv := startClassServer(t, bin, dir)
		killAt := int64(5 + rng.IntN(40)) // acknowledgements before the kill
		var acks atomic.Int64
		var mu sync.Mutex
		queue := pending
		pending = nil
		take := func() (Submission, bool) {
			mu.Lock()
			defer mu.Unlock()
			if len(queue) > 0 {
				s := queue[0]
				queue = queue[1:]
				return s, true
			}
			if next >= 10000 {
				return Submission{}, false
			}
			next++
			return Submission{Key: fmt.Sprintf("dur-%06d", next), Device: "device-dur-1", Label: fmt.Sprint(next % 10), Strokes: seven}, true
		}
		var wg sync.WaitGroup
		for st := range students {
			wg.Go(func() {
				c := studentClient(round*students+st, 10*time.Second)
				for {
					sub, ok := take()
					if !ok {
						return
					}
					sub.Code = srv.code
					switch send(c, srv.addr, sub) {
					case 200, 201:
						mu.Lock()
						acked[sub.Key] = true
						mu.Unlock()
						if acks.Add(1) == killAt {
							srv.kill9() // at once, from the goroutine that saw the ack
						}
					case 429:
						mu.Lock()
						pending = append(pending, sub)
						mu.Unlock()
						time.Sleep(50 * time.Millisecond)
					default: // no answer: the server is gone
						mu.Lock()
						pending = append(pending, sub)
						mu.Unlock()
						return
					}
				}
			})
		}
		wg.Wait()
		mu.Lock()
		pending = append(pending, queue...)
		mu.Unlock()
		t.Logf("round %d: killed after %d acknowledgements; %d acknowledged so far, %d to send again", round, killAt, len(acked), len(pending))
	}

	// The pending ones are sent once more to a last server, which then
	// stops; the file must hold exactly the acknowledged keys.
	srv := startClassServer(t, bin, dir)
	c := studentClient(250, 10*time.Second)
	for _, sub := range pending {
		sub.Code = srv.code
		for try := 0; ; try++ {
			code := send(c, srv.addr, sub)
			if code == 200 || code == 201 {
				acked[sub.Key] = true
				break
			}
			if try > 100 {
				t.Fatalf("submission %s: status %d", sub.Key, code)
			}
			time.Sleep(600 * time.Millisecond) // the rate limit
		}
	}
	srv.kill9()

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := map[string]int{}
	rows, err := s.r.QueryContext(context.Background(), "SELECT key FROM drawings")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		stored[k]++
	}
	rows.Close()
	for k := range acked {
		if stored[k] != 1 {
			t.Errorf("acknowledged drawing %s is stored %d times", k, stored[k])
		}
	}
	for k, n := range stored {
		if !acked[k] || n != 1 {
			t.Errorf("stored drawing %s (%d times) was never acknowledged", k, n)
		}
	}
	if len(acked) < rounds*5 {
		t.Errorf("only %d drawings acknowledged", len(acked))
	}
	t.Logf("%d drawings acknowledged across %d kills, all stored once", len(acked), rounds+1)
}

//go:build !js

package main

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// The server as a real process: built, started, refused a port, stopped.

// buildServe returns the server binary, built for this test run, and the
// flags that have it serve the web directory built for it too
// (browsertest.Site), so that a fresh clone needs no make build.
func buildServe(t *testing.T) (bin string, flags []string) {
	t.Helper()
	return browsertest.ServerBinary(t), []string{"-dev", browsertest.Site(t)}
}

// TestServeBusyPort runs the server binary on a port that is taken: it must
// say so and exit non-zero before it prepares the assets, which is what
// took seconds (gzipping app.wasm). The same binary on a free port reports
// how long that preparation took, and the refusal must come in well under
// that (it took as long, and more, when the server listened last).
func TestServeBusyPort(t *testing.T) {
	bin, flags := buildServe(t)

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, bin, append(flags, "-addr", addr)...).CombinedOutput()
	refused := time.Since(start)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("on a busy port: %v, want a non-zero exit; output:\n%s", err, out)
	}
	if want := "cannot listen on " + addr + ": the address is already in use"; !strings.Contains(string(out), want) {
		t.Errorf("on a busy port the server said:\n%s\nwant %q", out, want)
	}
	if strings.Contains(string(out), "preparing") {
		t.Errorf("the server prepared its assets before it found the port taken:\n%s", out)
	}

	prepared := runUntilReady(t, bin, flags)
	t.Logf("busy port refused after %v; preparing the assets takes %v on a free port", refused.Round(time.Millisecond), prepared)
	if refused >= prepared/2 {
		t.Errorf("the busy port was refused after %v, not well before the %v the assets take to prepare", refused, prepared)
	}
}

// runUntilReady starts the server binary on a free port, checks that it
// listens before it prepares the assets, serves the page and stops cleanly
// on SIGTERM, and returns the preparation time it reports.
func runUntilReady(t *testing.T, bin string, flags []string) time.Duration {
	t.Helper()
	cmd := exec.Command(bin, append(flags, "-addr", "127.0.0.1:0")...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() string {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the server stopped early")
			}
			return l
		case <-time.After(2 * time.Minute):
			t.Fatal("the server said nothing for 2 minutes")
		}
		return ""
	}
	listening := regexp.MustCompile(`^serve: listening on http://(127\.0\.0\.1:[0-9]+); preparing the assets$`)
	m := listening.FindStringSubmatch(next())
	if m == nil {
		t.Fatal("the server's first line does not say where it listens")
	}
	// The port answers while the assets are being prepared (the request
	// waits in the listen queue) and once they are, with the page.
	res, err := http.Get("http://" + m[1] + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /: status %d", res.StatusCode)
	}
	ready := regexp.MustCompile(`^serve: cnnplay on http://` + regexp.QuoteMeta(m[1]) + ` \(version [0-9a-f]+, ready in ([^)]+)\)$`)
	l := next()
	r := ready.FindStringSubmatch(l)
	if r == nil {
		t.Fatalf("the server's second line is %q, want it ready on %s", l, m[1])
	}
	prepared, err := time.ParseDuration(r[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if l := next(); l != "serve: stopped" {
		t.Errorf("after SIGTERM the server said %q, want serve: stopped", l)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want a clean exit", err)
	}
	return prepared
}

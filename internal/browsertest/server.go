//go:build !js

package browsertest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Serve returns the URL of the real server, cmd/serve built as `make build`
// builds bin/serve, serving Site (-dev) on a loopback port. It is built and
// started once per test binary, shared by its tests, and stopped by Main
// (SIGTERM, then a wait for it to exit). So the page tests outside cmd/serve
// see the site exactly as a user of the server does.
func Serve(t testing.TB) string {
	t.Helper()
	site, bin := Site(t), ServerBinary(t)
	return once(t, "server", func(string) (string, error) { return startServer(bin, site) })
}

// ServerBinary returns the path of the server, cmd/serve, built once per
// test binary (with the assets it embeds as they are; serve it Site with
// -dev).
func ServerBinary(t testing.TB) string {
	t.Helper()
	return once(t, "server binary", func(dir string) (string, error) {
		bin := filepath.Join(dir, "serve")
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		build := exec.Command("go", "build", "-o", bin, "./cmd/serve")
		build.Dir = root
		if msg, err := build.CombinedOutput(); err != nil {
			return "", fmt.Errorf("building cmd/serve: %v\n%s", err, msg)
		}
		return bin, nil
	})
}

// serverStartTimeout bounds the wait for the server to say it is ready
// (it hashes and gzips app.wasm first, which takes seconds).
const serverStartTimeout = 2 * time.Minute

// readyLine is the server's log line once it serves, with its URL.
var readyLine = regexp.MustCompile(`^serve: cnnplay on (http://\S+) \(version `)

// startServer runs the server binary on site and a free loopback port,
// waits until its log says it serves, and registers its stop with Main.
// It returns the server's URL.
func startServer(bin, site string) (string, error) {
	cmd := exec.Command(bin, "-dev", site, "-addr", "127.0.0.1:0")
	cmd.SysProcAttr = serverProcAttr()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	ready := make(chan string, 1)
	// The log: up to the ready line, kept for an error; after it, passed on
	// to the test binary's stderr (read to the end so the server never
	// blocks on a full pipe).
	var early strings.Builder
	exited := make(chan error, 1)
	go func() {
		serving := false
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if serving {
				fmt.Fprintln(os.Stderr, line)
				continue
			}
			fmt.Fprintln(&early, line)
			if m := readyLine.FindStringSubmatch(line); m != nil {
				serving = true
				ready <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
		exited <- cmd.Wait()
	}()
	select {
	case u := <-ready:
		addCleanup(func() error { return stopServer(cmd, exited) })
		return u, nil
	case err := <-exited:
		return "", fmt.Errorf("the server exited before serving (%v); its log:\n%s", err, early.String())
	case <-time.After(serverStartTimeout):
		cmd.Process.Kill()
		<-exited
		return "", fmt.Errorf("the server did not say it serves within %v; its log:\n%s", serverStartTimeout, early.String())
	}
}

// stopServer stops the server with SIGTERM, as a service manager does, and
// waits for it to exit, killing it if it takes too long.
func stopServer(cmd *exec.Cmd, exited <-chan error) error {
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stopping the server: %v", err)
	}
	select {
	case err := <-exited:
		if err != nil {
			return fmt.Errorf("the server after SIGTERM: %v", err)
		}
		return nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		return errors.Join(errors.New("the server did not stop within 30s of SIGTERM; killed it"), <-exited)
	}
}

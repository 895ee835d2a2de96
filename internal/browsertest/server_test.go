//go:build !js

package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartServerExits: a server that exits before it serves is an error
// that carries its log, at once rather than after the start timeout.
func TestStartServerExits(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "serve")
	script := "#!/bin/sh\necho \"serve: cannot listen on $4\" >&2\nexit 1\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	url, err := startServer(bin, t.TempDir())
	if err == nil {
		t.Fatalf("a server that exits started, at %s", url)
	}
	if !strings.Contains(err.Error(), "serve: cannot listen on 127.0.0.1:0") {
		t.Errorf("the error does not carry the server's log: %v", err)
	}
}

// TestStartServerReady: the URL is read from the server's ready line, and
// stopServer ends the server with SIGTERM.
func TestStartServerReady(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "serve")
	script := "#!/bin/sh\ntrap 'exit 0' TERM\necho 'serve: listening on http://127.0.0.1:4321; preparing the assets' >&2\n" +
		"echo 'serve: cnnplay on http://127.0.0.1:4321 (version 0123abcd, ready in 1s)' >&2\nwhile :; do sleep 0.05; done\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	n := len(built.stops)
	url, err := startServer(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if url != "http://127.0.0.1:4321" {
		t.Errorf("URL %q, want http://127.0.0.1:4321", url)
	}
	built.mu.Lock()
	stop := built.stops[n]
	built.stops = built.stops[:n]
	built.mu.Unlock()
	if err := stop(); err != nil {
		t.Errorf("stopping: %v", err)
	}
}

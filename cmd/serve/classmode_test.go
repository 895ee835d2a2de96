//go:build !js

package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/web"
)

func TestClassHosts(t *testing.T) {
	for _, c := range []struct {
		addr              string
		student, teacher  string
		reachable, useLAN bool
	}{
		{"127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8080", false, false},
		{"192.168.1.20:9000", "192.168.1.20:9000", "192.168.1.20:9000", true, false},
		{"0.0.0.0:8080", "", "127.0.0.1:8080", true, true},
	} {
		a, err := net.ResolveTCPAddr("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		s, tch, reach := classHosts(a)
		if c.useLAN {
			if lan := lanAddress(); lan == nil {
				c.student, c.reachable = "127.0.0.1:8080", false
			} else {
				c.student = lan.String() + ":8080"
			}
		}
		if s != c.student || tch != c.teacher || reach != c.reachable {
			t.Errorf("%s: %s, %s, %v; want %s, %s, %v", c.addr, s, tch, reach, c.student, c.teacher, c.reachable)
		}
	}
}

// TestClassModeMount: class mode serves its pages under /class with the
// server's security headers, leaves the rest to the playground, and its
// banner names both URLs, the key only in the teacher's fragment.
func TestClassModeMount(t *testing.T) {
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	c, err := newClassMode(t.TempDir(), addr, web.Assets())
	if err != nil {
		t.Fatal(err)
	}
	defer c.store.Close()
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("playground")) })
	h := withClass(inner, c)
	for _, p := range []string{"/class/join", "/class/teacher", "/class/api/submit"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if got := w.Header().Get("Content-Security-Policy"); got != cspDefault {
			t.Errorf("%s: CSP %q", p, got)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Body.String() == "playground" {
			t.Errorf("%s: not served by class mode with nosniff", p)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/classic", nil))
	if w.Body.String() != "playground" {
		t.Errorf("/classic went to class mode")
	}
	b := c.banner()
	join := regexp.MustCompile(`students open:  (http://127\.0\.0\.1:8080/class/join#[A-Z]{4})\n`).FindStringSubmatch(b)
	teacher := regexp.MustCompile(`teacher opens:  http://127\.0\.0\.1:8080/class/teacher#key=([A-Za-z0-9_-]{43})\n`).FindStringSubmatch(b)
	if join == nil || teacher == nil || strings.Contains(join[1], teacher[1]) {
		t.Errorf("banner:\n%s", b)
	}
	if !strings.Contains(b, "-addr 0.0.0.0:8080") {
		t.Errorf("a loopback class's banner does not say how to let phones join:\n%s", b)
	}
}

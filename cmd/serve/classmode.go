//go:build !js

package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/internal/classroom"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/web/models"
)

// classMode is what -class adds to the server: the class's store and its
// handler, and the URLs to print.
type classMode struct {
	store      *classroom.Store
	handler    http.Handler
	joinURL    string // the students' page, with the class code
	teacherURL string // the teacher's page, with the key in the fragment
	reachable  bool   // whether other machines can reach the join URL
}

// newClassMode opens the class in dataDir and makes its handler for the
// server listening on addr (the listener's address). The teacher's key is
// new at every start: it is printed, never stored.
func newClassMode(dataDir string, addr net.Addr, assets fs.FS) (*classMode, error) {
	store, err := classroom.Open(dataDir)
	if err != nil {
		return nil, err
	}
	pages, err := fs.Sub(assets, "class")
	if err != nil {
		store.Close()
		return nil, err
	}
	f, err := models.Files.Open(models.Digits)
	if err != nil {
		store.Close()
		return nil, err
	}
	m, err := model.Decode(f)
	f.Close()
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("the shipped digits model: %w", err)
	}
	key := newTeacherKey()
	studentHost, teacherHost, reachable := classHosts(addr)
	joinURL := "http://" + studentHost + classroom.PathJoin
	h, err := classroom.New(classroom.Config{Store: store, TeacherKey: key, JoinURL: joinURL, Pages: pages, Model: m})
	if err != nil {
		store.Close()
		return nil, err
	}
	c, err := store.Class(context.Background())
	if err != nil {
		store.Close()
		return nil, err
	}
	return &classMode{
		store:      store,
		handler:    h,
		joinURL:    joinURL + "#" + c.Code,
		teacherURL: "http://" + teacherHost + classroom.PathTeacher + "#key=" + key,
		reachable:  reachable,
	}, nil
}

// newTeacherKey returns 256 random bits, base64url.
func newTeacherKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// classHosts returns host:port for the students' URL and for the teacher's
// (on this machine) of a server listening on addr, and whether students on
// other machines can reach it. On every interface, students get the
// machine's LAN address and the teacher loopback; on loopback only, both
// get loopback, which no phone can reach.
func classHosts(addr net.Addr) (student, teacher string, reachable bool) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String(), addr.String(), false
	}
	port := strconv.Itoa(tcp.Port)
	switch {
	case tcp.IP.IsLoopback():
		h := net.JoinHostPort(tcp.IP.String(), port)
		return h, h, false
	case tcp.IP.IsUnspecified():
		lan := lanAddress()
		if lan == nil {
			h := net.JoinHostPort("127.0.0.1", port)
			return h, h, false
		}
		return net.JoinHostPort(lan.String(), port), net.JoinHostPort("127.0.0.1", port), true
	default:
		h := net.JoinHostPort(tcp.IP.String(), port)
		return h, h, true
	}
}

// lanAddress returns this machine's address on the local network: the
// first private IPv4 address of an interface that is up, else any
// non-loopback IPv4 one, else nil.
func lanAddress() net.IP {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var other net.IP
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok || n.IP.To4() == nil || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() {
				continue
			}
			if n.IP.IsPrivate() {
				return n.IP.To4()
			}
			if other == nil {
				other = n.IP.To4()
			}
		}
	}
	return other
}

// banner is what the server prints at start in class mode.
func (c *classMode) banner() string {
	abs, err := filepath.Abs(c.store.Path())
	if err != nil {
		abs = c.store.Path()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "class mode: the class's drawings are in %s (back up: copy it while the server is stopped)\n", abs)
	fmt.Fprintf(&b, "  students open:  %s\n", c.joinURL)
	if !c.reachable {
		fmt.Fprintf(&b, "  (this address is on this machine only: to let phones join, start with -addr 0.0.0.0:8080)\n")
	}
	fmt.Fprintf(&b, "  teacher opens:  %s\n", c.teacherURL)
	fmt.Fprintf(&b, "  (the teacher's URL holds a secret key, new at every start: do not show it on the projector)")
	return b.String()
}

// withClass returns a handler that serves class mode under
// classroom.Prefix and everything else with h. Class mode's responses
// carry the server's security headers too.
func withClass(h http.Handler, c *classMode) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == classroom.Prefix || strings.HasPrefix(p, classroom.Prefix+"/") {
			setSecurityHeaders(w.Header(), p)
			c.handler.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

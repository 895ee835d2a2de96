// Package storetest is the behaviour every browserstore.Store must have, as
// checks that return what went wrong instead of failing a test, so that the
// same checks run natively against browserstore.Memory and, in headless
// Chromium, against IndexedDB (where a probe program reports them).
package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/cnnplay/cnnplay/internal/browserstore"
)

// Check runs Put, Get, Delete, Keys and atomic multi-key writes on s,
// which must start empty, and returns a description of every failure. It
// leaves s empty.
func Check(s browserstore.Store) []string {
	var fails []string
	fail := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	expect := func(key string, want []byte) {
		got, err := s.Get(key)
		switch {
		case want == nil && !errors.Is(err, browserstore.ErrNotFound):
			fail("Get(%q) = %q, %v; want ErrNotFound", key, got, err)
		case want != nil && (err != nil || !bytes.Equal(got, want)):
			fail("Get(%q) = %q, %v; want %q", key, got, err, want)
		}
	}
	expectKeys := func(want ...string) {
		got, err := s.Keys()
		if err != nil || !slices.Equal(got, want) {
			fail("Keys() = %q, %v; want %q", got, err, want)
		}
	}
	must := func(what string, err error) {
		if err != nil {
			fail("%s: %v", what, err)
		}
	}

	expectKeys()
	expect("a", nil)

	// Values are copied in: changing the caller's slice changes nothing.
	v := []byte("alpha")
	must("Put a", browserstore.Put(s, "a", v))
	v[0] = 'X'
	expect("a", []byte("alpha"))

	// Every byte value survives, and a value as large as a model.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	big := bytes.Repeat([]byte("cnnplay!"), 1<<17) // 1 MiB
	must("Put bytes", browserstore.Put(s, "bytes", all))
	must("Put big", browserstore.Put(s, "big", big))
	must("Put empty", browserstore.Put(s, "empty", []byte{}))
	expect("bytes", all)
	expect("big", big)
	expect("empty", []byte{})
	expectKeys("a", "big", "bytes", "empty")

	// Values are copied out too.
	if got, err := s.Get("a"); err == nil && len(got) > 0 {
		got[0] = 'Y'
		expect("a", []byte("alpha"))
	}

	// Overwrite, delete, and delete a missing key.
	must("Put a again", browserstore.Put(s, "a", []byte("beta")))
	expect("a", []byte("beta"))
	must("Delete big", browserstore.Delete(s, "big"))
	expect("big", nil)
	must("Delete missing", browserstore.Delete(s, "missing"))
	expectKeys("a", "bytes", "empty")

	// One write of several changes, applied in order: the last change of
	// a key wins.
	must("Write", s.Write(
		browserstore.Change{Key: "m/1", Value: []byte("one")},
		browserstore.Change{Key: "m/2", Value: []byte("two")},
		browserstore.Change{Key: "a", Delete: true},
		browserstore.Change{Key: "m/2", Value: []byte("two, again")},
		browserstore.Change{Key: "bytes", Delete: true},
		browserstore.Change{Key: "bytes", Value: []byte("back")},
	))
	expect("m/1", []byte("one"))
	expect("m/2", []byte("two, again"))
	expect("a", nil)
	expect("bytes", []byte("back"))
	expectKeys("bytes", "empty", "m/1", "m/2")

	// Keys that need escaping anywhere else.
	odd := "model/current \"quoted\" ✓"
	must("Put odd key", browserstore.Put(s, odd, []byte("odd")))
	expect(odd, []byte("odd"))

	keys, err := s.Keys()
	must("Keys", err)
	for _, k := range keys {
		must("Delete "+k, browserstore.Delete(s, k))
	}
	expectKeys()
	return fails
}

// noise returns n bytes that do not compress: Chromium compresses large
// IndexedDB values, and n equal bytes would fit any quota.
func noise(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// CheckQuota checks that a write which does not fit fails with ErrQuota
// and changes nothing, and that writes which fit still succeed after it.
// s must start empty, with room for a few small values but not for tooBig
// bytes. It leaves s empty.
func CheckQuota(s browserstore.Store, tooBig int) []string {
	var fails []string
	fail := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	if err := browserstore.Put(s, "keep", []byte("the good model")); err != nil {
		return append(fails, fmt.Sprintf("Put keep (a small value must fit): %v", err))
	}
	err := s.Write(
		browserstore.Change{Key: "keep", Value: []byte("a newer model")},
		browserstore.Change{Key: "huge", Value: noise(tooBig)},
	)
	if !errors.Is(err, browserstore.ErrQuota) {
		fail("writing %d bytes past the quota: err = %v; want ErrQuota", tooBig, err)
	}
	if got, err := s.Get("keep"); err != nil || string(got) != "the good model" {
		fail("after the failed write, keep = %q, %v; want the value before it", got, err)
	}
	if _, err := s.Get("huge"); !errors.Is(err, browserstore.ErrNotFound) {
		fail("after the failed write, huge: err = %v; want ErrNotFound", err)
	}
	if err := browserstore.Put(s, "keep", []byte("small again")); err != nil {
		fail("a small write after the failed one: %v", err)
	}
	if err := browserstore.Delete(s, "keep"); err != nil {
		fail("Delete keep: %v", err)
	}
	return fails
}

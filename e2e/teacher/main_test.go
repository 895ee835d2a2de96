//go:build !js

// Package teacher_test tests the page as a teacher uses it in front of a
// class, in headless Chromium: honest estimates, early validation points,
// the first screen at projector sizes.
package teacher_test

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain stops the server and removes the site the tests build (see
// browsertest.Serve).
func TestMain(m *testing.M) { browsertest.Main(m) }

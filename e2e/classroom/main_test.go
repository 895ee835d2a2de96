//go:build !js

// Package classroom_test runs class mode in Chromium: the real server in
// class mode, the teacher's tab and students' tabs.
package classroom_test

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain removes the server binary the tests build.
func TestMain(m *testing.M) { browsertest.Main(m) }

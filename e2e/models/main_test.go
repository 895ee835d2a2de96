//go:build !js

package models_test

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain stops the server and removes the site the tests build (see
// browsertest.Serve).
func TestMain(m *testing.M) { browsertest.Main(m) }

//go:build !js

// Package embedsize_test checks what a first visit from a static host costs
// a reader on a phone network: the bytes of the draw embed and of the full
// playground (asserted) and their time to interactive (logged).
package embedsize_test

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain removes the programs and the site the tests build (see
// browsertest.Main).
func TestMain(m *testing.M) { browsertest.Main(m) }

//go:build !js

package main

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain removes the programs the browser tests build.
func TestMain(m *testing.M) { browsertest.Main(m) }

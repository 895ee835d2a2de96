//go:build !js

package main

import (
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestMain removes the site the browser tests build (see builtAssets).
func TestMain(m *testing.M) { browsertest.Main(m) }

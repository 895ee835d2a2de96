package simd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestModuleAssembled checks that the committed gemm.wasm and gemm_fma.wasm
// are what wat2wasm makes of gemm.wat and gemm_fma.wat, so the binaries
// cannot drift from their sources.
func TestModuleAssembled(t *testing.T) {
	wat2wasm, err := exec.LookPath("wat2wasm")
	if err != nil {
		t.Skip("wat2wasm not installed (sudo apt-get install wabt)")
	}
	for _, m := range []struct {
		src   string
		flags []string
		bytes []byte
	}{
		{"gemm.wat", nil, Module},
		{"gemm_fma.wat", []string{"--enable-relaxed-simd"}, FMAModule},
	} {
		bin := strings.TrimSuffix(m.src, ".wat") + ".wasm"
		out := filepath.Join(t.TempDir(), bin)
		args := append(append([]string(nil), m.flags...), m.src, "-o", out)
		if msg, err := exec.Command(wat2wasm, args...).CombinedOutput(); err != nil {
			t.Fatalf("wat2wasm %s: %v\n%s", m.src, err, msg)
		}
		want, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.bytes, want) {
			t.Fatalf("%s differs from wat2wasm %s; reassemble: wat2wasm %s nn/simd/%s -o nn/simd/%s",
				bin, m.src, strings.Join(m.flags, " "), m.src, bin)
		}
	}
}

// TestModuleHeader checks the embedded bytes are WebAssembly modules.
func TestModuleHeader(t *testing.T) {
	for name, m := range map[string][]byte{"gemm.wasm": Module, "gemm_fma.wasm": FMAModule} {
		if !bytes.HasPrefix(m, []byte("\x00asm\x01\x00\x00\x00")) {
			t.Fatalf("%s does not start with the WebAssembly header: % x", name, m[:min(8, len(m))])
		}
	}
}

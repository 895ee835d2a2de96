package simd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestModuleAssembled checks that the committed gemm.wasm is what wat2wasm
// makes of gemm.wat, so the binary cannot drift from its source.
func TestModuleAssembled(t *testing.T) {
	wat2wasm, err := exec.LookPath("wat2wasm")
	if err != nil {
		t.Skip("wat2wasm not installed (sudo apt-get install wabt)")
	}
	out := filepath.Join(t.TempDir(), "gemm.wasm")
	if msg, err := exec.Command(wat2wasm, "gemm.wat", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm gemm.wat: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Module, want) {
		t.Fatal("gemm.wasm differs from wat2wasm gemm.wat; reassemble: wat2wasm nn/simd/gemm.wat -o nn/simd/gemm.wasm")
	}
}

// TestModuleHeader checks the embedded bytes are a WebAssembly module.
func TestModuleHeader(t *testing.T) {
	if !bytes.HasPrefix(Module, []byte("\x00asm\x01\x00\x00\x00")) {
		t.Fatalf("gemm.wasm does not start with the WebAssembly header: % x", Module[:min(8, len(Module))])
	}
}

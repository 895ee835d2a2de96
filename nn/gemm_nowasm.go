//go:build !(js && wasm)

package nn

// WasmSIMD reports whether gemm uses the WebAssembly SIMD128 kernel, which
// exists only under GOOS=js GOARCH=wasm (see gemm_js.go).
func WasmSIMD() bool { return false }

// SetWasmSIMD has no effect outside GOOS=js GOARCH=wasm and reports false.
func SetWasmSIMD(on bool) bool { return false }

//go:build !(js && wasm)

package nn

// WasmSIMD reports whether gemm uses the WebAssembly SIMD128 kernel, which
// exists only under GOOS=js GOARCH=wasm (see gemm_js.go).
func WasmSIMD() bool { return false }

// SetWasmSIMD has no effect outside GOOS=js GOARCH=wasm and reports false.
func SetWasmSIMD(on bool) bool { return false }

// WasmFMA reports whether gemm uses the WebAssembly relaxed-SIMD kernel:
// never outside GOOS=js GOARCH=wasm.
func WasmFMA() bool { return false }

// SetWasmFMA has no effect outside GOOS=js GOARCH=wasm and reports false.
func SetWasmFMA(on bool) bool { return false }

// reluImpl is the relu loop: Go's max is branch-free here.
var reluImpl = reluMax

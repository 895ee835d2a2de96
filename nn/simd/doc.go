// Package simd holds cnnplay's hand-written WebAssembly SIMD128 kernel
// module, nn's matrix product and inner loops (gemm.wat, assembled with
// Debian wabt's wat2wasm into the committed gemm.wasm), and the node runner
// that installs it for GOOS=js GOARCH=wasm tests and benchmarks
// (node_runner.js, go_js_wasm_simd_exec). Module holds the assembled bytes.
//
// The Go side is in nn/gemm_js.go; web/worker.js installs the module in the
// browser. Reassemble after editing gemm.wat or gemm_fma.wat:
//
//	wat2wasm nn/simd/gemm.wat -o nn/simd/gemm.wasm
//	wat2wasm --enable-relaxed-simd nn/simd/gemm_fma.wat -o nn/simd/gemm_fma.wasm
package simd

import _ "embed"

// Module is the assembled kernel module, gemm.wasm.
//
//go:embed gemm.wasm
var Module []byte

// FMAModule is gemm_fma.wasm: the block and row products of gemm.wasm with
// fused multiply-adds (relaxed SIMD), for engines that accept it. nn embeds
// it and instantiates it itself on the memory gemm.wasm exports, so hosts
// install only gemm.wasm.
//
//go:embed gemm_fma.wasm
var FMAModule []byte

// node_runner.js runs a GOOS=js GOARCH=wasm program (a test binary, with
// `go test -exec`) in node like Go's own lib/wasm/go_js_wasm_exec and
// wasm_exec_node.js, and also installs cnnplay's SIMD128 kernel module
// (gemm.wasm beside this file) the way web/worker.js does in the browser:
//
//	PATH=$(go env GOROOT)/lib/wasm:$PATH GOOS=js GOARCH=wasm \
//		go test -exec "node $PWD/nn/simd/node_runner.js" ./nn
//
// (or -exec nn/simd/go_js_wasm_simd_exec). With CNNPLAY_SIMD=0 in the
// environment it installs nothing, so the program uses the portable kernel.
//
// wasm_exec.js is loaded from the Go toolchain's lib/wasm, found with
// GOROOT or `go env GOROOT`, so it matches the toolchain that built the
// program.
'use strict';

const fs = require('fs');
const path = require('path');

if (process.argv.length < 3) {
  console.error('usage: node_runner.js [wasm binary] [arguments]');
  process.exit(1);
}

globalThis.require = require;
globalThis.fs = fs;
globalThis.path = path;
globalThis.TextEncoder = require('util').TextEncoder;
globalThis.TextDecoder = require('util').TextDecoder;
globalThis.performance ??= require('perf_hooks').performance;
globalThis.crypto ??= require('crypto');

let goroot = process.env.GOROOT;
if (!goroot) {
  goroot = require('child_process').execFileSync('go', ['env', 'GOROOT'], {encoding: 'utf8'}).trim();
}
require(path.join(goroot, 'lib', 'wasm', 'wasm_exec.js'));

// installSIMD instantiates the kernel module on the Go instance's memory
// and publishes all its exports, for nn to bind those it calls
// (simdExports in nn/gemm_js.go).
async function installSIMD(instance) {
  if (process.env.CNNPLAY_SIMD === '0') {
    return;
  }
  // nn instantiates gemm_fma.wasm itself where the engine validates it;
  // node 20 (V8 11.3) has relaxed SIMD only behind this flag.
  const fma = fs.readFileSync(path.join(__dirname, 'gemm_fma.wasm'));
  if (!WebAssembly.validate(fma)) {
    require('v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  const bytes = fs.readFileSync(path.join(__dirname, 'gemm.wasm'));
  if (!WebAssembly.validate(bytes)) {
    return; // no SIMD128 in this engine: the portable kernel stays
  }
  const simd = await WebAssembly.instantiate(bytes, {env: {mem: instance.exports.mem}});
  globalThis.cnnplaySIMD = simd.instance.exports;
}

const go = new Go();
go.argv = process.argv.slice(2);
go.env = Object.assign({TMPDIR: require('os').tmpdir()}, process.env);
go.exit = process.exit;
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject).then(async (result) => {
  process.on('exit', (code) => { // node exits if no event handler is pending
    if (code === 0 && !go.exited) {
      // deadlock: make Go print the error and stack traces
      go._pendingEvent = {id: 0};
      go._resume();
    }
  });
  await installSIMD(result.instance);
  return go.run(result.instance);
}).catch((err) => {
  console.error(err);
  process.exit(1);
});

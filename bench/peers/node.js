// Runs one peer of the benchmark in node: node node.js '<json config>'.
// The config names the npm cache (npm), the data folder (data), cnnplay's
// wasm and the toolchain's wasm_exec.js (wasm, wasmExec), and the peer,
// preset and time budget per task. It prints a line "REPORT <key> <json>"
// for each result as it comes (see run in web/bench.js).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const cfg = JSON.parse(process.argv[2]);
const npmRequire = createRequire(path.join(path.resolve(cfg.npm), 'package.json'));

// The libraries become globals, as in the browser page.
if (cfg.peer.startsWith('tfjs')) {
  globalThis.tf = npmRequire('@tensorflow/tfjs-core');
  npmRequire('@tensorflow/tfjs-backend-cpu');
  globalThis.tf.wasm = npmRequire('@tensorflow/tfjs-backend-wasm');
}
if (cfg.peer === 'convnetjs') globalThis.convnetjs = npmRequire('convnetjs');
require('./web/bench.js');

const env = {
  report(key, value) {
    process.stdout.write('REPORT ' + key + ' ' + JSON.stringify(value) + '\n');
  },
  async data(preset) {
    const f32 = fs.readFileSync(path.join(cfg.data, preset + '.f32'));
    const labels = new Uint8Array(fs.readFileSync(path.join(cfg.data, 'labels.u8')));
    const images = new Float32Array(f32.buffer.slice(f32.byteOffset, f32.byteOffset + f32.length));
    return { images, labels, n: labels.length, size: images.length / labels.length };
  },
  async startCnnplay(beforeRun) {
    // nn's fused kernel (nn/simd/gemm_fma.wasm) needs relaxed SIMD: behind a flag in node 20
    if (!WebAssembly.validate(fs.readFileSync(path.join(__dirname, '../../nn/simd/gemm_fma.wasm')))) {
      require('v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
    }
    require(path.resolve(cfg.wasmExec));
    const go = new globalThis.Go();
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(cfg.wasm), go.importObject);
    await beforeRun(instance);
    go.run(instance);
  },
  async simdKernel() {
    return fs.readFileSync(path.join(__dirname, '../../nn/simd/gemm.wasm'));
  },
  async gradients() {
    const { register } = require('module');
    const { pathToFileURL } = require('url');
    register(pathToFileURL(path.join(__dirname, 'esm-hooks.mjs')));
    await import(pathToFileURL(path.join(path.resolve(cfg.npm), 'node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js')));
  },
  wasmPaths(tf) {
    tf.wasm.setWasmPaths(path.join(path.resolve(cfg.npm), 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  },
};

globalThis.cnnBench.run(env, cfg).then(() => process.exit(0), (e) => {
  env.report('error', String((e && e.stack) || e));
  process.exit(1);
});

// cnnplay's training worker: the Web Worker bootstrap for worker.wasm.
//
// The UI creates it with `new Worker('/web/worker.js')` (not app-worker.js,
// which is go-app's service worker). Paths are resolved against this
// script's URL, so the site also works under a path prefix.
//
// Messages cross as {head: string, body?: Uint8Array} (see internal/wire).
// Messages the UI posts before the Go program is listening are kept in
// self.cnnplayEarly and replayed by it, so the UI may post start at once.
//
// Where the browser has WebAssembly SIMD128, the loader also instantiates
// cnnplay's SIMD kernel module (gemm_simd.wasm, from nn/simd/gemm.wat) on
// the Go instance's memory and publishes all its exports as
// self.cnnplaySIMD before go.run; the engine binds the functions it calls
// (simdExports in nn/gemm_js.go). Without them it keeps its pure-Go loops.
'use strict';

self.cnnplayEarly = [];
self.onmessage = (e) => self.cnnplayEarly.push(e);

function postError(message) {
  self.postMessage({head: JSON.stringify({kind: 'error', error: {message: message}})});
}

// loader.js defines cnnplayInstantiate, which fetches worker.wasm (gzipped
// from a static export, and unzipped) and instantiates it.
importScripts(new URL('wasm_exec.js', self.location.href).href, new URL('loader.js', self.location.href).href);

// loadSIMD compiles the SIMD kernel module, or resolves to null where it is
// missing or the engine cannot validate it (no SIMD128).
async function loadSIMD() {
  try {
    const resp = await fetch(new URL('gemm_simd.wasm', self.location.href).href);
    if (!resp.ok) {
      return null;
    }
    const bytes = await resp.arrayBuffer();
    return WebAssembly.validate(bytes) ? await WebAssembly.compile(bytes) : null;
  } catch (err) {
    console.warn('cnnplay: SIMD kernel not loaded, using the portable one:', err);
    return null;
  }
}

// installSIMD binds the module to the Go instance's exported memory (the
// same WebAssembly.Memory, so growth is shared) and publishes its exports.
async function installSIMD(module, instance) {
  if (!module) {
    return;
  }
  try {
    const simd = await WebAssembly.instantiate(module, {env: {mem: instance.exports.mem}});
    self.cnnplaySIMD = simd.exports;
  } catch (err) {
    console.warn('cnnplay: SIMD kernel not installed, using the portable one:', err);
  }
}

(async () => {
  const simdModule = loadSIMD(); // in parallel with worker.wasm
  const go = new Go();
  const result = await cnnplayInstantiate(new URL('worker.wasm', self.location.href).href, go.importObject);
  await installSIMD(await simdModule, result.instance);
  // The size of this worker's WebAssembly memory, for the progress messages
  // (wasm/worker/memory.go): Go cannot see its own memory's buffer.
  const mem = result.instance.exports.mem;
  self.cnnplayMemoryBytes = () => mem.buffer.byteLength;
  await go.run(result.instance);
  postError('the training worker stopped unexpectedly; see the browser console');
})().catch((err) => postError('the training worker could not start: ' + err));

// cnnplay's training worker: the Web Worker bootstrap for worker.wasm.
//
// The UI creates it with `new Worker('/web/worker.js')` (not app-worker.js,
// which is go-app's service worker). Paths are resolved against this
// script's URL, so the site also works under a path prefix.
//
// Messages cross as {head: string, body?: Uint8Array} (see internal/wire).
// Messages the UI posts before the Go program is listening are kept in
// self.cnnplayEarly and replayed by it, so the UI may post start at once.
'use strict';

self.cnnplayEarly = [];
self.onmessage = (e) => self.cnnplayEarly.push(e);

function postError(message) {
  self.postMessage({head: JSON.stringify({kind: 'error', error: {message: message}})});
}

importScripts(new URL('wasm_exec.js', self.location.href).href);

(async () => {
  const go = new Go();
  const url = new URL('worker.wasm', self.location.href).href;
  let result;
  try {
    // instantiateStreaming needs the application/wasm type; fall back to
    // compiling from bytes where it is missing.
    result = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
  } catch (streamErr) {
    const resp = await fetch(url);
    if (!resp.ok) {
      throw new Error('could not load ' + url + ': HTTP ' + resp.status);
    }
    result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  await go.run(result.instance);
  postError('the training worker stopped unexpectedly; see the browser console');
})().catch((err) => postError('the training worker could not start: ' + err));

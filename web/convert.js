// cnnplay's model converter: the Web Worker bootstrap for convert.wasm
// (wasm/convert), which writes and reads other frameworks' model formats
// for the page. The page starts it with `new Worker('/web/convert.js')`
// the first time it needs it. Paths are resolved against this script's
// URL, so the site also works under a path prefix.
//
// Requests posted before the Go program is listening are kept in
// self.cnnplayEarly, which it answers first.
'use strict';

self.cnnplayEarly = [];
self.onmessage = (e) => self.cnnplayEarly.push(e);

function failAll(message) {
  for (const e of self.cnnplayEarly || []) {
    self.postMessage({id: e.data && e.data.id, error: message});
  }
  self.cnnplayEarly = [];
  self.onmessage = (e) => self.postMessage({id: e.data && e.data.id, error: message});
}

// loader.js defines cnnplayFetch, which fetches convert.wasm gzipped from a
// static export and unzips it.
importScripts(new URL('wasm_exec.js', self.location.href).href, new URL('loader.js', self.location.href).href);

(async () => {
  const go = new Go();
  const url = new URL('convert.wasm', self.location.href).href;
  let result;
  try {
    // instantiateStreaming needs the application/wasm type; fall back to
    // compiling from bytes where it is missing.
    result = await WebAssembly.instantiateStreaming(cnnplayFetch(url), go.importObject);
  } catch (streamErr) {
    const resp = await cnnplayFetch(url);
    if (!resp.ok) {
      throw new Error('could not load ' + url + ': HTTP ' + resp.status);
    }
    result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  await go.run(result.instance);
  failAll('the model converter stopped unexpectedly; see the browser console');
})().catch((err) => failAll('the model converter could not start: ' + err));

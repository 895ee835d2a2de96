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

// loader.js defines cnnplayInstantiate, which fetches convert.wasm (gzipped
// from a static export, and unzipped) and instantiates it.
importScripts(new URL('wasm_exec.js', self.location.href).href, new URL('loader.js', self.location.href).href);

(async () => {
  const go = new Go();
  const result = await cnnplayInstantiate(new URL('convert.wasm', self.location.href).href, go.importObject);
  await go.run(result.instance);
  failAll('the model converter stopped unexpectedly; see the browser console');
})().catch((err) => failAll('the model converter could not start: ' + err));

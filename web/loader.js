// cnnplay's loader for large files: on a static host it fetches the gzipped
// copy of a file and unzips it in the browser.
//
// Many static hosts send application/wasm uncompressed (nginx's default
// gzip_types leaves it out; `python3 -m http.server` compresses nothing),
// and app.wasm is four times smaller gzipped. So the static export
// (cmd/serve -static) writes name.gz beside each large file under web/ and
// fills in the table below with their names and plain sizes; this loader
// then fetches name.gz explicitly and pipes it through the browser's
// DecompressionStream. cmd/serve compresses by itself (brotli or gzip,
// negotiated), so there the table stays empty and every file is fetched as
// it is. A host that labels .gz files `Content-Encoding: gzip` has had the
// browser unzip them already: such a response is used as it comes. A host
// that compresses on the fly gets the .gz file, which it passes on as it
// is: gzip -9 made at export time is no bigger than its own gzip.
//
// DecompressionStream knows gzip and deflate everywhere; Chromium 156 does
// not know brotli, so the export ships gzip. Without DecompressionStream,
// the plain file is fetched.
//
// The page loads this script (not deferred) before go-app's app.js, which
// fetches app.wasm with window.fetch: window.fetch is wrapped so that the
// files of the table go through cnnplayFetch. The training worker
// (worker.js) and the model converter (convert.js) import it and start
// their programs with cnnplayInstantiate, and the Go
// programs call it through internal/webfetch. The service worker precaches
// the .gz URLs in a static export (cmd/serve/offline.go), so what this
// fetches is what works offline. It also holds back the service worker's
// registration until the page is interactive (see below).
'use strict';

(() => {
  // Names relative to web/ of the files with a .gz copy: {size, planes},
  // the plain file's size (for go-app's progress bar) and, for a model,
  // the offset from which the copy holds its 4-byte words split into four
  // byte planes (-1: none; see splitPlanes in cmd/serve/gzipped.go). The
  // export rewrites this line.
  const gzipped = {}; // cnnplay:gzipped

  const here = self.document && document.currentScript ? document.currentScript.src : self.location.href;
  const dir = new URL('.', here).pathname; // .../web/
  const plainFetch = self.fetch.bind(self);

  // gzippedName returns the name in the table of the URL, or "".
  function gzippedName(input) {
    if (typeof input !== 'string' && !(input instanceof URL)) {
      return '';
    }
    const u = new URL(input, self.location.href);
    if (u.origin !== self.location.origin || !u.pathname.startsWith(dir)) {
      return '';
    }
    const name = u.pathname.slice(dir.length);
    return Object.prototype.hasOwnProperty.call(gzipped, name) ? name : '';
  }

  // joinPlanes undoes splitPlanes: the m 4-byte words from offset k were
  // stored as four planes of m bytes each.
  function joinPlanes(b, k) {
    const out = new Uint8Array(b.length);
    const m = Math.floor((b.length - k) / 4);
    out.set(b.subarray(0, k));
    for (let p = 0; p < 4; p++) {
      const plane = b.subarray(k + p * m, k + (p + 1) * m);
      for (let i = 0; i < m; i++) {
        out[k + 4 * i + p] = plane[i];
      }
    }
    out.set(b.subarray(k + 4 * m), k + 4 * m);
    return out;
  }

  // The Go program fetches the model its view shows once it has started:
  // on a slow phone, seconds after app.wasm arrived, while the network
  // idles. So once app.wasm has arrived (not before: the two would share
  // the network), the loader starts fetching the model the page's link
  // names (?model=, digits by default), and hands that download to the
  // program's request. A guess the program does not take costs a download
  // the service worker would have made anyway.
  const prefetched = new Map(); // name -> Promise<Response>
  function prefetchModel() {
    const name = 'models/' + (new URLSearchParams(self.location.search).get('model') || 'digits') + '.cnn';
    if (Object.prototype.hasOwnProperty.call(gzipped, name) && !prefetched.has(name)) {
      const p = cnnplayFetch(new URL(name, here).href);
      prefetched.set(name, p);
      p.catch(() => prefetched.delete(name));
    }
  }

  // cnnplayFetch fetches url like fetch, but the files of the table as
  // their .gz copy, unzipped; the response then has the plain file's type
  // and length.
  async function cnnplayFetch(input, init) {
    const name = gzippedName(input);
    if (!name || typeof DecompressionStream === 'undefined') {
      return plainFetch(input, init);
    }
    const early = prefetched.get(name);
    if (early && !init) {
      prefetched.delete(name);
      return early;
    }
    const u = new URL(input, self.location.href);
    u.pathname += '.gz'; // the query (?v=hash) stays
    const res = await plainFetch(u.href, init);
    if (!res.ok) {
      return plainFetch(input, init); // no copy after all: the file itself
    }
    const e = gzipped[name];
    let body = res.headers.get('Content-Encoding') ? res.body : res.body.pipeThrough(new DecompressionStream('gzip'));
    if (e.planes >= 0) {
      body = joinPlanes(new Uint8Array(await new Response(body).arrayBuffer()), e.planes);
    } else if (name === 'app.wasm' && self.document) {
      body = body.pipeThrough(new TransformStream({flush: prefetchModel}));
    }
    const size = String(e.size);
    return new Response(body, {
      status: 200,
      statusText: 'OK',
      headers: {
        'Content-Type': name.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream',
        'Content-Length': size,
        'Wasm-Content-Length': size,
      },
    });
  }

  // cnnplayInstantiate fetches a Go program's wasm through cnnplayFetch and
  // instantiates it with importObject, streaming where the response has
  // the application/wasm type and compiling from bytes where it has not:
  // what worker.js and convert.js do to start their programs.
  async function cnnplayInstantiate(url, importObject) {
    try {
      return await WebAssembly.instantiateStreaming(cnnplayFetch(url), importObject);
    } catch (streamErr) {
      const resp = await cnnplayFetch(url);
      if (!resp.ok) {
        throw new Error('could not load ' + url + ': HTTP ' + resp.status);
      }
      return await WebAssembly.instantiate(await resp.arrayBuffer(), importObject);
    }
  }

  self.cnnplayFetch = cnnplayFetch;
  self.cnnplayInstantiate = cnnplayInstantiate;
  if (!self.document) {
    return;
  }
  if (Object.keys(gzipped).length > 0) {
    self.fetch = (input, init) => (gzippedName(input) ? cnnplayFetch(input, init) : plainFetch(input, init));
  }

  // go-app registers its service worker as app.js starts, and the worker
  // then precaches every program, model and the test set for offline use:
  // on a first visit those downloads ran beside the page's own, which a
  // phone's network shares. The registration waits until the page is
  // interactive instead: a view sets data-ready on its root once its model
  // is loaded (or, failing that, 20 s after the load event). The precache
  // then finds the files the page fetched in the HTTP cache.
  const sw = navigator.serviceWorker;
  if (!sw) {
    return;
  }
  const ready = new Promise((resolve) => {
    const isReady = () => document.querySelector('[data-ready]:not([data-ready=""])') !== null;
    const obs = new MutationObserver(() => {
      if (isReady()) {
        obs.disconnect();
        resolve();
      }
    });
    obs.observe(document, {subtree: true, attributes: true, attributeFilter: ['data-ready'], childList: true});
    self.addEventListener('load', () => setTimeout(resolve, 20000));
  });
  const register = sw.register.bind(sw);
  sw.register = (...args) => ready.then(() => {
    self.cnnplaySWRegisteredAt = performance.now(); // for e2e/embedsize
    return register(...args);
  });
})();

package main

import (
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strings"

	ui "github.com/cnnplay/cnnplay/app"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// serviceWorker is the template of go-app's service worker, /app-worker.js
// (go-app fills in {{.Version}} and {{.ResourcesToCache}}, a JSON array).
// It differs from go-app's default in two ways that offline use needs:
//
//   - pages are looked up without their query, so a shared link such as
//     /?preset=lenet5&lr=0.01 or /embed.html?view=filters opens offline
//     from the cached page;
//   - whatever else the site fetches while online (a training set, the
//     Fashion-MNIST files) is kept too, so it works offline after one use;
//   - offline, a file asked for without its ?v= version (worker.js and
//     the scripts it imports) is answered from the precached versioned one.
//
// Like go-app's, it answers from the cache first and keeps one cache per
// version, deleting the others when a new version activates. It asks the
// server whether the browser's HTTP cache still holds each file it
// precaches (no-cache: a conditional request, a 304 when it does): files
// without a version in their URL (worker.wasm, the models) must be the
// new version's after an update, and those the page has just fetched cost
// no second download.
//
// In a static export it precaches the gzipped copies of the files that
// have one (name.gz, listed in gzippedMarker's place), which is what
// web/loader.js fetches there, rather than the files themselves.
const serviceWorker = `// cnnplay's service worker (go-app's /app-worker.js), version {{.Version}}.
const cacheName = "cnnplay-{{.Version}}";
const gzipped = ` + gzippedMarker + `;
const precache = {{.ResourcesToCache}}.map((u) => {
  const q = u.indexOf("?"), p = q < 0 ? u : u.slice(0, q);
  return gzipped.includes(p) ? p + ".gz" + u.slice(p.length) : u;
});

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(cacheName)
      .then((cache) => cache.addAll(precache.map((u) => new Request(u, {cache: "no-cache"}))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== cacheName).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) {
    return;
  }
  const page = req.mode === "navigate";
  event.respondWith((async () => {
    const cache = await caches.open(cacheName);
    const hit = await cache.match(req, {ignoreSearch: page});
    if (hit) {
      return hit;
    }
    let res;
    try {
      res = await fetch(req);
    } catch (err) {
      // Offline: a file asked for without the version the precache
      // named it with (a worker's importScripts, worker.js itself) is
      // this version's all the same, as each version has its own cache.
      const any = await cache.match(req, {ignoreSearch: true});
      if (any) {
        return any;
      }
      throw err;
    }
    if (!page && res.status === 200 && !req.headers.has("range")) {
      cache.put(req, res.clone());
    }
    return res;
  })());
});
`

// gzippedMarker stands for the JSON array of the paths of the files with a
// gzipped copy in the service worker's template.
const gzippedMarker = "/*cnnplay:gzipped*/[]"

// serviceWorkerTemplate returns the service worker's template for a site
// whose files named in gzipped (relative to web/) have a .gz copy beside
// them; gzipped is empty for cmd/serve, which compresses by itself.
func serviceWorkerTemplate(prefix string, gzipped map[string]gzipEntry) string {
	paths := make([]string, 0, len(gzipped))
	for name := range gzipped {
		paths = append(paths, prefix+"/web/"+name)
	}
	slices.Sort(paths)
	list, err := json.Marshal(paths)
	if err != nil {
		panic(err) // strings always marshal
	}
	return strings.Replace(serviceWorker, gzippedMarker, string(list), 1)
}

// precacheAssets lists the /web/ assets the service worker stores when it
// installs, so that every view works offline after the first visit: the
// wasm programs and their loaders, the models, the SIMD kernel and the
// test set of the first dataset in the registry, MNIST (the data,
// projection and mistakes views need it). The training sets (10 MB for
// MNIST, 26 MB for Fashion-MNIST), the other test sets and the model
// converter are kept when first used instead.
//
// go-app puts the /web/ URLs under the prefix of a static export; the
// pages it does not list itself are put under it here.
func precacheAssets(assets fs.FS, versioned func(name string) string, prefix string) []string {
	var out []string
	testFiles := dataset.All()[0].Files[2:] // test images, test labels
	fs.WalkDir(assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		base := path.Base(name)
		switch {
		case path.Ext(name) == ".md", path.Ext(name) == ".br", path.Ext(name) == ".json" && strings.HasPrefix(name, "models/"):
			return nil
		case strings.HasPrefix(name, "data/") && !slices.Contains(testFiles, base):
			return nil
		case base == "robots.txt" || base == "sitemap.xml" || base == "ads.txt":
			return nil
		case name == "convert.wasm" || name == "convert.js":
			// The model converter (7 MB) is fetched, and then kept, only
			// when a model is first saved or read in another format.
			return nil
		}
		out = append(out, versioned(name))
		return nil
	})
	// The pages go-app does not list itself (it names the home page of a
	// prefix without the final slash, which static hosts redirect).
	out = append(out, prefix+ui.PathEmbed)
	if prefix != "" {
		out = append(out, prefix+"/")
	}
	slices.Sort(out)
	return out
}

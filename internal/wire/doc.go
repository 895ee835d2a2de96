// Package wire defines the typed messages between cnnplay's UI program
// (app.wasm, on the page's main thread) and its training worker (worker.wasm,
// in a Web Worker), and how they are encoded to cross postMessage.
//
// A Message is one Kind plus the payload that kind carries. On the way out
// it becomes two parts (see Encode):
//
//	head  a small JSON object, the Message without its weights
//	body  the weights, if any, as little-endian float32 bytes
//
// In JavaScript the pair travels as {head: string, body: Uint8Array} with the
// body's buffer transferred, not copied; package jswire does that on either
// side. Weights go as bytes because a JS Uint8Array is what
// js.CopyBytesToJS and js.CopyBytesToGo take, and because a float array in
// JSON would be ten times larger and slow to parse.
//
// The conversation, UI → worker and worker → UI:
//
//	worker: ready                     the program is up; send start
//	UI:     start{dataset, spec, …}   fetch the data and build a session
//	worker: data… started             download progress, then sizes and estimates
//	worker: status{running}           training until the epochs run out
//	worker: progress… epoch… snapshot…
//	UI:     pause / resume / step / stop / restoreBest / evaluate / reset
//	worker: snapshot, done{test}      at the end: best weights, test results
//	worker: error{message}            at any time; Diverged says training stopped
//
// A start may carry a set of one's own images (Start.Own: gzipped IDX in the
// head, base64, a few megabytes at most): the worker downloads nothing and
// splits it class by class. With Start.Transfer, the start's weights are a
// trained model's, whose convolutions the new network starts from.
//
// With several workers (Start.Config.Workers), the worker the UI talks to
// leads: it starts the others itself (nested Web Workers of the same
// program) and talks to each directly:
//
//	leader: join{start, index}        load the same training set, build replica index
//	leader: job{examples} + weights   every step, one per helper
//	helper: gradient{n, loss, right} + gradient
//	helper: error{message}            the join or a job failed
//
// The package is pure Go and platform-free so both programs, and native
// tests, share it.
package wire

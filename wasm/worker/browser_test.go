//go:build !js

package main

import (
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// scenarioJS drives the worker the way the UI does: start ConvNetJS's net on
// the MNIST extracts, pause after 30 batches, step twice, resume, and run to
// the end. It records what it sees in window.result.
const scenarioJS = `(() => {
	const w = new Worker('/web/worker.js');
	const send = (m) => w.postMessage({head: JSON.stringify(m)});
	const r = window.result = {kinds: {}, log: [], done: false};
	let pausedAt = 0, stepped = 0, lastProgressTime = 0;
	// Sent at once, before the worker is ready: worker.js must keep it.
	send({kind: 'start', start: {dataset: 'mnist', validation: 200,
		spec: {input: {H: 24, W: 24, C: 1}, layers: [
			{type: 'conv', filters: 8, size: 5, pad: 2}, {type: 'relu'}, {type: 'maxpool', size: 2},
			{type: 'conv', filters: 16, size: 5, pad: 2}, {type: 'relu'}, {type: 'maxpool', size: 3},
			{type: 'flatten'}, {type: 'dense', units: 10}, {type: 'softmax'}]},
		config: {optimizer: {kind: 'adadelta'}, batch: 20, epochs: 2, seed: 1}}});
	w.onmessage = (e) => {
		const h = JSON.parse(e.data.head);
		r.kinds[h.kind] = (r.kinds[h.kind] || 0) + 1;
		if (h.kind === 'snapshot') {
			r.snapshotBytes = e.data.body instanceof Uint8Array ? e.data.body.byteLength : -1;
			return;
		}
		r.log.push(h);
		if (h.kind === 'started') r.params = h.started.params;
		if (h.kind === 'progress' && h.progress.steps >= 30 && !pausedAt) {
			pausedAt = performance.now();
			r.seenBeforePause = h.progress.seen;
			send({kind: 'pause'});
		}
		if (h.kind === 'status' && h.status.state === 'paused') {
			if (!r.pauseMillis) {
				r.pauseMillis = performance.now() - pausedAt;
				r.seenAtPause = h.status.seen;
				send({kind: 'step'});
				send({kind: 'step'});
			} else if (++stepped === 2) {
				r.seenAfterSteps = h.status.seen;
				send({kind: 'resume'});
			}
		}
		if (h.kind === 'done' || h.kind === 'error') r.done = true;
	};
	w.onerror = (e) => { r.log.push({kind: 'onerror', message: String(e.message)}); r.done = true; };
})()`

// TestBrowserWorker builds worker.wasm, serves it with worker.js and the
// MNIST extracts, and runs a training conversation in headless Chromium's
// Web Worker: the start sent before the worker is ready is kept, pause takes
// effect within a chunk, step trains exactly one batch, and training
// finishes with test results.
func TestBrowserWorker(t *testing.T) {
	b := browsertest.Start(t)
	url := browsertest.ServeFiles(t, "worker test", map[string]string{
		"/web/worker.js":                       "../../web/worker.js",
		"/web/loader.js":                       "../../web/loader.js",
		"/web/worker.wasm":                     browsertest.Wasm(t, "wasm/worker"),
		"/web/wasm_exec.js":                    browsertest.WasmExecJS(t),
		"/web/data/train-images-idx3-ubyte.gz": "../../testdata/mnist/train-2000-images-idx3-ubyte.gz",
		"/web/data/train-labels-idx1-ubyte.gz": "../../testdata/mnist/train-2000-labels-idx1-ubyte.gz",
		"/web/data/t10k-images-idx3-ubyte.gz":  "../../testdata/mnist/t10k-500-images-idx3-ubyte.gz",
		"/web/data/t10k-labels-idx1-ubyte.gz":  "../../testdata/mnist/t10k-500-labels-idx1-ubyte.gz",
	})

	b.Navigate(t, url+"/")
	browsertest.Eval[any](t, b, scenarioJS+`, null`)
	b.WaitFor(t, `window.result.done`, 120*time.Second)
	type message struct {
		Kind     string
		Progress *struct{ Seen, Steps int }
		Error    *struct{ Message string }
		Done     *struct {
			Reason string
			Test   struct {
				N   int
				Acc float64
			}
		}
	}
	r := browsertest.Eval[struct {
		Kinds                                        map[string]int
		Log                                          []message
		Params                                       int
		SnapshotBytes                                int
		PauseMillis                                  float64
		SeenBeforePause, SeenAtPause, SeenAfterSteps int
	}](t, b, `window.result`)
	last := r.Log[len(r.Log)-1]
	if last.Kind == "status" {
		last = r.Log[len(r.Log)-2]
	}
	if last.Done == nil {
		t.Fatalf("the conversation ended with %+v (kinds %v)", last, r.Kinds)
	}
	t.Logf("kinds %v; pause took %.1f ms (seen %d at the pause request, %d when paused, %d after two steps); test accuracy %.3f",
		r.Kinds, r.PauseMillis, r.SeenBeforePause, r.SeenAtPause, r.SeenAfterSteps, last.Done.Test.Acc)
	if r.Kinds["ready"] != 1 || r.Kinds["started"] != 1 || r.Kinds["epoch"] != 2 || r.Kinds["data"] < 2 {
		t.Errorf("message kinds %v", r.Kinds)
	}
	if r.SnapshotBytes != 4*r.Params || r.Params == 0 {
		t.Errorf("snapshot body of %d bytes for %d parameters", r.SnapshotBytes, r.Params)
	}
	if r.PauseMillis > 500 || r.SeenAtPause-r.SeenBeforePause > 20*20 {
		t.Errorf("pause took %.0f ms and %d examples", r.PauseMillis, r.SeenAtPause-r.SeenBeforePause)
	}
	if r.SeenAfterSteps != r.SeenAtPause+40 {
		t.Errorf("two steps went from %d to %d examples seen, want +40", r.SeenAtPause, r.SeenAfterSteps)
	}
	if last.Done.Reason != "finished" || last.Done.Test.N != 500 || last.Done.Test.Acc < 0.8 {
		t.Errorf("done %+v", last.Done)
	}
}

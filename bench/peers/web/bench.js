// The peer benchmark's harness, shared by the Chromium page (index.html) and
// node (node.js): it builds one network with one library, times training
// steps, inference in batches of 100 and one-image inference with the same
// code for every library, and returns the numbers.
//
// The libraries are globals: tf (TensorFlow.js core with its cpu and wasm
// backends), convnetjs, and cnnplay (set by bench/peers/cnnwasm once the Go
// program runs). The environment object passed to run supplies the data and
// starts cnnplay.
(function (root) {
  'use strict';

  const now = () => performance.now();

  // The two networks, with the batch sizes of the demos they come from.
  const presets = {
    convnetjs: { h: 24, w: 24, batch: 20 },
    keras: { h: 28, w: 28, batch: 128 },
  };

  // measure times call() and returns the median milliseconds per call. It
  // warms up for a quarter of the budget, then times three runs of as many
  // calls as fit a third of the budget each. A call slower than twice the
  // budget is timed once, cold: repeating it would blow the time limit.
  function measure(call, budget) {
    let t = now();
    call();
    const first = now() - t;
    if (first >= 2 * budget) {
      return { ms: first, runs: 1, calls: 1, cold: true };
    }
    let calls = 0;
    let elapsed = 0;
    t = now();
    do {
      call();
      calls++;
      elapsed = now() - t;
    } while (elapsed < budget / 4);
    const est = elapsed / calls;
    const k = Math.max(1, Math.round(budget / 3 / est));
    const runs = est > budget / 2 ? 1 : 3;
    const ms = [];
    for (let r = 0; r < runs; r++) {
      t = now();
      for (let j = 0; j < k; j++) call();
      ms.push((now() - t) / k);
    }
    ms.sort((a, b) => a - b);
    return { ms: ms[Math.floor(ms.length / 2)], runs, calls: k, cold: false };
  }

  // Each peer returns {train(step), infer(start, n), info}: train runs one
  // training step on batch number step, infer a forward pass on examples
  // start..start+n; both wrap around the end of the data.

  // cnnplayPeer runs the engine as the playground's worker does: with the
  // SIMD128 GEMM kernel where the engine validates it, unless simd is false.
  async function cnnplayPeer(env, simd, p, data) {
    if (!root.cnnplay) {
      await env.startCnnplay(async (instance) => {
        const bytes = simd ? await env.simdKernel() : null;
        if (!bytes || !WebAssembly.validate(bytes)) return;
        const k = await WebAssembly.instantiate(bytes, { env: { mem: instance.exports.mem } });
        root.cnnplaySIMD = k.instance.exports; // the engine checks every export it needs
      });
    }
    const err = root.cnnplay.load(p.name, data.images, data.labels, data.n);
    if (err) throw new Error(err);
    return {
      train: (step) => root.cnnplay.train(step * p.batch, p.batch),
      infer: (start, n) => root.cnnplay.infer(start, n),
      info: (root.cnnplay.fma ? 'SIMD128 kernels with FMA' : root.cnnplay.simd ? 'SIMD128 kernels' : 'portable Go kernels') + ', 1 thread',
    };
  }

  function convnetjsPeer(p, data) {
    const cj = root.convnetjs;
    const defs = p.name === 'convnetjs' ? [
      { type: 'input', out_sx: 24, out_sy: 24, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 3, stride: 3 },
      { type: 'softmax', num_classes: 10 },
    ] : [
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 3, filters: 32, stride: 1, pad: 0, activation: 'relu' },
      { type: 'conv', sx: 3, filters: 64, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'dropout', drop_prob: 0.25 },
      { type: 'fc', num_neurons: 128, activation: 'relu' },
      { type: 'dropout', drop_prob: 0.5 },
      { type: 'softmax', num_classes: 10 },
    ];
    const net = new cj.Net();
    net.makeLayers(defs);
    const trainer = new cj.Trainer(net, {
      method: 'adadelta', batch_size: p.batch, l2_decay: 0, ro: 0.95, eps: 1e-6,
    });
    // The examples as ConvNetJS volumes, made once, outside the timing.
    const vols = [];
    for (let i = 0; i < data.n; i++) {
      const v = new cj.Vol(p.w, p.h, 1, 0.0);
      v.w.set(data.images.subarray(i * data.size, (i + 1) * data.size));
      vols.push(v);
    }
    return {
      train(step) {
        for (let j = 0; j < p.batch; j++) {
          const i = (step * p.batch + j) % data.n;
          trainer.train(vols[i], data.labels[i]);
        }
      },
      infer(start, n) {
        let first = 0;
        for (let j = 0; j < n; j++) {
          const out = net.forward(vols[(start + j) % data.n], false);
          if (j === 0) first = out.w[0];
        }
        return first;
      },
      info: 'plain JS, 1 thread',
    };
  }

  async function tfjsPeer(env, backend, p, data) {
    const tf = root.tf;
    // tfjs-core's bundles hold no gradients: the environment registers them
    // from its ES modules, as the tfjs union package does when bundled.
    await env.gradients();
    if (backend === 'wasm') env.wasmPaths(tf);
    if (!(await tf.setBackend(backend))) throw new Error('backend ' + backend + ' failed to start');
    await tf.ready();
    let info = '1 thread';
    if (backend === 'wasm') {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      const threads = tf.wasm.getThreadsCount();
      info = (simd ? 'SIMD' : 'no SIMD') + ', ' + threads + (threads === 1 ? ' thread' : ' threads') +
        (mt ? '' : ' (no multithread support here)');
    }
    let seed = 1;
    const he = (shape, fanIn) =>
      tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++));
    const zeros = (n) => tf.variable(tf.zeros([n]));
    let params;
    let model;
    if (p.name === 'convnetjs') {
      const w1 = he([5, 5, 1, 8], 25), b1 = zeros(8);
      const w2 = he([5, 5, 8, 16], 200), b2 = zeros(16);
      const w3 = he([256, 10], 256), b3 = zeros(10);
      params = [w1, b1, w2, b2, w3, b3];
      model = (x) => {
        let h = tf.relu(tf.add(tf.conv2d(x, w1, 1, 'same'), b1));
        h = tf.maxPool(h, 2, 2, 'valid');
        h = tf.relu(tf.add(tf.conv2d(h, w2, 1, 'same'), b2));
        h = tf.maxPool(h, 3, 3, 'valid');
        return tf.add(tf.matMul(tf.reshape(h, [-1, 256]), w3), b3);
      };
    } else {
      const w1 = he([3, 3, 1, 32], 9), b1 = zeros(32);
      const w2 = he([3, 3, 32, 64], 288), b2 = zeros(64);
      const w3 = he([9216, 128], 9216), b3 = zeros(128);
      const w4 = he([128, 10], 128), b4 = zeros(10);
      params = [w1, b1, w2, b2, w3, b3, w4, b4];
      model = (x, training) => {
        let h = tf.relu(tf.add(tf.conv2d(x, w1, 1, 'valid'), b1));
        h = tf.relu(tf.add(tf.conv2d(h, w2, 1, 'valid'), b2));
        h = tf.maxPool(h, 2, 2, 'valid');
        if (training) h = tf.dropout(h, 0.25);
        h = tf.relu(tf.add(tf.matMul(tf.reshape(h, [-1, 9216]), w3), b3));
        if (training) h = tf.dropout(h, 0.5);
        return tf.add(tf.matMul(h, w4), b4);
      };
    }
    const opt = tf.train.adadelta(1, 0.95, 1e-6);
    const examples = (start, n) => {
      const x = new Float32Array(n * data.size);
      const y = new Int32Array(n);
      for (let j = 0; j < n; j++) {
        const i = (start + j) % data.n;
        x.set(data.images.subarray(i * data.size, (i + 1) * data.size), j * data.size);
        y[j] = data.labels[i];
      }
      return [tf.tensor4d(x, [n, p.h, p.w, 1]), y];
    };
    return {
      train(step) {
        tf.tidy(() => {
          const [x, y] = examples(step * p.batch, p.batch);
          const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
          opt.minimize(() => tf.losses.softmaxCrossEntropy(onehot, model(x, true)), false, params);
        });
      },
      infer(start, n) {
        const out = tf.tidy(() => tf.softmax(model(examples(start, n)[0], false)));
        const first = out.dataSync()[0];
        out.dispose();
        return first;
      },
      info,
    };
  }

  async function makePeer(env, name, p, data) {
    switch (name) {
      case 'cnnplay': return cnnplayPeer(env, true, p, data);
      case 'cnnplay-portable': return cnnplayPeer(env, false, p, data);
      case 'convnetjs': return convnetjsPeer(p, data);
      case 'tfjs-cpu': return tfjsPeer(env, 'cpu', p, data);
      case 'tfjs-wasm': return tfjsPeer(env, 'wasm', p, data);
    }
    throw new Error('unknown peer ' + name);
  }

  // The tasks, in the order they run: training last, since it is the one a
  // slow library may not finish in time (the driver then stops it and keeps
  // what was reported).
  const taskOrder = ['infer100', 'latency', 'train'];

  // run benchmarks one peer on one preset: inference examples/s in batches
  // of 100, milliseconds for one image, and training examples/s at the
  // preset's batch size. A task that fails says why. Each piece is passed
  // to env.report(key, value) as soon as it is known (key "info", "error",
  // a task name, then "done"), and the whole is returned.
  async function run(env, cfg) {
    const p = Object.assign({ name: cfg.preset }, presets[cfg.preset]);
    const out = { peer: cfg.peer, preset: cfg.preset };
    const report = async (key, value) => {
      out[key] = value;
      env.report(key, value);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let it out
    };
    let peer;
    try {
      const data = await env.data(cfg.preset);
      peer = await makePeer(env, cfg.peer, p, data);
    } catch (e) {
      await report('error', String((e && e.message) || e));
      await report('done', true);
      return out;
    }
    await report('info', peer.info);
    const budget = cfg.budget || 3000;
    const tasks = {
      infer100() {
        let start = 0;
        const r = measure(() => { peer.infer(start, 100); start += 100; }, budget);
        r.value = 100000 / r.ms;
        return r;
      },
      latency() {
        let start = 0;
        const r = measure(() => peer.infer(start++, 1), budget);
        r.value = r.ms;
        return r;
      },
      train() {
        let step = 0;
        const r = measure(() => peer.train(step++), budget);
        r.value = (p.batch * 1000) / r.ms;
        return r;
      },
    };
    for (const task of taskOrder) {
      let r;
      try {
        r = tasks[task]();
      } catch (e) {
        r = { error: String((e && e.message) || e) };
      }
      await report(task, r);
    }
    await report('done', true);
    return out;
  }

  root.cnnBench = { run, presets, measure, taskOrder };
})(typeof globalThis !== 'undefined' ? globalThis : this);

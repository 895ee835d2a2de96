// Package nn is cnnplay's convolutional-network engine: pure Go and float32,
// so the same code trains natively, in the browser's Web Worker and in node.
// Only gemm_js.go, built for js/wasm, uses syscall/js: to bind the
// hand-written SIMD128 module (nn/simd) that the host installs, for the
// inner loops Go's compiler cannot vectorize; without it the Go loops run.
//
// A network is built from a declarative Spec (a JSON-friendly list of layers);
// Build validates every shape and says which layer does not fit and why.
//
// Invariants the whole package keeps:
//   - Tensors are flat []float32 slices. One example is laid out HWC (height,
//     width, channels, channels fastest, as in TensorFlow's NHWC); a batch of n
//     examples is n such blocks back to back. Dense vectors are 1x1xN.
//   - Convolution weights are HWIO ([kh][kw][in][out]) and dense weights are
//     [in][out], the layouts TensorFlow uses, so goldens compare directly.
//   - Kernels take the destination first, never modify their inputs, and panic
//     with a clear message on wrong sizes (a programmer error). User input (a
//     spec, hyperparameters, a model file) returns an error instead.
//   - Randomness comes from an explicit *rand.Rand; the same seed gives the
//     same model bit for bit.
//   - Each fast kernel sits beside a plain reference loop that tests compare it
//     with.
//   - Work that depends only on the weights (Winograd's filter transforms,
//     weights packed for the products) is done once per version of them: each
//     Param counts its changes, and the optimizer's Step, SetWeights and
//     WeightsChanged (or Param.Changed, after a write to W) move the count. A
//     network's results never depend on what it computed before: the same
//     weights give the same bits as a fresh network's.
package nn

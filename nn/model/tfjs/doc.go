// Package tfjs writes cnnplay models as TensorFlow.js layers models and
// reads TensorFlow.js layers models (also Keras models converted by
// tensorflowjs_converter) back into cnnplay models.
//
// A layers model is a model.json, holding the architecture in Keras' format
// (modelTopology) and a manifest of the weights (weightsManifest), and one
// or more binary weight shards beside it. The zip form the page saves and
// loads holds the same files.
//
// # What Encode writes
//
// The model takes [N,H,W,C] float32 pixels in [0,1] and returns the class
// probabilities [N,classes]. cnnplay's tensors are HWC and its kernels HWIO
// ([kh][kw][in][out]), dense weights [in][out], which is Keras' layout
// too, so every weight is copied as it is, and a Flatten reads its volume
// in the same order as cnnplay's (no permutation of the first dense layer).
// Layer by layer:
//
//	normalisation (x-mean)/std   Rescaling(scale 1/std, offset -mean/std), first
//	conv                         Conv2D, padding "same" where Keras' same padding
//	                             is exactly cnnplay's, else ZeroPadding2D then
//	                             Conv2D "valid" (Keras pads an even total
//	                             asymmetrically: more at the bottom and right)
//	maxpool, avgpool             MaxPooling2D, AveragePooling2D "valid"
//	dense                        Dense (after a Flatten if its input is a volume:
//	                             Keras' Dense acts on the last axis only)
//	relu, tanh, sigmoid, softmax Activation
//	leakyrelu                    LeakyReLU (alpha written out: Keras' default is 0.3)
//	dropout, flatten             Dropout, Flatten
//
// Layers are named as cnnplay names them (conv1, relu1, …), weights
// "<layer>/kernel" and "<layer>/bias". The class names and the training
// record (which names the dataset) go in userDefinedMetadata under
// "cnnplay": {"classes": [...], "record": {...}}.
//
// # What Decode reads
//
// Sequential models, and Functional ones ("Model", "Functional") whose
// layers form one chain, of the layers above plus InputLayer, ReLU (as
// relu or leaky ReLU), Softmax, and the activation field of Conv2D and
// Dense; padding "same" where it pads equally on both sides; data_format
// channels_last. Anything else is an error naming the layer's class, its
// name and its position in the topology. A model without cnnplay's
// metadata gets the class names "0", "1", …; a [N,n] input whose n is a
// square s·s is read as an s×s picture, flattened row by row as Keras'
// MNIST examples flatten it.
//
// Weights are float32, or quantized by tensorflowjs_converter's
// --quantize_uint8, --quantize_uint16 or --quantize_float16 (read as the
// float32 values they stand for).
//
// Decode checks every declared size against limits.go and against the
// architecture before it allocates in proportion to it, and reads no more
// of a shard than the manifest declares.
package tfjs

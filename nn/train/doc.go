// Package train runs cnnplay's training loop over a dataset: shuffled
// mini-batches, augmentation, a validation split kept apart from training,
// the best weights by validation accuracy, early stopping, divergence
// detection and evaluation with a confusion matrix.
//
// A Trainer advances one mini-batch per Step call, so the browser's worker can
// train in bounded chunks and report between them, and the command-line tool
// can simply loop. Everything random comes from the seed in Config: the same
// seed, data and worker count give the same model bit for bit.
package train

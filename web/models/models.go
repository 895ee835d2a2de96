// Package models embeds the pretrained model files the playground opens with,
// so the server and the command-line tool carry them without the rest of the
// web assets.
package models

import "embed"

// Files holds the pretrained models, named as the constants below.
//
//go:embed *.cnn
var Files embed.FS

// Digits is the shipped MNIST digits model; Fashion the Fashion-MNIST one.
const (
	Digits  = "digits.cnn"
	Fashion = "fashion.cnn"
)

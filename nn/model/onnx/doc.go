// Package onnx converts cnnplay models to and from ONNX, so a model trained
// in the playground runs in ONNX Runtime, PyTorch or anything else that reads
// ONNX, and a small ONNX classifier made elsewhere can be looked at in
// cnnplay's views.
//
// An exported model (Encode) takes float32 [N,C,H,W] of raw pixels in [0,1]
// (pixel/255), normalises them inside the graph as the network's spec says
// (Sub by the mean, Div by the std), and returns float32 [N,classes] of class
// probabilities. It uses opset 13 and IR version 7, and names the class
// names, the dataset and the training record in the model's metadata_props
// (keys MetaClasses, MetaDataset and MetaRecord). Weights are stored as
// raw little-endian float32, bit for bit the cnnplay values, rearranged from
// cnnplay's HWC layout into ONNX's NCHW one.
//
// Decode reads graphs made of the operators cnnplay's layers map to, as
// Encode writes them and as PyTorch's exporter and Keras through tf2onnx
// typically emit them (Conv, MaxPool, AveragePool, Gemm or MatMul+Add,
// Flatten or Reshape, Transpose around a Flatten, Relu, LeakyRelu, Tanh,
// Sigmoid, Dropout, Identity, Softmax). Anything else is an error naming
// the operator and its node index. Like package model's Decode, it checks
// every declared size against the limits (limits.go) before it allocates
// in proportion to it, so a small or corrupt file cannot cost much memory,
// and bad input is an error, never a panic.
//
// The protobuf types are generated from the official onnx.proto (package
// onnxpb); encoding and decoding go through google.golang.org/protobuf.
package onnx

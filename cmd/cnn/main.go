// Command cnn trains, evaluates and uses cnnplay networks natively, with the
// same engine the browser runs.
//
//	cnn train -preset keras -epochs 12 -o keras.cnn
//	cnn train -spec my-net.json -dataset fashion -epochs 5 -o fashion.cnn
//	cnn eval -model keras.cnn
//	cnn train -data shapes/ -o shapes.cnn        (a folder per class of PNG/JPEG)
//	cnn eval -model shapes.cnn -data more-shapes/
//	cnn predict photo-of-a-7.jpg drawing.png
//	cnn predict -json -model fashion.cnn shoe.png
//	cnn export -format onnx -o digits.onnx digits.cnn
//	cnn import -o mine.cnn mine.onnx
//	cnn export -format tfjs -o digits-tfjs.zip digits.cnn
//	cnn import -o keras.cnn tfjs_model/model.json
package main

import (
	"fmt"
	"os"
)

const usage = `usage: cnn <command> [flags]

commands:
  train    train a network on MNIST, Fashion-MNIST or a folder of one's own
           images (-data DIR: one folder of PNG/JPEG pictures per class)
  eval     print a model's test accuracy and confusion matrix
  predict  classify PNG or JPEG images with a model's classes
  export   write a model as ONNX or TensorFlow.js for other frameworks
  import   read an ONNX or TensorFlow.js/Keras model into a cnnplay model file

eval and predict read cnnplay (.cnn), ONNX (.onnx) and TensorFlow.js models
(a .zip of model.json and its weights, or model.json with them beside it).

Run 'cnn <command> -h' for the flags of a command.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "train":
		err = trainCmd(os.Args[2:])
	case "eval":
		err = evalCmd(os.Args[2:])
	case "predict":
		err = predictCmd(os.Args[2:], os.Stdout)
	case "export":
		err = exportCmd(os.Args[2:], os.Stdout)
	case "import":
		err = importCmd(os.Args[2:], os.Stdout)
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "cnn: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cnn:", printable(err.Error()))
		os.Exit(1)
	}
}

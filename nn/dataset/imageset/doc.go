// Package imageset reads, writes and prepares sets of one's own images in
// the ImageFolder layout: one folder per class, each holding PNG or JPEG
// files, the convention of torchvision's ImageFolder and Keras'
// image_dataset_from_directory, so that a set made in cnnplay opens in
// Python as it is and a set from elsewhere opens in cnnplay. It builds for
// the browser (GOOS=js) as well as natively: it reads bytes and fs.FS
// values and never touches the disk itself.
//
// The API in brief:
//
//	ReadZip(data []byte) (*Set, []Problem, error)   a zip of class folders
//	ReadFS(fsys fs.FS) (*Set, []Problem, error)     a folder of class folders
//	(*Set).WriteZip(w io.Writer) error              the zip ReadZip reads
//	(*Set).Prepare() (*Prepared, []Problem, error)  28×28 training images
//	Stratify(s *dataset.Set, f Fractions, rng *rand.Rand) (*Split, error)
//	CheckClassName(name string) error               a name a folder can carry
//	Frame(f dataset.Framing) func(gray, w, h)        preprocess.Digit or Item
//	Picture(data []byte, frame) ([]float32, error)  one picture, framed
//	EncodeIDX(s *dataset.Set) (images, labels []byte, error)  for the worker
//	DefaultsFor(n int) Defaults                     training settings by size
//	(*Set).Entry(train, test *dataset.Set) dataset.Entry  an in-memory entry
//
// A Set holds the encoded files as they came (so an export gives back the
// same bytes for each PNG), each Example with its class, its file name
// inside the class folder and, for a drawing, its strokes (points and
// times), which the zip keeps beside the picture as
// class/name.strokes.json. The classes are sorted as ImageFolder sorts
// them (by code point), so label i means the same class in Python and
// here. A zip may hold its class folders at the top or inside one single
// top folder; a file cnnplay.json at the top keeps the set's name and
// framing, which ImageFolder ignores (it looks only at folders).
//
// Bad input never stops a read: each unreadable file, non-image, nested
// zip, file that inflates beyond its bound, giant picture, duplicate or
// empty class name and empty class gives a Problem naming the file, and
// the rest goes ahead. Only input that cannot be a set at all (not a zip,
// more than MaxBytes, more entries than a set can have) is an error.
// Limits: MaxImages images and MaxBytes of inflated bytes per set,
// MaxFileBytes per file, and a picture's pixels as preprocess.CheckSize
// allows. The zip reader trusts no header: it counts the bytes it
// inflates, and it counts the central directory's records itself before
// archive/zip allocates anything for them.
//
// Prepare turns every picture into the 28×28 image a network sees, through
// the same nn/preprocess steps the page applies to a drawing or a picture
// (Gray, then Digit or Item as the set's framing says), so a model trained
// on a set sees its images as it will see the user's drawings. A picture
// under 28 pixels a side is first enlarged by repeating its pixels:
// preprocess needs more pixels than an 8×8 scan has to find the ink.
package imageset

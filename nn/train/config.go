package train

import (
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Config is everything a training run needs besides the network and data.
type Config struct {
	Optimizer nn.OptimizerSpec `json:"optimizer"`
	BatchSize int              `json:"batch"`
	Epochs    int              `json:"epochs"`
	Seed      uint64           `json:"seed"`
	Augment   dataset.Augment  `json:"augment"`
	// LRDecay multiplies the learning rate by this factor after every epoch
	// (0 or 1: constant).
	LRDecay float64 `json:"lrDecay,omitempty"`
	// Patience stops training after this many epochs without a better
	// validation accuracy; 0 never stops early.
	Patience int `json:"patience,omitempty"`
	// Workers splits each batch over this many goroutines, each with its own
	// copy of the network; gradients are combined before every update, so the
	// result equals one worker's up to float rounding. 0 means 1.
	Workers int `json:"workers,omitempty"`
}

// Validate checks the settings a user can type, with messages that say what
// range is allowed.
func (c Config) Validate() error {
	switch {
	case c.BatchSize < 1 || c.BatchSize > 4096:
		return fmt.Errorf("batch size must be between 1 and 4096, got %d", c.BatchSize)
	case c.Epochs < 1 || c.Epochs > 1000:
		return fmt.Errorf("epochs must be between 1 and 1000, got %d", c.Epochs)
	case bad(c.LRDecay, 0, 1):
		return fmt.Errorf("learning-rate decay must be between 0 and 1, got %v", c.LRDecay)
	case c.Patience < 0:
		return fmt.Errorf("patience must not be negative, got %d", c.Patience)
	case c.Workers < 0 || c.Workers > 64:
		return fmt.Errorf("workers must be between 1 and 64, got %d", c.Workers)
	case bad(c.Augment.MaxShift, 0, 14):
		return fmt.Errorf("augmentation shift must be between 0 and 14 pixels, got %v", c.Augment.MaxShift)
	case bad(c.Augment.MaxRotate, 0, 180):
		return fmt.Errorf("augmentation rotation must be between 0 and 180 degrees, got %v", c.Augment.MaxRotate)
	case bad(c.Augment.MaxScale, 0, 0.9):
		return fmt.Errorf("augmentation scale must be between 0 and 0.9, got %v", c.Augment.MaxScale)
	}
	return nil
}

func bad(v, lo, hi float64) bool { return math.IsNaN(v) || v < lo || v > hi }

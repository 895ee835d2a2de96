package preprocess

import (
	"reflect"
	"testing"
)

// TestFor checks that For frames a picture as the named dataset's registry
// entry says, and as a digit when the name is not in the registry.
func TestFor(t *testing.T) {
	item, digit := reflect.ValueOf(Item).Pointer(), reflect.ValueOf(Digit).Pointer()
	for name, want := range map[string]uintptr{"fashion": item, "mnist": digit, "": digit, "cifar": digit} {
		if got := reflect.ValueOf(For(name)).Pointer(); got != want {
			t.Errorf("For(%q) is not %s", name, map[uintptr]string{item: "Item", digit: "Digit"}[want])
		}
	}
}

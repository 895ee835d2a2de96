package app

import "testing"

func TestWorkerCount(t *testing.T) {
	for cores, want := range map[int]int{0: 1, 1: 1, 2: 2, 4: 4, 16: 4} {
		if got := defaultWorkers(cores); got != want {
			t.Errorf("defaultWorkers(%d) = %d, want %d", cores, got, want)
		}
	}
	for text, want := range map[string]int{"1": 1, " 2 ": 2, "16": 16, "0": 0, "17": 0, "two": 0, "": 0} {
		got, msg := parseWorkers(text)
		if got != want || (want == 0) != (msg != "") {
			t.Errorf("parseWorkers(%q) = %d, %q; want %d", text, got, msg, want)
		}
	}
}

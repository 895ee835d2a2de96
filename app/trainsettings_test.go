package app

import "testing"

func TestWorkerCount(t *testing.T) {
	for cores, want := range map[int]int{0: 1, 1: 1, 2: 2, 4: 4, 16: 4} {
		if got := defaultWorkers(cores); got != want {
			t.Errorf("defaultWorkers(%d) = %d, want %d", cores, got, want)
		}
	}
	for text, want := range map[string]int{"1": 1, " 2 ": 2, "16": 16, "auto": 0, "Auto": 0, "0": -1, "17": -1, "two": -1, "": -1} {
		got, msg := parseWorkers(text)
		if (want < 0) != (msg != "") || (want >= 0 && got != want) {
			t.Errorf("parseWorkers(%q) = %d, %q; want %d", text, got, msg, want)
		}
	}
}

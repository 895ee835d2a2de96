package app

import (
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// TestTrainInbox: messages are applied together at most every uiInterval;
// a session's first progress at once.
func TestTrainInbox(t *testing.T) {
	var in trainInbox
	t0 := time.Unix(1000, 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	msg := func(k wire.Kind) wire.Message { return wire.Message{Kind: k} }
	type push struct {
		kind     wire.Kind
		at       int // ms after t0
		schedule bool
		wait     int // ms
	}
	for i, step := range []struct {
		pushes []push
		take   int // ms after t0; the pushes' messages come out, in order
	}{
		{[]push{{wire.KindReady, 0, true, 0}, {wire.KindData, 5, false, 0}}, 10}, // never flushed: at once, then queued
		{[]push{{wire.KindStarted, 100, true, 160}, {wire.KindStatus, 101, false, 0}}, 260},
		{[]push{{wire.KindProgress, 300, true, 0}}, 301}, // the first progress: at once
		{[]push{{wire.KindProgress, 400, true, 151}, {wire.KindEpoch, 410, false, 0}}, 551},
		{[]push{{wire.KindSnapshot, 900, true, 0}}, 900}, // long after the last flush
		{[]push{{wire.KindStarted, 1000, true, 150}}, 1150},
		{[]push{{wire.KindProgress, 1160, true, 0}}, 1161}, // the new session's first progress: at once
		{[]push{{wire.KindProgress, 1200, true, 211}}, 1411},
		{[]push{{wire.KindSnapshot, 1500, true, 161}, {wire.KindProgress, 1501, false, 0}}, 1661}, // a flush is scheduled already
	} {
		var kinds []wire.Kind
		for _, p := range step.pushes {
			kinds = append(kinds, p.kind)
			schedule, wait := in.push(msg(p.kind), ms(p.at))
			if schedule != p.schedule || wait != time.Duration(p.wait)*time.Millisecond {
				t.Errorf("step %d: %s at %d ms: schedule %v after %v, want %v after %d ms", i, p.kind, p.at, schedule, wait, p.schedule, p.wait)
			}
		}
		got := in.take(ms(step.take))
		if len(got) != len(kinds) {
			t.Fatalf("step %d: took %d messages, want %d", i, len(got), len(kinds))
		}
		for j := range got {
			if got[j].Kind != kinds[j] {
				t.Errorf("step %d: message %d is %s, want %s", i, j, got[j].Kind, kinds[j])
			}
		}
	}
}

package browserstore_test

import (
	"errors"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/internal/browserstore/storetest"
)

func TestMemory(t *testing.T) {
	for _, f := range storetest.Check(browserstore.NewMemory()) {
		t.Error(f)
	}
}

func TestMemoryQuota(t *testing.T) {
	m := browserstore.NewMemory()
	m.SetQuota(1000)
	for _, f := range storetest.CheckQuota(m, 2000) {
		t.Error(f)
	}
	if m.Used() != 0 {
		t.Errorf("Used() = %d after deleting everything", m.Used())
	}
}

// TestMemoryQuotaAccounting checks the byte count a quota is held to:
// overwrites replace the old value's bytes, deletes free them, and a store
// above a lowered quota may still shrink but not grow.
func TestMemoryQuotaAccounting(t *testing.T) {
	m := browserstore.NewMemory()
	steps := []struct {
		name    string
		quota   int
		changes []browserstore.Change
		quotaOK bool // the write must not fail with ErrQuota
		used    int
	}{
		{"fill", 20, []browserstore.Change{{Key: "k", Value: make([]byte, 9)}}, true, 10},
		{"overwrite in place", 20, []browserstore.Change{{Key: "k", Value: make([]byte, 19)}}, true, 20},
		{"one byte too many", 20, []browserstore.Change{{Key: "j", Value: nil}}, false, 20},
		{"swap within a write", 20, []browserstore.Change{{Key: "k", Delete: true}, {Key: "j", Value: make([]byte, 19)}}, true, 20},
		{"lowered quota: shrinking is allowed", 5, []browserstore.Change{{Key: "j", Value: make([]byte, 9)}}, true, 10},
		{"lowered quota: growing is not", 5, []browserstore.Change{{Key: "j", Value: make([]byte, 10)}}, false, 10},
		{"delete frees", 5, []browserstore.Change{{Key: "j", Delete: true}}, true, 0},
	}
	for _, s := range steps {
		m.SetQuota(s.quota)
		err := m.Write(s.changes...)
		if s.quotaOK && err != nil || !s.quotaOK && !errors.Is(err, browserstore.ErrQuota) {
			t.Errorf("%s: err = %v", s.name, err)
		}
		if m.Used() != s.used {
			t.Errorf("%s: Used() = %d; want %d", s.name, m.Used(), s.used)
		}
	}
}

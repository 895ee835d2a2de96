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

// TestMemoryQuotaAccounting checks the byte count a quota is held to: a
// write's new values must fit in the space left before it (overwritten
// values are freed after it), deletes free space, and deleting is allowed
// above the quota.
func TestMemoryQuotaAccounting(t *testing.T) {
	m := browserstore.NewMemory()
	steps := []struct {
		name    string
		quota   int
		changes []browserstore.Change
		quotaOK bool // the write must not fail with ErrQuota
		used    int
	}{
		{"fill", 30, []browserstore.Change{{Key: "k", Value: make([]byte, 9)}}, true, 10},
		{"room for the new value", 30, []browserstore.Change{{Key: "k", Value: make([]byte, 19)}}, true, 20},
		{"no room for the new value", 30, []browserstore.Change{{Key: "k", Value: make([]byte, 10)}}, false, 20},
		{"swap within a write", 30, []browserstore.Change{{Key: "k", Delete: true}, {Key: "j", Value: make([]byte, 9)}}, true, 10},
		{"lowered quota: no room", 5, []browserstore.Change{{Key: "i"}}, false, 10},
		{"lowered quota: deleting is allowed", 5, []browserstore.Change{{Key: "j", Delete: true}}, true, 0},
		{"a write larger than the quota", 5, []browserstore.Change{{Key: "j", Value: make([]byte, 9)}}, false, 0},
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

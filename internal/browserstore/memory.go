package browserstore

import (
	"fmt"
	"slices"
	"sync"
)

// Memory is a Store in a map, safe for concurrent use. It counts the bytes
// of keys and values against a quota, so tests can fill it up as a browser
// fills up.
type Memory struct {
	mu    sync.Mutex
	data  map[string][]byte
	used  int // bytes of all keys and values
	quota int // 0: no limit
}

// NewMemory returns an empty store without a quota.
func NewMemory() *Memory {
	return &Memory{data: map[string][]byte{}}
}

// SetQuota limits the bytes of all keys and values to n (0 removes the
// limit). A Write whose new values do not fit fails with ErrQuota; what is
// already stored stays, even if it is more than n.
func (m *Memory) SetQuota(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.quota = n
}

// Used returns the bytes of all keys and values stored.
func (m *Memory) Used() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used
}

// Get implements Store.
func (m *Memory) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.data[key]
	if !ok {
		return nil, fmt.Errorf("browserstore: %q: %w", key, ErrNotFound)
	}
	return slices.Clone(v), nil
}

// Keys implements Store.
func (m *Memory) Keys() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]string, 0, len(m.data))
	for k := range m.data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}

// Write implements Store. As in a browser, the new values of a write must
// fit in the space left before it, checked for the write as a whole: the
// old values they replace count as freed only after it. A write that only
// deletes is never refused.
func (m *Memory) Write(changes ...Change) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	final := map[string]Change{} // the last change of each key
	for _, c := range changes {
		final[c.Key] = c
	}
	need, used := 0, m.used
	for k, c := range final {
		if old, ok := m.data[k]; ok {
			used -= len(k) + len(old)
		}
		if !c.Delete {
			need += len(k) + len(c.Value)
		}
	}
	if m.quota > 0 && need > 0 && m.used+need > m.quota {
		return fmt.Errorf("browserstore: the change needs %d bytes, %d of the quota of %d are left: %w", need, max(0, m.quota-m.used), m.quota, ErrQuota)
	}
	for k, c := range final {
		if c.Delete {
			delete(m.data, k)
		} else {
			m.data[k] = slices.Clone(c.Value)
			if m.data[k] == nil {
				m.data[k] = []byte{}
			}
		}
	}
	m.used = used + need
	return nil
}

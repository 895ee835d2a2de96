package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// Environment variables of the scaling measurement in TestBrowserWorkers.
const (
	// envScalingReps is how many times each worker count is measured per
	// preset, interleaved (default 1).
	envScalingReps = "CNNPLAY_SCALING_REPS"
	// envScalingSeconds is the length of one measurement (default 12).
	envScalingSeconds = "CNNPLAY_SCALING_SECONDS"
)

// selectJS picks an option of a select as a user would.
func selectJS(id, value string) string {
	return `(() => {
		const s = document.getElementById(` + strconv.Quote(id) + `); s.value = ` + strconv.Quote(value) + `;
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`
}

// TestBrowserWorkers trains with two Web Workers from the page's controls:
// the worker count is shown, training progresses, validation accuracy is
// sane. Then it measures examples/s with one and two workers on the keras
// and convnetjs presets, interleaved, by the page's clock and by the CPU
// time of the browser's processes, and logs them (speed is logged, not
// asserted: the machine is shared).
func TestBrowserWorkers(t *testing.T) {
	b, url := startBrowser(t)
	loadPage(t, b, url+"/")

	// The field offers a count; the label names the cores.
	label := browsertest.Eval[string](t, b, `document.querySelector("label[for=train-workers]").textContent`)
	def := browsertest.Eval[string](t, b, `document.getElementById("train-workers").value`)
	cores := browsertest.Eval[int](t, b, `navigator.hardwareConcurrency`)
	t.Logf("workers field: %q, default %s, navigator.hardwareConcurrency %d", label, def, cores)
	if want := strconv.Itoa(min(max(cores, 1), 4)); def != want {
		t.Errorf("default worker count %s, want %s (the cores, at most 4)", def, want)
	}
	browsertest.Eval[bool](t, b, setFieldJS("train-workers", "0"))
	b.WaitFor(t, `document.getElementById("train-workers-error")`, 5*time.Second)

	// ConvNetJS's net on 6000 images, 1000 held out, on two workers.
	for id, v := range map[string]string{"train-limit": "6000", "train-validation": "1000", "train-epochs": "20", "train-workers": "2"} {
		browsertest.Eval[bool](t, b, setFieldJS(id, v))
	}
	b.Click(t, "#train-start")
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.steps) > 0`, 60*time.Second)
	if n := browsertest.Eval[string](t, b, `document.getElementById("train-panel").dataset.workers`); n != "2" {
		t.Errorf("the panel says it trains on %s workers, want 2", n)
	}
	label = browsertest.Eval[string](t, b, `document.querySelector("label[for=train-workers]").textContent`)
	if !strings.Contains(label, "training on 2") {
		t.Errorf("the workers label %q does not show the 2 workers training", label)
	}
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.bestVal) >= 0.9`, 180*time.Second)
	t.Logf("two workers: validation accuracy %s after %s examples; %s examples/s; label %q",
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.bestVal`),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.seen`),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.eps`), label)
	b.Screenshot(t, "train-workers")
	b.Click(t, "#train-pause")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 30*time.Second)

	reps, secs := envInt(envScalingReps, 1), envInt(envScalingSeconds, 12)
	pid := chromedp.FromContext(b.Ctx).Browser.Process().Pid
	for _, c := range []struct {
		preset, batch string
	}{{"keras", "128"}, {"convnetjs", "20"}} {
		browsertest.Eval[bool](t, b, selectJS("train-preset", c.preset))
		time.Sleep(200 * time.Millisecond)
		for id, v := range map[string]string{"train-batch": c.batch, "train-limit": "3000", "train-validation": "500", "train-epochs": "100"} {
			browsertest.Eval[bool](t, b, setFieldJS(id, v))
		}
		var rates, cpu [3][]float64
		var log []string
		for r := 0; r < reps; r++ {
			for _, n := range []int{1, 2} {
				m := measureWorkers(t, b, pid, n, time.Duration(secs)*time.Second)
				rates[n] = append(rates[n], m.rate)
				cpu[n] = append(cpu[n], m.perCPU)
				log = append(log, fmt.Sprintf("%d worker(s): %.1f examples/s, %.1f examples per CPU-second (%.2f cores busy), load %s",
					n, m.rate, m.perCPU, m.cores, m.load))
			}
		}
		r1, r2 := median(rates[1]), median(rates[2])
		t.Logf("%s preset, batch %s, %d×%d s interleaved:\n%s\nmedian: 1 worker %.1f examples/s, 2 workers %.1f examples/s: %.2fx (per CPU-second %.1f and %.1f)",
			c.preset, c.batch, reps, secs, strings.Join(log, "\n"), r1, r2, r2/r1, median(cpu[1]), median(cpu[2]))
	}
	b.AssertNoErrors(t)
}

type workerRate struct {
	rate   float64 // examples/s by the page's clock
	perCPU float64 // examples per CPU-second of the browser's processes
	cores  float64 // CPU-seconds per second
	load   string  // the load average at the end
}

// measureWorkers starts the current settings on n workers, waits for two
// steps (the helpers loaded), then counts the examples trained in window,
// and pauses.
func measureWorkers(t *testing.T, b *browsertest.Browser, pid, n int, window time.Duration) workerRate {
	t.Helper()
	browsertest.Eval[bool](t, b, setFieldJS("train-workers", strconv.Itoa(n)))
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.workers === "`+strconv.Itoa(n)+`" &&
		Number(document.getElementById("train-progress").dataset.steps) >= 2`, 120*time.Second)
	seen := func() (int, float64) {
		r := browsertest.Eval[[]float64](t, b, `[Number(document.getElementById("train-progress").dataset.seen), performance.now()]`)
		return int(r[0]), r[1]
	}
	s0, t0 := seen()
	c0 := cpuSeconds(t, pid)
	time.Sleep(window)
	s1, t1 := seen()
	c1 := cpuSeconds(t, pid)
	b.Click(t, "#train-pause")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 60*time.Second)
	load, _ := os.ReadFile("/proc/loadavg")
	secs := (t1 - t0) / 1000
	m := workerRate{rate: float64(s1-s0) / secs, cores: (c1 - c0) / secs, load: strings.Join(strings.Fields(string(load))[:3], " ")}
	if c1 > c0 {
		m.perCPU = float64(s1-s0) / (c1 - c0)
	}
	return m
}

// cpuSeconds is the CPU time (user and system) of process pid and all its
// descendants, from /proc (0 where there is no /proc).
func cpuSeconds(t *testing.T, pid int) float64 {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	ticks := map[int]float64{}
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		p, _ := strconv.Atoi(strings.Fields(s[:strings.IndexByte(s, ' ')])[0])
		fields := strings.Fields(s[i+2:]) // from the state, field 3
		if len(fields) < 13 {
			continue
		}
		parent[p], _ = strconv.Atoi(fields[1])
		u, _ := strconv.ParseFloat(fields[11], 64)
		sy, _ := strconv.ParseFloat(fields[12], 64)
		ticks[p] = u + sy
	}
	total := 0.0
	for p, tk := range ticks {
		for q := p; q > 1; q = parent[q] {
			if q == pid {
				total += tk
				break
			}
		}
	}
	return total / 100 // USER_HZ
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

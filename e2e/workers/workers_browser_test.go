//go:build !js

package workers_test

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gonum.org/v1/gonum/stat"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// Environment variables of the scaling measurement in TestBrowserWorkers.
const (
	// envScalingReps is how many times each worker count is measured per
	// preset, interleaved (default 1).
	envScalingReps = "CNNPLAY_SCALING_REPS"
	// envScalingSeconds is the length of one measurement (default 12).
	envScalingSeconds = "CNNPLAY_SCALING_SECONDS"
	// envScalingPresets lists the presets measured, comma-separated
	// (default keras,convnetjs).
	envScalingPresets = "CNNPLAY_SCALING_PRESETS"
	// envScalingNice, if set (e.g. -10, as root), is the nice value of the
	// test's scheduling autogroup (/proc/self/autogroup; the browser is in
	// it) while measuring, so that on a machine shared with other sessions'
	// work the browser gets the cores it asks for: with autogroups, a
	// thread's own nice value counts only within its group.
	envScalingNice = "CNNPLAY_SCALING_NICE"
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
// asserted: the machine is shared). Beside them it measures two pages
// training on one worker each: what two workers that never wait for each
// other get from the machine, the ceiling of the two-worker figure.
func TestBrowserWorkers(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")

	// The field offers a count; the label names the cores.
	label := browsertest.Eval[string](t, b, `document.querySelector("label[for=train-workers]").textContent`)
	def := browsertest.Eval[string](t, b, `document.getElementById("train-workers").value`)
	cores := browsertest.Eval[int](t, b, `navigator.hardwareConcurrency`)
	t.Logf("workers field: %q, default %s, navigator.hardwareConcurrency %d", label, def, cores)
	if def != "auto" {
		t.Errorf("default worker count %q, want auto", def)
	}
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("train-workers", "0"))
	b.WaitFor(t, `document.getElementById("train-workers-error")`, 5*time.Second)

	// ConvNetJS's net on 6000 images, 1000 held out, on two workers.
	for id, v := range map[string]string{"train-limit": "6000", "train-validation": "1000", "train-epochs": "20", "train-workers": "2"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	// The message goes, and the layout settles before the click.
	b.WaitFor(t, `!document.getElementById("train-workers-error")`, 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	b.Click(t, "#train-start")
	waitSteps(t, b, 1, 60*time.Second)
	if n := browsertest.Eval[string](t, b, `document.getElementById("train-panel").dataset.workers`); n != "2" {
		t.Errorf("the panel says it trains on %s workers, want 2", n)
	}
	label = browsertest.Eval[string](t, b, `document.querySelector("label[for=train-workers]").textContent`)
	if !strings.Contains(label, "; training on 2") {
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

	// Auto: ConvNetJS's small batches train on one worker (two would be
	// slower), Keras's big ones on up to the cores, at most 4.
	for _, c := range []struct {
		preset, batch string
		want          int
	}{{"convnetjs", "20", 1}, {"keras", "128", min(max(cores, 1), 4)}} {
		browsertest.Eval[bool](t, b, selectJS("train-preset", c.preset))
		time.Sleep(200 * time.Millisecond)
		for id, v := range map[string]string{"train-batch": c.batch, "train-workers": "auto", "train-limit": "3000", "train-validation": "0"} {
			browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
		}
		time.Sleep(300 * time.Millisecond)
		b.Click(t, "#train-start")
		b.WaitFor(t, `document.getElementById("train-panel").dataset.state !== "paused"`, 10*time.Second)
		waitSteps(t, b, 1, 120*time.Second)
		if got := browsertest.Eval[int](t, b, `Number(document.getElementById("train-panel").dataset.workers)`); got != c.want {
			t.Errorf("auto workers for %s, batch %s: training on %d, want %d", c.preset, c.batch, got, c.want)
		}
		b.Click(t, "#train-pause")
		b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 60*time.Second)
	}

	reps, secs := envInt(envScalingReps, 1), envInt(envScalingSeconds, 12)
	if v := os.Getenv(envScalingNice); v != "" {
		setAutogroupNice(t, v)
	}
	pid := chromedp.FromContext(b.Ctx).Browser.Process().Pid
	presets := "keras,convnetjs"
	if v := os.Getenv(envScalingPresets); v != "" {
		presets = v
	}
	// A second page trains on one worker beside the first one's: two
	// trainings that never wait for each other, the most two workers can
	// get from this machine's cores.
	b2 := b.NewTab(t)
	browsertest.LoadPage(t, b2, url+"/")
	pair := []*browsertest.Browser{b, b2}
	batches := map[string]string{"keras": "128", "convnetjs": "20", "lenet5": "64", "mlp": "128"}
	for _, preset := range strings.Split(presets, ",") {
		if batches[preset] == "" {
			continue
		}
		c := struct{ preset, batch string }{preset, batches[preset]}
		for _, tab := range pair {
			browsertest.Eval[bool](t, tab, selectJS("train-preset", c.preset))
			time.Sleep(200 * time.Millisecond)
			// No validation: the leader validates alone, which would
			// measure that rather than the parallel steps.
			for id, v := range map[string]string{"train-batch": c.batch, "train-limit": "6000", "train-validation": "0", "train-epochs": "100"} {
				browsertest.Eval[bool](t, tab, browsertest.SetFieldJS(id, v))
			}
		}
		runs := []struct {
			name string
			tabs []*browsertest.Browser
			n    int
		}{{"1 worker", pair[:1], 1}, {"2 workers", pair[:1], 2}, {"2 pages × 1 worker", pair, 1}}
		var rates, cpu [3][]float64
		var log []string
		for r := 0; r < reps; r++ {
			for i, run := range runs {
				m := measureWorkers(t, run.tabs, pid, run.n, time.Duration(secs)*time.Second)
				rates[i] = append(rates[i], m.rate)
				cpu[i] = append(cpu[i], m.perCPU)
				log = append(log, fmt.Sprintf("%s: %.1f examples/s, %.1f examples per CPU-second (%.2f cores busy: %s), load %s",
					run.name, m.rate, m.perCPU, m.cores, strings.Join(m.threads, ", "), m.load))
			}
		}
		r1, r2, rp := median(rates[0]), median(rates[1]), median(rates[2])
		// Each repetition measures 1 and 2 workers a few seconds apart, so
		// their ratio is free of the machine's slower drifts (a shared
		// machine's speed wanders by a fifth within minutes): the
		// geometric mean of those ratios is the steadier figure.
		pairs := make([]float64, reps)
		for r := range pairs {
			pairs[r] = rates[1][r] / rates[0][r]
		}
		t.Logf("%s preset, batch %s, %d×%d s interleaved:\n%s\nmedian: 1 worker %.1f examples/s, 2 workers %.1f examples/s: %.2fx (per CPU-second %.1f and %.1f); 2 pages × 1 worker %.1f examples/s together: %.2fx\n"+
			"2 workers over 1, geometric mean of the %d interleaved pairs: %.2fx (from %.2fx to %.2fx)",
			c.preset, c.batch, reps, secs, strings.Join(log, "\n"), r1, r2, r2/r1, median(cpu[0]), median(cpu[1]), rp, rp/r1,
			reps, stat.GeometricMean(pairs, nil), slices.Min(pairs), slices.Max(pairs))
	}
	if os.Getenv("CNNPLAY_DEBUG_CONSOLE") != "" {
		for _, m := range b.Console() {
			t.Logf("console: %v", m)
		}
	}
	b.AssertNoErrors(t)
}

// waitSteps waits until the session has trained n steps, or fails with the
// panel's error.
func waitSteps(t *testing.T, b *browsertest.Browser, n int, timeout time.Duration) {
	t.Helper()
	cond := `Number(document.getElementById("train-progress").dataset.steps) >= ` + strconv.Itoa(n) + ` ||
		document.getElementById("train-error")`
	deadline := time.Now().Add(timeout)
	for !browsertest.Eval[bool](t, b, `!!(`+cond+`)`) {
		if time.Now().After(deadline) {
			for _, m := range b.Console() {
				t.Logf("console: %v", m)
			}
			t.Fatalf("no %d steps after %v: status %q", n, timeout,
				browsertest.Eval[string](t, b, `document.getElementById("train-status").textContent`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if msg := browsertest.Eval[string](t, b, `(document.getElementById("train-error") || {}).textContent || ""`); msg != "" {
		t.Fatalf("training failed: %s", msg)
	}
}

type workerRate struct {
	rate   float64 // examples/s by the page's clock
	perCPU float64 // examples per CPU-second of the browser's processes
	cores  float64 // CPU-seconds per second
	load   string  // the load average at the end
	// threads lists the busiest threads of the browser and their share of
	// a core.
	threads []string
}

// measureWorkers starts the current settings on n workers in each tab,
// waits for two steps in each (the helpers loaded), then counts the
// examples trained in window in all of them together, and pauses them.
func measureWorkers(t *testing.T, tabs []*browsertest.Browser, pid, n int, window time.Duration) workerRate {
	t.Helper()
	for _, b := range tabs {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS("train-workers", strconv.Itoa(n)))
		time.Sleep(300 * time.Millisecond)
		b.Click(t, "#train-start")
		b.WaitFor(t, `document.getElementById("train-panel").dataset.state !== "paused"`, 10*time.Second)
	}
	for _, b := range tabs {
		waitSteps(t, b, 2, 120*time.Second)
		if got := browsertest.Eval[string](t, b, `document.getElementById("train-panel").dataset.workers`); got != strconv.Itoa(n) {
			t.Fatalf("training on %s workers, want %d", got, n)
		}
	}
	// Each page's count by its own clock: examples seen and performance.now().
	seen := func() (s, ms []float64) {
		for _, b := range tabs {
			r := browsertest.Eval[[]float64](t, b, `[Number(document.getElementById("train-progress").dataset.seen), performance.now()]`)
			s, ms = append(s, r[0]), append(ms, r[1])
		}
		return s, ms
	}
	s0, t0 := seen()
	c0 := sampleCPU(pid)
	time.Sleep(window)
	s1, t1 := seen()
	c1 := sampleCPU(pid)
	for _, b := range tabs {
		b.Click(t, "#train-pause")
		b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 60*time.Second)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	var examples float64
	m := workerRate{load: strings.Join(strings.Fields(string(load))[:3], " ")}
	for i := range tabs {
		examples += s1[i] - s0[i]
		m.rate += (s1[i] - s0[i]) / ((t1[i] - t0[i]) / 1000)
	}
	secs := (t1[0] - t0[0]) / 1000
	m.cores = (c1.total - c0.total) / secs
	if c1.total > c0.total {
		m.perCPU = examples / (c1.total - c0.total)
	}
	// The busiest threads: the training workers, the page's.
	type busy struct {
		name       string
		secs, wait float64
	}
	var threads []busy
	for k, v := range c1.threads {
		if d := v - c0.threads[k]; d >= 0.05*secs {
			threads = append(threads, busy{k, d, c1.wait[k] - c0.wait[k]})
		}
	}
	slices.SortFunc(threads, func(a, b busy) int { return cmp.Compare(b.secs, a.secs) })
	for _, th := range threads {
		m.threads = append(m.threads, fmt.Sprintf("%s %.2f (waiting for a core %.2f)", th.name, th.secs/secs, th.wait/secs))
	}
	return m
}

// cpuSample is the CPU time (user and system, seconds) of process pid and
// all its descendants, in total and per thread ("tid name"), from /proc
// (empty where there is none).
type cpuSample struct {
	total   float64
	threads map[string]float64
	// wait is the time each thread was ready to run but waited for a core
	// (schedstat), seconds.
	wait map[string]float64
}

func sampleCPU(pid int) cpuSample {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	for _, f := range stats {
		if p, ppid, _, _, ok := readStat(f); ok {
			parent[p] = ppid
		}
	}
	s := cpuSample{threads: map[string]float64{}, wait: map[string]float64{}}
	for p := range parent {
		q := p
		for q > 1 && q != pid {
			q = parent[q]
		}
		if q != pid {
			continue
		}
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/[0-9]*/stat", p))
		for _, f := range tasks {
			if tid, _, name, secs, ok := readStat(f); ok {
				s.total += secs
				k := fmt.Sprintf("%d %s", tid, name)
				s.threads[k] = secs
				if b, err := os.ReadFile(filepath.Join(filepath.Dir(f), "schedstat")); err == nil {
					if f := strings.Fields(string(b)); len(f) >= 2 {
						ns, _ := strconv.ParseFloat(f[1], 64)
						s.wait[k] = ns / 1e9
					}
				}
			}
		}
	}
	return s
}

// setAutogroupNice sets the nice value of the test's scheduling autogroup
// until the test ends.
func setAutogroupNice(t *testing.T, v string) {
	t.Helper()
	if _, err := strconv.Atoi(v); err != nil {
		t.Fatalf("%s=%q: %v", envScalingNice, v, err)
	}
	old, err := os.ReadFile("/proc/self/autogroup")
	if err != nil {
		t.Fatalf("%s: %v", envScalingNice, err)
	}
	f := strings.Fields(string(old)) // "/autogroup-622 nice 0"
	if err := os.WriteFile("/proc/self/autogroup", []byte(v), 0); err != nil {
		t.Fatalf("%s=%s: %v", envScalingNice, v, err)
	}
	t.Logf("scheduling autogroup %s: nice %s while measuring", f[0], v)
	t.Cleanup(func() { os.WriteFile("/proc/self/autogroup", []byte(f[len(f)-1]), 0) })
}

// readStat reads a /proc stat file: the id, the parent's, the name and the
// CPU seconds.
func readStat(path string) (id, ppid int, name string, secs float64, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, "", 0, false
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return 0, 0, "", 0, false
	}
	id, _ = strconv.Atoi(strings.TrimSpace(s[:open]))
	fields := strings.Fields(s[end+2:]) // from field 3, the state
	if len(fields) < 13 {
		return 0, 0, "", 0, false
	}
	ppid, _ = strconv.Atoi(fields[1])
	u, _ := strconv.ParseFloat(fields[11], 64)
	sy, _ := strconv.ParseFloat(fields[12], 64)
	return id, ppid, s[open+1 : end], (u + sy) / 100, true // USER_HZ
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

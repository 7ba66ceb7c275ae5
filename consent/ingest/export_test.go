package ingest

import (
	"io"
	"iter"
)

// LinesN is Lines with n decoding goroutines.
var LinesN = lines

// LinesFuncN is LinesFunc with n decoding goroutines.
func LinesFuncN[T any](r io.Reader, n int, f func(Row) T) iter.Seq2[T, error] {
	return linesFunc(r, n, f)
}

package ingest

// LinesN is Lines with n decoding goroutines.
var LinesN = lines

package abi

import "github.com/sendright/sendright/eligibility"

// AppendLine and MarshalLine write one line of a batch's result, by hand
// and with encoding/json, for the external tests.
func AppendLine(n int, d *eligibility.Decision) []byte {
	return appendLine(nil, n, "", d, nil)
}

// MarshalLine is AppendLine through encoding/json.
func MarshalLine(n int, d *eligibility.Decision) []byte {
	return append(marshal(&line{Line: n, Decision: d}), '\n')
}

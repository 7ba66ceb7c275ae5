package main

import (
	"encoding/json"
	"net/http"
	"sync/atomic"

	"github.com/sendright/sendright/eligibility"
)

// maxRequestBytes bounds the body of one decide request.
const maxRequestBytes = 1 << 20

// errorBody is the JSON answer to a request that could not be decided
// cleanly: the error and, when the evaluator ran, its Deny.
type errorBody struct {
	Error    string                `json:"error"`
	Decision *eligibility.Decision `json:"decision,omitempty"`
}

// decideHandler serves POST /v1/decide: the body is one request in its
// documented JSON form ({"contact": {...}, "message": {...}}, see
// eligibility.Request), the answer its decision in JSON. A body that does
// not decode is 400 with an error; a malformed request the evaluator refuses
// is 422 with the error and its Deny. Both mean do not send.
func decideHandler(current *atomic.Pointer[eligibility.Policy]) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/decide", func(w http.ResponseWriter, r *http.Request) {
		var req eligibility.Request
		body := http.MaxBytesReader(w, r.Body, maxRequestBytes)
		dec := json.NewDecoder(body)
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error()})
			return
		}
		if dec.More() {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: "trailing data after the request"})
			return
		}
		d, err := current.Load().Decide(req)
		if err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, errorBody{Error: err.Error(), Decision: &d})
			return
		}
		writeJSON(w, http.StatusOK, d)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"encoding the answer failed"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

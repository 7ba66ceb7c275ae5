package eligibility

import "errors"

// ErrEvaluation: a rule condition failed at run time. The decision is
// deny.
var ErrEvaluation = errors.New("rule evaluation failed")

// EvalError reports a condition that failed at run time. It wraps
// [ErrEvaluation].
type EvalError struct {
	Rule string // the id of the rule whose condition failed
	Msg  string // why it failed
	// Function names the host function or variable that returned an error
	// or panicked, when that is why; the decision's reason is then
	// [ReasonHostFunctionFailed].
	Function string
}

// Error implements error.
func (e *EvalError) Error() string {
	return "eligibility: rule " + e.Rule + ": evaluation failed: " + e.Msg
}

// Unwrap returns [ErrEvaluation].
func (e *EvalError) Unwrap() error { return ErrEvaluation }

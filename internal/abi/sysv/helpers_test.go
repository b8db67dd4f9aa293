package sysv

import (
	"errors"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/abitest"
)

var planString = abitest.PlanString

// sysvRules are the System V AMD64 rules for abitest.Check.
var sysvRules = abitest.Rules{GPR: NumArgGPR, FPR: NumArgFPR, SRetGPR: -1, SlotAlign: 8}

// checkPlan fails t if p is not self-consistent (see abitest.Check).
func checkPlan(t testing.TB, p *abi.Plan) {
	t.Helper()
	if err := abitest.Check(p, sysvRules); err != nil {
		t.Fatalf("%s: %v\nplan: %s", abi.TypeString(p.Func), err, planString(p))
	}
}

func isABIError(err error) bool {
	var e *abi.Error
	return errors.As(err, &e)
}

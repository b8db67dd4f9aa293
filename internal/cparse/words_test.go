package cparse

import "testing"

// TestWordsSorted checks that lookupWord can binary-search the table.
func TestWordsSorted(t *testing.T) {
	for i := 1; i < len(words); i++ {
		if words[i-1].word >= words[i].word {
			t.Errorf("words: %q is not before %q", words[i-1].word, words[i].word)
		}
	}
	for _, w := range words {
		if got := lookupWord(w.word); got != w {
			t.Errorf("lookupWord(%q) = %+v, want %+v", w.word, got, w)
		}
	}
	for _, w := range []string{"", "a", "zzz", "__alignof", "_Float", "Bool"} {
		if got := lookupWord(w); got != (wordInfo{}) {
			t.Errorf("lookupWord(%q) = %+v, want none", w, got)
		}
	}
}

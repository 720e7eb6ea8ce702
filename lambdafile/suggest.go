package lambdafile

import "fmt"

// DidYouMean returns `; did you mean "x"?` for the candidate closest to got,
// or "" when none is close enough to be a plausible typo.
func DidYouMean[S ~string](got string, candidates []S) string {
	hint, _ := suggest(got, candidates)
	return hint
}

// suggest is DidYouMean that also returns the candidate it suggests.
func suggest[S ~string](got string, candidates []S) (hint, best string) {
	if len(got) > 64 {
		return "", "" // no typo of a key or a name is this long
	}
	bestDist := len(got)/2 + 2
	for _, c := range candidates {
		// On a tie the later candidate wins: runtimes are listed oldest
		// first, and nodejs2 more likely means the newest of nodejs20,
		// nodejs22 and nodejs24.
		if d := editDistance(got, string(c)); d < bestDist || (d == bestDist && best != "") {
			best, bestDist = string(c), d
		}
	}
	if best == "" {
		return "", ""
	}
	return fmt.Sprintf("; did you mean %q?", best), best
}

// editDistance is the Levenshtein distance between a and b, over bytes:
// lambda.yaml's keys and enum values are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

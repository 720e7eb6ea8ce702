#!/usr/bin/env bash
# The README's test command: installs the pinned tools, starts the local
# BuildKit, registry and stand-in images, then runs every test, end-to-end
# tests included, and prints a summary of each test's outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/versions.sh
hack/install-tools.sh
hack/env-up.sh
hack/standins.sh

log=$(mktemp)
status=0
go vet ./... || status=1
go test -count=1 -timeout 60m -v ./... 2>&1 | tee "$log" || status=1

# Fuzz the loader and load-plus-generate for a bounded time each; a crasher
# fails the run and is written under testdata/fuzz to be fixed and kept.
# The fuzzers run with 8 GiB of address space (what Go reserves for a fuzz
# worker of load-plus-generate needs more than 2), so that an input the
# limits of docs/limits.md miss, and that makes memory explode, fails the run.
for target in ./lambdafile:FuzzLoad ./llbgen:FuzzGenerate; do
	pkg=${target%%:*} fn=${target##*:}
	if (ulimit -v $((8 << 20)) && go test "$pkg" -run '^$' -fuzz "^$fn\$" -fuzztime "${FUZZTIME:-30s}") >"$log.fuzz" 2>&1; then
		echo "--- PASS: $fn (fuzzed ${FUZZTIME:-30s})" | tee -a "$log"
	else
		cat "$log.fuzz"
		echo "--- FAIL: $fn (fuzzing found a failing input)" | tee -a "$log"
		status=1
	fi
done
rm -f "$log.fuzz"

echo
echo "=== summary"
grep -E '^\s*--- (PASS|FAIL|SKIP)' "$log" | sed 's/^ *//' | sed -E 's/ \([0-9.]+s\)$//' || true
grep -A1 -E '^\s*--- SKIP' "$log" | grep -vE -- '--- SKIP|^--$' | sed 's/^ */    skip reason: /' || true
passed=$(grep -cE '^\s*--- PASS' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
echo "$passed passed, $failed failed, $skipped skipped"
rm -f "$log"
exit $status

#!/usr/bin/env bash
# Runs every browser test RUNS times (default 20) while HOGS processes (default: one per core)
# keep the CPU busy, and prints a line per run and a tally. A browser test that waits on a
# count taken mid-update fails here sooner or later; one that waits on conditions does not.
#   make stress-browser            # or: RUNS=5 HOGS=4 tests/benchmarks/browser_stress.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-20}
HOGS=${HOGS:-$(nproc)}
PY=${PYTHON:-.venv/bin/python}
hogs=()
for _ in $(seq "$HOGS"); do (while :; do :; done) & hogs+=($!); done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
failed=0
for run in $(seq "$RUNS"); do
  start=$(date +%s)
  if "$PY" -m pytest -m browser -q -p no:cacheprovider >"/tmp/browser-stress-$run.log" 2>&1; then
    echo "run $run/$RUNS: passed ($(( $(date +%s) - start )) s) — $(tail -1 "/tmp/browser-stress-$run.log")"
  else
    failed=$((failed + 1))
    echo "run $run/$RUNS: FAILED — see /tmp/browser-stress-$run.log"
    grep -E "^(FAILED|ERROR)" "/tmp/browser-stress-$run.log" | head -5
  fi
done
echo "$((RUNS - failed)) of $RUNS runs passed with $HOGS CPU hog(s)"
[ "$failed" -eq 0 ]

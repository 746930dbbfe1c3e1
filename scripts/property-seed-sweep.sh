#!/usr/bin/env bash
# Runs every fast-check property of the given sim suites under <seeds> fresh seeds each, in one vitest
# process per suite (FC_SWEEP, see scripts/vitestFastCheckSweep.ts), and lists every failing seed; each replays
# with FC_SEED=<seed> npx vitest run <suite>. One worker at low priority: the machine is shared.
#   scripts/property-seed-sweep.sh 200 sim/dsp/*.property.test.ts
set -u
seeds=${1:?usage: property-seed-sweep.sh <seeds> <suite files…>}
shift
failed=0
for suite in "$@"; do
  start=$(date +%s)
  out=$(FC_SWEEP=$seeds nice -n 19 npx vitest run --maxWorkers=1 --testTimeout=0 --hookTimeout=0 "$suite" 2>&1)
  status=$?
  summary=$(grep -c "fast-check sweep: $seeds seeds" <<<"$out")
  echo "$suite: $summary properties × $seeds seeds, $(( $(date +%s) - start )) s, $([ $status -eq 0 ] && echo ok || echo FAILED)"
  if [ $status -ne 0 ]; then
    failed=1
    sed 's/\x1b\[[0-9;]*m//g' <<<"$out" | grep -E "FAIL |seeds failed|FC_SEED=|Error" | head -40
  fi
done
exit $failed

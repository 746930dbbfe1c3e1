#!/usr/bin/env bash
# Runs StrykerJS (`npm run mutation`, stryker.config.mjs) over named batches of files, one after the other, each
# with its own incremental file in reports/mutation/ (committed): a batch's results are saved when it ends, so an
# interrupted run loses at most the batch under way, and a rerun only tests the mutants whose code or tests
# changed. Scores of all incremental files: `node scripts/mutation-score.mjs`.
#
#   nice -n 15 scripts/mutation-batches.sh dsp-rest dsp-interpolators   # names are listed in batch() below
set -euo pipefail
cd "$(dirname "$0")/.."
exclusions='!**/*.test.ts,!**/*.bench.ts,!**/*.producerFixture.ts'
batch() {
  case "$1" in
    dsp-interpolators) echo 'src/dsp/interpolators/*.ts,src/dsp/matrices/*.ts' ;;
    dsp-a-l) echo 'src/dsp/[a-l]*.ts' ;;
    dsp-m-z) echo 'src/dsp/[m-z]*.ts' ;;
    analysis-top) echo 'src/analysis/*.ts' ;; # the files directly in src/analysis (not its subfolders)
    analysis-*) echo "src/analysis/${1#analysis-}/**/*.ts" ;;
    *) echo "unknown batch $1" >&2; return 1 ;;
  esac
}
for name in "$@"; do
  files="$(batch "$name")"
  echo "== $name: $files ($(date -u +%H:%M:%S), $(uptime | sed 's/.*load/load/'))"
  npx stryker run --concurrency "${MUTATION_CONCURRENCY:-2}" --ignoreStatic \
    --mutate "$files,$exclusions" \
    --incremental --incrementalFile "reports/mutation/$name.incremental.json" \
    --reporters clear-text,progress-append-only,html
  echo "== $name done ($(date -u +%H:%M:%S), $(uptime | sed 's/.*load/load/'))"
done

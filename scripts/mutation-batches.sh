#!/usr/bin/env bash
# Runs StrykerJS (`npm run mutation`, stryker.config.mjs) over named batches of files, one after the other, each
# with its own incremental file in reports/mutation/ (committed): a batch's results are saved when it ends, so an
# interrupted run loses at most the batch under way, and a rerun only tests the mutants whose code or tests
# changed. Scores of all incremental files: `node scripts/mutation-score.mjs`.
#
#   nice -n 15 scripts/mutation-batches.sh dsp-rest dsp-interpolators   # names are listed in batch() below
#
# Per-sample kernels are batches of their own (KERNELS): an instrumented statement costs a coverage count or a mutant
# switch on every sample (subBlockEnergies' K-weighting loop ran the loudness tests 30x slower instrumented: 221 s
# instead of ~8 s), so each is instrumented only while its own mutants are tested, and the rest of its folder runs
# the kernel at full speed. A kernel's batch runs only the unit tests of its folder (testFiles below): they must
# kill its mutants by themselves (the long conformance suites would cost minutes per surviving mutant).
set -euo pipefail
cd "$(dirname "$0")/.."
exclusions='!**/*.test.ts,!**/*.bench.ts,!**/*.producerFixture.ts'
# Per-sample kernels, each a batch of its own named analysis-<folder>-<file> (see above).
# estimateDelay and segmentedCrossSpectrum: their mutants, judged with sim/analysis/latency.test.ts (115 tests, 34 s dry run),
# went at ~10 a minute under load 9 (~45 min for their 503); their folder's unit tests judge them here.
# correlationGrid (estimateDelay's quarter-sample grid) loops over every bin of the band twice an estimate: a kernel too.
KERNELS='src/analysis/loudness/subBlockEnergies.ts src/analysis/loudness/truePeak.ts src/analysis/loudness/toneSegments.ts src/analysis/latency/estimateDelay.ts src/analysis/latency/segmentedCrossSpectrum.ts src/analysis/latency/correlationGrid.ts'
# The dropout detectors: every file is a per-sample loop or feeds one (the folder's instrumented dry run took 108 s for
# ~5 s of plain tests, its 1458 mutants an estimated hour and more), so each is a kernel batch of its own, judged by the
# folder's unit tests (sim/analysis/dropouts*.test.ts, the 10-minute suites, are out of mutation runs anyway).
# dropoutEvent.ts holds types only (no mutant).
KERNELS="$KERNELS $(for f in alignedRender pilotToneDetector residualDetector residualDropoutDetector robustGain shiftResiduals signalHistory zeroedRun; do printf ' src/analysis/dropouts/%s.ts' "$f"; done)"
# The programme analysis off the calling thread: their batches run with the worker-thread tests (RIG_MUTATION_WORKER_TESTS,
# see vitest.mutation.config.ts), which judge only mutants of these two files, run in the test's thread.
KERNELS="$KERNELS src/analysis/signal/programmeOffThread.ts src/analysis/signal/analyzeProgramme.ts"
kernelExclusions="$(for k in $KERNELS; do printf ',!%s' "$k"; done)"
batch() {
  case "$1" in
    dsp-interpolators) echo 'src/dsp/interpolators/*.ts,src/dsp/matrices/*.ts' ;;
    dsp-a-l) echo 'src/dsp/[a-l]*.ts' ;;
    dsp-m-z) echo 'src/dsp/[m-z]*.ts' ;;
    analysis-top) echo 'src/analysis/*.ts' ;; # the files directly in src/analysis (not its subfolders)
    # residualDropoutDetector.ts in three line ranges, each a batch with its own incremental file (Stryker saves one only
    # when a batch ends): the setup and start (1-381: ShiftFound, noiseRms, verifiesAlignment, the pure helpers
    # verifiedAfter, firstLoudWindow, soundingFrom, loudSearchFrom, hasContentToAlign, capturesLoud, residualEnergy, predictedEnergy,
    # provesShift, followsAsMove, the constructor, run, start),
    # the window loop (382-518: examineWindows and its doc), the decisions (519-864: forget, heldRangeFrom, commitPending, maxSearches,
    # searchShift, decide, followedResidual, provedFraction, applyHeldShift, residualAt, moveShows, followLatency, beforeFollowed, splitPoint, applyShift, close, verifiedAfter,
    # latencyFollowedSamples). The ranges follow its methods'
    # boundaries; move them when the file changes (check: each range starts at a blank line or a doc comment).
    analysis-dropouts-residualDropoutDetector-setup) echo 'src/analysis/dropouts/residualDropoutDetector.ts:1-381' ;;
    analysis-dropouts-residualDropoutDetector-windows) echo 'src/analysis/dropouts/residualDropoutDetector.ts:382-518' ;;
    analysis-dropouts-residualDropoutDetector-decisions) echo 'src/analysis/dropouts/residualDropoutDetector.ts:519-864' ;;
    analysis-*-*) # one kernel: analysis-loudness-truePeak is src/analysis/loudness/truePeak.ts
      local rest="${1#analysis-}"
      local file="src/analysis/${rest%%-*}/${rest#*-}.ts"
      [[ " $KERNELS " == *" $file "* ]] || { echo "unknown kernel batch $1 ($file is not in KERNELS)" >&2; return 1; }
      echo "$file" ;;
    analysis-*) echo "src/analysis/${1#analysis-}/**/*.ts$kernelExclusions" ;;
    *) echo "unknown batch $1" >&2; return 1 ;;
  esac
}
# The test files a batch runs, when not all of vitest.mutation.config.ts's (a kernel: its folder's unit tests).
# acoustics too: the sim suites (8 seeded decays per case) made a surviving or timed-out mutant cost up to 2 minutes
# (the timeout is 1.5 × its covering tests' time + 10 s), 241 of 686 mutants in 14 min; their kills then count as
# survivors here, so the score is a lower bound.
testFiles() {
  case "$1" in
    analysis-*-*) local rest="${1#analysis-}"; echo "src/analysis/${rest%%-*}/*.test.ts" ;;
    analysis-acoustics) echo 'src/analysis/acoustics/*.test.ts' ;;
    # spectral's filters and decimator run inside the acoustics octave bank, whose sim suites cost minutes a mutant:
    # their own unit tests, the signal tests (powerSpectrum's consumers) and octaveBands' must kill them.
    analysis-spectral) echo 'src/analysis/spectral/*.test.ts,src/analysis/signal/*.test.ts,src/analysis/acoustics/octaveBands.test.ts' ;;
    # the generators feed nearly every suite (acoustics, loudness, onset, the sim suites): their own tests and the
    # dropout detectors' unit tests (the fault injection's consumers) judge them.
    # signal's generators and metrics feed the acoustics and loudness suites; their own tests and spectral's judge them
    # (programmeOffThread.ts and analyzeProgramme.ts are tested only by the two worker-thread files left out of mutation runs).
    analysis-signal) echo 'src/analysis/signal/*.test.ts,src/analysis/spectral/*.test.ts' ;;
    analysis-testSignals) echo 'src/analysis/testSignals/*.test.ts,src/analysis/dropouts/*.test.ts' ;;
  esac
}
# The whole of residualDropoutDetector.ts is its three parts (one incremental file each, never one for the whole).
names=()
for name in "$@"; do
  if [[ $name == analysis-dropouts-residualDropoutDetector ]]; then
    names+=(analysis-dropouts-residualDropoutDetector-setup analysis-dropouts-residualDropoutDetector-windows analysis-dropouts-residualDropoutDetector-decisions)
  else
    names+=("$name")
  fi
done
for name in "${names[@]}"; do
  files="$(batch "$name")"
  tests="$(testFiles "$name")"
  case "$name" in
    analysis-signal-programmeOffThread | analysis-signal-analyzeProgramme) export RIG_MUTATION_WORKER_TESTS=1 ;;
    *) unset RIG_MUTATION_WORKER_TESTS ;;
  esac
  echo "== $name: $files${tests:+ (tests: $tests)} ($(date -u +%H:%M:%S), $(uptime | sed 's/.*load/load/'))"
  npx stryker run --concurrency "${MUTATION_CONCURRENCY:-2}" --ignoreStatic \
    --mutate "$files,$exclusions" ${tests:+--testFiles "$tests"} \
    --incremental --incrementalFile "reports/mutation/$name.incremental.json" \
    --reporters clear-text,progress-append-only,html
  echo "== $name done ($(date -u +%H:%M:%S), $(uptime | sed 's/.*load/load/'))"
done

#!/usr/bin/env bash
# The live host's measured targets (issue 13: latency, flood, soak, chunked analysis; issue 9: the OSC bridge), one
# after the other, each into a file of one folder, with the machine's load before and after each — figures for the
# README and the note, not a test. Each step is one of the commands the README gives; this only runs them in a row
# so a quiet spell of the machine can be used whole. Starts and stops jackd through the rigs (nothing may hold the
# JACK server's name meanwhile).
#
#   scripts/live-targets.sh [--soak-minutes N] [--only latency,flood,bridge,analysis,soak] [--out DIR]
#
# --soak-minutes N (default 0: no soak): the soak on --rig jack-native beside two busy loops (`yes > /dev/null` ×2),
# as issue 13's target has it. Results in DIR (default reports/live-targets/<UTC time>/); a summary at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
soak=0
only='latency,flood,bridge,analysis,soak'
out="reports/live-targets/$(date -u +%Y-%m-%dT%H-%M-%SZ)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --soak-minutes) soak="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "live-targets: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
wanted() { [[ ",$only," == *",$1,"* ]]; }
# step NAME COMMAND…: runs it with its output in $out/NAME.txt and the load average around it in $out/load.txt.
step() {
  local name="$1"; shift
  echo "[live-targets] $name: $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  printf '%s start %s load %s\n' "$name" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
  "$@" > "$out/$name.txt" 2>&1
  local rc=$?
  printf '%s end %s load %s exit %s\n' "$name" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$rc" >> "$out/load.txt"
}
npm run build --silent > "$out/build.txt" 2>&1 || { echo "live-targets: npm run build failed ($out/build.txt)" >&2; exit 1; }
if wanted latency; then
  # The latency probe (untimestamped; target p99 ≤ 5 ms) and the timestamped one (jitter ≤ 0.1 ms), on the main job's
  # default rig and on the JACK loopback at 64 frames with the engine in a worker.
  step latency-default node bin/rig.js hil --tag latency --no-period-sweep
  step latency-jack-native node bin/rig.js hil --rig jack-native --tag latency
fi
if wanted flood; then
  step flood-jack-native npx tsx hil/flood/floodProbe.ts --rig jack-native
fi
if wanted bridge; then
  for engine in fdn16 lossy; do
    step "bridge-$engine" node --single-threaded-gc --import tsx src/host/bridgeProbe.ts jack-native "$engine"
  done
fi
if wanted analysis; then
  step chunked-analysis node bin/rig.js bench hil_chunked_analysis_32ch --seconds 60 --json
fi
if wanted soak && [[ "$soak" -gt 0 ]]; then
  yes > /dev/null & busy1=$!
  yes > /dev/null & busy2=$!
  step soak /usr/bin/time -v node bin/rig.js hil --rig jack-native --scenario soak --soak-minutes "$soak"
  kill "$busy1" "$busy2"
fi
echo "[live-targets] summary ($out)"
cat "$out/load.txt"
grep -h -E '^(PASSED|FAILED|run )' "$out"/latency-*.txt "$out"/soak.txt 2>/dev/null | cut -c1-400
# Each latency run's p50/p99/jitter per scenario, from its report (the verdict line gives p99 only).
for f in "$out"/latency-*.txt; do
  report="$(grep -o -E 'reports/runs/[^ ]+/report\.html' "$f" | tail -1)"
  [[ -n "$report" ]] && node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const s of r.scenarios) console.log(`  ${process.argv[2]} ${s.name}: p50 ${s.latency?.p50Ms?.toFixed(2)} ms, p99 ${s.latency?.p99Ms?.toFixed(2)} ms, jitter ${s.latency?.jitterMs?.toFixed(3)} ms`);
  ' "${report%.html}.json" "$(basename "$f" .txt)"
done
for f in "$out"/flood-*.txt; do [[ -f "$f" ]] && { echo "$(basename "$f" .txt):"; tail -12 "$f"; }; done
for f in "$out"/bridge-*.txt; do [[ -f "$f" ]] && { echo "$(basename "$f" .txt):"; grep -E '^\{' "$f" | tail -1; }; done
# rig bench exits 1 when a benchmark is below its target; its JSON says which figure.
[[ -f "$out/chunked-analysis.txt" ]] && { echo "chunked-analysis:"; sed -n '/^\[/,/^\]/p' "$out/chunked-analysis.txt" | tr -d ' \n'; echo; }

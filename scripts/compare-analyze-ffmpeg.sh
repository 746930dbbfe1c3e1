#!/usr/bin/env bash
# Whole-process time and peak RSS of `rig analyze` beside ffmpeg's EBU R128 meter on the same file, in
# interleaved rounds; prints each run and the medians (wall time, CPU time user + system, and peak RSS:
# on a shared machine the CPU time is the steadier figure). A development measurement (ffmpeg is the Debian
# package `ffmpeg`, not a project dependency). Usage:
#   npx tsx scripts/makeTestWav.ts /tmp/prog10m.wav          # 10 min, 48 kHz stereo float, 230 MB
#   scripts/compare-analyze-ffmpeg.sh /tmp/prog10m.wav [rounds=5]
# BEFORE=<another checkout> adds that checkout's `rig analyze` to every round (e.g. the commit before a change).
set -euo pipefail
file=$1; rounds=${2:-5}
cd "$(dirname "$0")/.."
declare -A cmds=(
  [rig]="node bin/rig.js analyze $file --json"
  [rig_before]="node ${BEFORE:-.}/bin/rig.js analyze $file --json"
  [ffmpeg]="ffmpeg -nostats -hide_banner -i $file -af ebur128 -f null -"
  [ffmpeg_peak]="ffmpeg -nostats -hide_banner -i $file -af ebur128=peak=true -f null -"
)
order=(rig ffmpeg ffmpeg_peak)
if [[ -n ${BEFORE:-} ]]; then order=(rig_before "${order[@]}"); fi
tmp=$(mktemp -d)
for ((r = 1; r <= rounds; r++)); do
  for name in "${order[@]}"; do
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/t" ${cmds[$name]} >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    read -r secs kib user sys <"$tmp/t"
    cpu=$(echo "$user + $sys" | bc)
    echo "$secs $kib $cpu" >>"$tmp/$name"
    printf 'round %d  %-12s %6.2f s wall  %6.2f s cpu  %5d MiB\n' "$r" "$name" "$secs" "$cpu" $((kib / 1024))
  done
done
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "file $(stat -c %s "$file") bytes; load $(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${order[@]}"; do
  printf 'median %-12s %6.2f s wall  %6.2f s cpu  %5d MiB\n' "$name" "$(cut -d' ' -f1 "$tmp/$name" | median)" \
    "$(cut -d' ' -f3 "$tmp/$name" | median)" $(($(cut -d' ' -f2 "$tmp/$name" | median | cut -d. -f1) / 1024))
done
rm -r "$tmp"

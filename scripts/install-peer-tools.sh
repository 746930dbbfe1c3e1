#!/usr/bin/env bash
# Installs the peers' tools (dev only, not CI): the Faust compiler (the FDN reference) and a C/C++ compiler
# (building it and the block-structured C haptic reference) for `node scripts/bench-peers.mjs`, and ffmpeg (its
# EBU R128 meter) for scripts/compare-analyze-ffmpeg.sh and scripts/loudnessSweep.ts.
# Needs root or sudo; idempotent.
set -euo pipefail
exec "$(dirname "$0")/install-debian-packages.sh" faust g++ ffmpeg

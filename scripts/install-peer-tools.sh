#!/usr/bin/env bash
# Installs the peers' tools for `node scripts/bench-peers.mjs` (dev only, not CI): the Faust compiler
# (the FDN reference) and a C/C++ compiler (building it and the block-structured C haptic reference).
# Needs root or sudo; idempotent.
set -euo pipefail
exec "$(dirname "$0")/install-debian-packages.sh" faust g++

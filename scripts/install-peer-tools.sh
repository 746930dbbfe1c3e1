#!/usr/bin/env bash
# Installs the peers' tools for `node scripts/bench-peers.mjs` (dev only, not CI): the Faust compiler
# (the FDN reference) and a C/C++ compiler (building it and the block-structured C haptic reference).
# Needs root or sudo; idempotent.
set -euo pipefail
packages=(faust g++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs the Debian packages Studio Rig uses, if any is missing (needs root or sudo; idempotent).
# With arguments, installs those packages instead (scripts/install-peer-tools.sh uses it so).
set -euo pipefail
# python3: the REAPER tests run the generated ReaScript under it, against a stand-in REAPER.
packages=(jackd2 libportaudio2 chromium python3)
[ $# -gt 0 ] && packages=("$@")
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

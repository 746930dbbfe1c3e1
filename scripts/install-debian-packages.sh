#!/usr/bin/env bash
# Installs the Debian packages Studio Rig uses, if any is missing (needs root or sudo; idempotent).
# With arguments, installs those packages instead (scripts/install-peer-tools.sh uses it so).
set -euo pipefail
# liblo-tools: oscsend/oscdump, the OSC client no one here wrote that the bridge tests drive rig serve with;
# jackd2 + libportaudio2: the JACK rigs; libjack-jackd2-dev, g++, make, python3: node-gyp builds the
# native JACK client (src/host/jack) from its C source; chromium: the report test; python3 also: the
# REAPER tests run the generated ReaScript under it, against a stand-in REAPER.
packages=(jackd2 libportaudio2 libjack-jackd2-dev g++ make python3 chromium liblo-tools)
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

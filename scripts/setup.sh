#!/usr/bin/env bash
# Sets up Studio Rig on a fresh Debian machine: the Debian packages it uses (jackd2, libportaudio2,
# chromium, python3, and the compiler and JACK headers for the native client; needs root or sudo, skipped
# when already installed), the npm packages (npm ci), the native JACK client (src/host/jack, node-gyp) and the
# haptic engine's native kernels (src/haptic/native, built for this machine's CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-debian-packages.sh
# node-gyp builds naudiodon against the machine's Node headers (there is no network to fetch them).
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
npm ci --no-audit --no-fund
npm run build:native --silent

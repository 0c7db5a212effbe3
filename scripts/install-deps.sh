#!/usr/bin/env bash
# Installs the Debian (bookworm) packages the SDK needs, only if any is
# missing. Idempotent, never prompts. Uses sudo when not run as root.
set -euo pipefail

packages=(
  cmake g++ pkg-config make
  libboost-json1.81-dev libboost-regex1.81-dev
  libsodium-dev libsqlite3-dev libcurl4-openssl-dev libfmt-dev
  doctest-dev libbenchmark-dev
  pybind11-dev python3-dev python3-pytest
  binutils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

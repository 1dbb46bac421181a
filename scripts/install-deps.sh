#!/usr/bin/env bash
# Installs the Debian packages microseg builds and tests with, only those that are missing.
# Runs as root (CI, a fresh machine); as another user it only reports what is missing.
set -euo pipefail
packages=(cmake ninja-build g++ make pkg-config
          libboost-graph-dev libyaml-cpp-dev libssh-dev libfmt-dev libcli11-dev doctest-dev nlohmann-json3-dev
          openssh-server openssh-client nftables iproute2 graphviz
          softflowd nfdump  # the traffic pipeline test: softflowd -> nfcapd -> nfdump
          chromium imagemagick fonts-dejavu-core)  # the last three: the report's browser test
# `make fuzz` only (libFuzzer needs clang and its sanitizer runtimes): install-deps.sh fuzz
[ "${1:-}" = fuzz ] && packages+=(clang libclang-rt-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages (run as root to install): ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

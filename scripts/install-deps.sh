#!/usr/bin/env bash
# Installs the Debian packages auk needs to build and test, only when some are
# missing. Used by `make demo` and `make test`, so a fresh machine needs
# nothing but this repository.
set -euo pipefail
pkgs=(cmake make gcc clang clang-format libclang-rt-14-dev zlib1g-dev pkg-config libpcre2-dev libxxhash-dev libsnappy-dev libzstd-dev liblz4-dev libbrotli-dev libedit-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"

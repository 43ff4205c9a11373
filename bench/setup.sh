#!/usr/bin/env bash
# Installs what the benchmarks need on a fresh Debian machine, and nothing
# twice: a C compiler, pandas for /usr/bin/python3 (Debian's python3-pandas),
# Node.js and npm only if absent, the npm peers pinned in package.json
# (Polars, DuckDB) with `npm install`, then builds the data generator.
# Quick when everything is there already.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
pkgs=()
/usr/bin/python3 -c "import pandas" 2>/dev/null || pkgs+=(python3-pandas)
command -v cc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
# A Node.js that is there already (e.g. a newer one from another repository)
# is kept: Debian's npm package would pull Debian's older nodejs over it.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "setup: apt-get install ${pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

# npm install only when a dependency is missing or not at its pinned version.
if ! node -e '
  const deps = require("./package.json").dependencies;
  for (const [name, want] of Object.entries(deps)) {
    let have;
    try { have = require(`./node_modules/${name}/package.json`).version; } catch { process.exit(1); }
    if (have !== want) process.exit(1);
  }' 2>/dev/null; then
  echo "setup: npm install in bench/"
  npm install --no-audit --no-fund --loglevel=error
fi

./build.sh
mkdir -p data
echo "setup: ready ($(node --version), pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)'), bench/bin/gen_groupby)"

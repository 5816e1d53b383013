#!/usr/bin/env bash
# Installs everything Loom's build and tests need on a fresh Debian machine (apt and pip
# packages), then configures and builds into build/. Safe to run again: installed packages are
# skipped and an existing build directory is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(g++ pkg-config rapidjson-dev libopenblas-dev catch2 pybind11-dev
              default-jdk-headless scala junit4)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# meson >= 1.1 (Debian's is older), ninja, the Python build backend and test tools.
python3 -m pip install -q --disable-pip-version-check "meson>=1.1" ninja meson-python \
  numpy pytest graphviz 2>&1 | grep -v "Running pip as the 'root' user" || true

if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release
fi
ninja -C build

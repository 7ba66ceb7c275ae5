#!/usr/bin/env bash
# need.sh COMMAND PACKAGE: makes sure COMMAND is on the PATH, installing the
# system package PACKAGE with apt-get when it is missing and the script
# runs as root on a Debian or Ubuntu machine (a fresh CI machine); anywhere
# else a missing command is an error naming the package.
set -euo pipefail
cmd=$1 pkg=$2
command -v "$cmd" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "need.sh: $cmd not found; install it (e.g. apt-get install $pkg)" >&2
  exit 1
fi
echo "need.sh: installing $pkg with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "$pkg" >&2
command -v "$cmd" >/dev/null 2>&1

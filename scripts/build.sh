#!/bin/sh
# Configure (once) and build evidcheck in BUILD_DIR (default build/).
# Extra arguments go to the first cmake configure, e.g. -DEVIDCHECK_SANITIZE=ON.
set -eu
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build}
if [ ! -f "$dir/CMakeCache.txt" ]; then
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
cmake --build "$dir" -j "$(nproc)" >/dev/null

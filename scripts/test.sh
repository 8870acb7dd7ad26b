#!/bin/sh
# The README's second command, and what CI runs: install what is missing,
# then build and run the whole ctest suite twice - a normal build with
# -Werror, and an AddressSanitizer + UBSan build.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
BUILD_DIR=build scripts/build.sh -DEVIDCHECK_WERROR=ON
ctest --test-dir build --output-on-failure -j 2
BUILD_DIR=build-asan scripts/build.sh -DEVIDCHECK_WERROR=ON \
	-DEVIDCHECK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build-asan --output-on-failure -j 2

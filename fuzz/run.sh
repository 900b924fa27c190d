#!/bin/sh
# Runs one fuzz target for SECONDS (default 300) with its memory bounded twice over, so a
# blow-up stops the run as a finding instead of making it slow: libFuzzer's own limits
# (-rss_limit_mb, -malloc_limit_mb: an input that needs more is reported as an OOM) and an
# address-space limit (ulimit -v) under which an oversized allocation aborts, which libFuzzer
# reports as a crash. ASan reserves terabytes of shadow address space and cannot start under
# ulimit -v, so these runs use a build without sanitizer (`-s none`); the crate forbids
# `unsafe`, which is what ASan would check.
#
# The parse targets (*_parse) take inputs of at most MAX_LEN bytes (default 4096): parsing
# costs time by the byte, and a 4 KB file holds every field of its format many times over,
# so small inputs explore more per second (30 s of inventory_parse from the seeds: 3,261
# executions/s and 4,877 edges unbounded, where a 15.9 KB seed set the limit; 8,242 and
# 5,495 at 4,096 bytes). The pipeline targets keep libFuzzer's default.
#
# Usage: fuzz/run.sh TARGET [SECONDS]   (needs `cargo install cargo-fuzz`)
# New inputs go to fuzz/corpus/TARGET (only seed-* files there are committed); a crash, OOM
# or timeout is written to fuzz/artifacts/TARGET/ and belongs, once fixed, in
# fuzz/regressions/TARGET/.
set -eu
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-300}
cd "$(dirname "$0")"
RUSTC_BOOTSTRAP=1 cargo fuzz build -O -s none "$target"
bin=${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/$target
mkdir -p "artifacts/$target"
case $target in
*_parse) set -- "-max_len=${MAX_LEN:-4096}" ;;
*) set -- ;;
esac
ulimit -v 4000000
exec "$bin" -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=20 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 "$@" "corpus/$target"

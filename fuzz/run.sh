#!/bin/sh
# Runs one fuzz target for SECONDS (default 300) with its memory bounded twice over, so a
# blow-up stops the run as a finding instead of making it slow: libFuzzer's own limits
# (-rss_limit_mb, -malloc_limit_mb: an input that needs more is reported as an OOM) and an
# address-space limit (ulimit -v) under which an oversized allocation aborts, which libFuzzer
# reports as a crash. ASan reserves terabytes of shadow address space and cannot start under
# ulimit -v, so these runs use a build without sanitizer (`-s none`); the crate forbids
# `unsafe`, which is what ASan would check.
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
ulimit -v 4000000
exec "$bin" -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=20 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 "corpus/$target"

#!/usr/bin/env bash
# Quality against effort (issue 13): waves (or % above the best known makespan) and seconds
# for a range of `--effort` values on the shipped default, a generated 10,000-service
# inventory, PSPLIB j30 (all 480) and j120 (the first ${J120_LIMIT:-30}).
#
#   scripts/effort-curve.sh [default] [10k] [j30] [j120]     (default: all four)
#
# The 10,000-service inventory comes from ../shared/tools/gen.py (python3); PSPLIB from
# ../shared/benchmarks (or WAVEPLAN_BENCH_DATA). Writes under ${BENCH_DIR:-/tmp/waveplan-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("${@:-default 10k j30 j120}")
read -r -a parts <<<"${parts[*]}"
out=${BENCH_DIR:-/tmp/waveplan-bench}
mkdir -p "$out"
cargo build --release -q
bin=target/release/waveplan

# One `waveplan plan` row: effort, waves, lower bound, split cost, schedules, seconds.
plan_row() {
  local effort=$1
  shift
  local plan="$out/curve.plan.yaml"
  /usr/bin/time -f '%e' -o "$out/curve.time" "$bin" plan "$@" --effort "$effort" -o "$plan" >/dev/null 2>&1
  printf '| %s | %s | %s | %s | %s |\n' "$effort" \
    "$(grep -m1 '^  waves:' "$plan" | awk '{print $2}')" \
    "$(grep -m1 'lower_bound_waves:' "$plan" | awk '{print $2}')" \
    "$(grep -m1 'split_cost:' "$plan" | awk '{print $2}')" \
    "$(cat "$out/curve.time")"
}

for part in "${parts[@]}"; do
  case $part in
    default)
      echo "### shipped default (waveplan plan --effort N)"
      printf '| effort | waves | lower bound | split cost | seconds |\n|---:|---:|---:|---:|---:|\n'
      for e in ${DEFAULT_EFFORTS:-1000 3000 10000 30000 100000}; do plan_row "$e"; done
      ;;
    10k)
      dir="$out/n10000-s1-no"
      [ -d "$dir/inventories" ] || python3 ../shared/tools/gen.py --seed 1 --services 10000 --out "$dir" >"$dir.gen.log" 2>&1
      echo "### gen.py --seed 1 --services 10000 (planted witness: $(grep -o 'witness_waves=[0-9]*' "$dir.gen.log" | cut -d= -f2) waves)"
      printf '| effort | waves | lower bound | split cost | seconds |\n|---:|---:|---:|---:|---:|\n'
      for e in ${GEN_EFFORTS:-30 100 300 1000 3000}; do
        plan_row "$e" -i "$dir/inventories" -s "$dir/plans/baseline.yaml"
      done
      ;;
    j30 | j120)
      limit=480
      efforts=${J30_EFFORTS:-1000 5000 20000 100000}
      if [ "$part" = j120 ]; then
        limit=${J120_LIMIT:-30}
        efforts=${J120_EFFORTS:-5000 20000 100000 1000000}
      fi
      echo "### PSPLIB $part (first $limit; cargo bench --bench quality -- --sets $part --limit $limit --effort N --time-limit 10)"
      printf '| effort | %% above best known | at best known | s/instance |\n|---:|---:|---:|---:|\n'
      for e in $efforts; do
        cargo bench -q --bench quality -- --sets "$part" --limit "$limit" --effort "$e" --time-limit 10 2>/dev/null |
          awk -v e="$e" '$1 != "set" { printf "| %s | %s | %s | %s |\n", e, $3, $5, $9 }'
      done
      ;;
  esac
done

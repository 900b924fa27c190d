#!/usr/bin/env bash
# Time and peak memory of `waveplan plan` (load included) on generated inventories, each plan
# checked by `waveplan verify` and by the independent ../shared/tools/verify.py, with waves
# compared to the generator's planted witness (an upper bound on the optimum).
#
#   scripts/bench-scale.sh [SIZES...]        default: 1000 10000 100000
#
# Needs python3 (the generator and checker are Python); writes under ${BENCH_DIR:-/tmp/waveplan-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=../shared/tools
out=${BENCH_DIR:-/tmp/waveplan-bench}
sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
cargo build --release -q
bin=target/release/waveplan
mkdir -p "$out"
printf '| services | seed | ramp | plan s | peak MiB | waves | lower bound | witness | scheduled | verify | verify.py |\n'
printf '|---:|---:|---|---:|---:|---:|---:|---:|---|---|---|\n'
for n in "${sizes[@]}"; do
  for seed in ${SEEDS:-1}; do
    for ramp in ${RAMPS:-no}; do
      dir="$out/n$n-s$seed-$ramp"
      flag=""; [ "$ramp" = yes ] && flag="--ramp"
      [ -d "$dir/inventories" ] || python3 "$tools/gen.py" --seed "$seed" --services "$n" --out "$dir" $flag >"$dir.gen.log" 2>&1
      witness=$(grep -o 'witness_waves=[0-9]*' "$dir.gen.log" | cut -d= -f2)
      plan="$dir/plan.yaml"
      /usr/bin/time -f '%e %M' -o "$dir.time" "$bin" plan -i "$dir/inventories" -s "$dir/plans/baseline.yaml" -o "$plan" >"$dir.plan.log" 2>&1 || true
      read -r secs kb <"$dir.time"
      waves=$(grep -m1 '^  waves:' "$plan" | awk '{print $2}')
      lb=$(grep -m1 'lower_bound_waves:' "$plan" | awk '{print $2}')
      sched=$(grep -m1 'services_scheduled:' "$plan" | awk '{print $2}')/$(grep -m1 'services_migrating:' "$plan" | awk '{print $2}')
      v=$("$bin" verify -i "$dir/inventories" -s "$dir/plans/baseline.yaml" "$plan" >/dev/null 2>&1 && echo ok || echo FAIL)
      vp=$(python3 "$tools/verify.py" "$dir/inventories" "$dir/plans/baseline.yaml" "$plan" 2>&1 | tail -1 | cut -c1-2)
      printf '| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |\n' "$n" "$seed" "$ramp" "$secs" $((kb / 1024)) "$waves" "$lb" "$witness" "$sched" "$v" "$vp"
    done
  done
done

#!/usr/bin/env bash
# Run waveplan and (cached) CP-SAT on every instance under /tmp/cpsat_cmp/inst and verify both plans.
#   run.sh [WAVEPLAN_BIN] [GLOB]
#   WAVEPLAN_BIN  default target/release/waveplan (re-run every time: point it at a newer build)
#   GLOB          instance-name glob under inst/, default '*' (e.g. 's*' for the small set)
# CP-SAT (--time-limit 20 --workers 2) runs only when DIR/cp.plan.yaml is missing; delete it to redo.
# Per instance it leaves: wp.plan.yaml wp.log wp.verify wp.time, cp.plan.yaml cp.log cp.verify.
# Then run: python3 /tmp/cpsat_cmp/table.py
set -uo pipefail
ROOT=${CPSAT_ROOT:-/tmp/cpsat_cmp}
WP=${1:-target/release/waveplan}
GLOB=${2:-*}
TOOLS=$(readlink -f "${WAVEPLAN_TOOLS:-../shared/tools}")
SCEN=plans/baseline.yaml
[[ -x $WP ]] || { echo "no executable $WP" >&2; exit 1; }
# snapshot the binary (the main tree may be rebuilt while this runs): bin/waveplan-<sha8>
mkdir -p "$ROOT/bin"
sha=$(sha256sum "$(readlink -f "$WP")" | cut -c1-8)
cp -p "$(readlink -f "$WP")" "$ROOT/bin/waveplan-$sha"
{ echo "binary: $WP"; echo "snapshot: $ROOT/bin/waveplan-$sha"; ls -l --time-style=full-iso "$(readlink -f "$WP")";
  sha256sum "$ROOT/bin/waveplan-$sha"; "$WP" --version 2>/dev/null; date -Is; } > "$ROOT/wp_binary.txt"
WP=$ROOT/bin/waveplan-$sha
for d in "$ROOT"/inst/$GLOB/; do
  d=${d%/}; name=$(basename "$d")
  [[ -f $d/$SCEN ]] || continue
  # waveplan
  t0=$(date +%s.%N)
  "$WP" plan -i "$d/inventories" -s "$d/$SCEN" -o "$d/wp.plan.yaml" > "$d/wp.log" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  printf 'rc=%s wall=%.2f\n' "$rc" "$(echo "$t1 - $t0" | bc)" > "$d/wp.time"
  python3 "$TOOLS/verify.py" "$d/inventories" "$d/$SCEN" "$d/wp.plan.yaml" > "$d/wp.verify" 2>&1
  # CP-SAT (cached)
  if [[ ! -s $d/cp.plan.yaml ]]; then
    python3 "$TOOLS/cpsat_plan.py" "$d/inventories" "$d/$SCEN" --time-limit 20 \
      --out "$d/cp.plan.yaml" --workers 2 > "$d/cp.log" 2>&1
    python3 "$TOOLS/verify.py" "$d/inventories" "$d/$SCEN" "$d/cp.plan.yaml" > "$d/cp.verify" 2>&1
  fi
  printf '%-12s wp[%s] %s | cp %s\n' "$name" "$(cat "$d/wp.time")" "$(tail -1 "$d/wp.verify")" "$(tail -1 "$d/cp.verify")"
done

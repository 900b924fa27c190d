#!/usr/bin/env bash
# Generate the comparison instances under /tmp/cpsat_cmp/inst/ (deterministic: same seeds, same files).
#  s<NNN>_<seed>[r] : small set, 20/30/40/60 requested services, via gen_small.py (gen.py with only
#                     K = max(4, N//8) departments, since gen.py itself never goes below ~106 services)
#  g<NNN>_<seed>[r] : unmodified gen.py, 100/150 requested services (its smallest sizes: ~106-150)
# Even seeds get --ramp (capacity.cutovers as a ramp). Every witness is checked (--check).
set -euo pipefail
ROOT=${CPSAT_ROOT:-/tmp/cpsat_cmp}
GEN=${WAVEPLAN_TOOLS:-../shared/tools}/gen.py
mkdir -p "$ROOT/inst"
for n in 20 30 40 60; do
  for s in 1 2 3 4 5 6 7 8; do
    r=""; ramp=""; if (( s % 2 == 0 )); then r="r"; ramp="--ramp"; fi
    d=$(printf '%s/inst/s%03d_%d%s' "$ROOT" "$n" "$s" "$r")
    [[ -f $d/plans/baseline.yaml ]] || python3 "$ROOT/gen_small.py" --seed "$s" --services "$n" --out "$d" $ramp --check | tr '\n' ' '; echo
  done
done
for n in 100 150; do
  for s in 1 2 3 4 5 6 7 8; do
    r=""; ramp=""; if (( s % 2 == 0 )); then r="r"; ramp="--ramp"; fi
    d=$(printf '%s/inst/g%03d_%d%s' "$ROOT" "$n" "$s" "$r")
    [[ -f $d/plans/baseline.yaml ]] || python3 "$GEN" --seed "$s" --services "$n" --out "$d" $ramp --check | tr '\n' ' '; echo
  done
done

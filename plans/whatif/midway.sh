#!/bin/sh
# Re-plans the shipped default half-way through, from the repository root:
#   sh plans/whatif/midway.sh [waveplan binary] [previous plan]
# Services whose previous cutover wave is before wave 18 are marked migrated (on the last
# day of that wave); services under way (started before wave 18, cutting over later) keep
# only their remaining waves. Then `plan --stable-against` keeps every other service in its
# previous wave where the rules allow, and reports what moved and why.
set -eu
bin=${1:-waveplan}
prev=${2:-plans/baseline.plan.yaml}
today_wave=18
sets=$(awk -v t="$today_wave" '
  /^services:/ { in_s = 1; next }
  /^[a-z]/ { in_s = 0 }
  in_s && $1 == "-" && $2 == "id:" { id = $3 }
  in_s && $1 == "start_wave:" { st = $2 }
  in_s && $1 == "cutover_wave:" {
    co = $2
    if (co < t) {
      # last day of wave co: 2019-01-07 + 14*co - 1 days, computed by date(1) below
      printf "M %s %d\n", id, co
    } else if (st < t) {
      printf "R %s %d\n", id, co - t + 1
    }
  }' "$prev")
args=""
echo "$sets" | while read -r kind id n; do
  [ -n "$kind" ] || continue
  if [ "$kind" = M ]; then
    day=$(date -u -d "2019-01-07 +$((14 * n - 1)) days" +%F)
    printf '%s\n' "--set" "services.\"$id\".status=migrated" "--set" "services.\"$id\".migrated_on=$day"
  else
    printf '%s\n' "--set" "services.\"$id\".duration_waves=$n"
  fi
done > /tmp/waveplan-midway.args
# shellcheck disable=SC2046
set -- $(cat /tmp/waveplan-midway.args)
rm -f /tmp/waveplan-midway.args
exec "$bin" plan -s plans/whatif/midway.yaml --stable-against "$prev" \
  -o plans/whatif/midway.plan.yaml "$@"

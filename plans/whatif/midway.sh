#!/bin/sh
# Re-plans the shipped default half-way through, from the repository root:
#   sh plans/whatif/midway.sh [waveplan binary] [previous plan]
# midway.yaml sets `calendar.today` to 2019-09-02 (wave 18). `--resume` derives the state at
# that day from the previous plan: services that cut over before wave 18 become `migrated`
# (on the last day of their cutover wave); services under way keep their remaining waves
# and the same share of their effort and data; every other service keeps its previous wave
# where the rules allow, and the summary says what moved and why. The derived overrides are
# recorded in the new plan, so `waveplan verify -s plans/whatif/midway.yaml` checks it as is.
set -eu
bin=${1:-waveplan}
prev=${2:-plans/baseline.plan.yaml}
exec "$bin" plan -s plans/whatif/midway.yaml --resume "$prev" -o plans/whatif/midway.plan.yaml

#!/usr/bin/env bash
# What `make demo` shows a newcomer: microseg run on the examples, with real output.
set -uo pipefail
exe=${1:-build/microseg}
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; echo "(exit $?)"; }
for policy in examples/clinic/policy.yaml examples/hospital/policy.yaml examples/health-system/policy.yaml; do
  [ -f "$policy" ] && step "$exe" check "$policy"
done
[ -f examples/broken/unknown-names.yaml ] && step "$exe" check examples/broken/unknown-names.yaml
exit 0

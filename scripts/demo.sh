#!/usr/bin/env bash
# What `make demo` shows a newcomer: microseg run on the examples, with real output.
set -uo pipefail
exe=${1:-build/microseg}
cd "$(dirname "$0")/.."
out=${DEMO_DIR:-build/demo}
mkdir -p "$out"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; echo "(exit $?)"; }

step "$exe" check examples/clinic/policy.yaml
step "$exe" check examples/health-system/policy.yaml --format json
step "$exe" check examples/broken/unknown-names.yaml
step "$exe" paths examples/hospital/policy.yaml --from clinical-workstation --to infusion-pump --all
step "$exe" compile examples/hospital/policy.yaml -o "$out/configs"
step "$exe" diff examples/hospital/policy.yaml --dir "$out/configs" --switch acc-icu-01
# A safe change for a switch that already runs a config (a real-looking IOS-XE running config).
step "$exe" plan tests/fixtures/cisco-ios/policy.yaml --switch acc-ios-01 tests/fixtures/cisco-ios/acc-ios-01.cfg -o "$out/plans"
step "$exe" placement examples/hospital/policy.yaml --inventory examples/hospital/inventory.csv --macs examples/hospital/macs
# What the traffic really seen says (a day's Zeek conn.log): a proposed flows: section, and
# what the policy would break of it.
step "$exe" learn examples/hospital/policy.yaml --flows examples/hospital/conn.log
step "$exe" simulate examples/hospital/policy.yaml --flows examples/hospital/conn.log
if [ "$(id -u)" -eq 0 ]; then
  step "$exe" verify examples/clinic/policy.yaml
else
  echo "(skipping 'microseg verify': it builds network namespaces and needs root)"
fi
exit 0

#!/usr/bin/env bash
# Runs every libFuzzer target of a MICROSEG_FUZZ build for SECONDS each, one at a time:
#   scripts/fuzz.sh BUILD_DIR SECONDS
# First replays the saved crashing inputs of tests/regressions/<target>/, then fuzzes from the
# seeds (BUILD_DIR/fuzz/seeds/<target>) and the growing corpus (BUILD_DIR/fuzz/corpus/<target>).
# Fails on any crash, sanitizer report, leak, hang (-timeout), or memory blow-up (-rss_limit_mb).
# A failing input is left in BUILD_DIR/fuzz/artifacts/<target>/; the log in BUILD_DIR/fuzz/logs/.
set -uo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz.sh BUILD_DIR SECONDS}
src=$(cd "$(dirname "$0")/.." && pwd)
limits=(-rss_limit_mb=2048 -timeout=20 -detect_leaks=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
shopt -s nullglob
for exe in "$build"/fuzz/fuzz_*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  name=${exe##*/fuzz_}
  corpus=$build/fuzz/corpus/$name
  artifacts=$build/fuzz/artifacts/$name/
  logs=$build/fuzz/logs
  mkdir -p "$corpus" "$artifacts" "$logs"
  regressions=("$src"/tests/regressions/"$name"/*)
  if [ ${#regressions[@]} -gt 0 ] &&
     ! "$exe" "${limits[@]}" "${regressions[@]}" </dev/null >"$logs/$name.replay.log" 2>&1; then
    echo "$name: a saved regression input fails again; see $logs/$name.replay.log"
    failed+=("$name"); continue
  fi
  dict=()
  [ -f "$build/fuzz/$name.dict" ] && dict=(-dict="$build/fuzz/$name.dict")
  "$exe" "${limits[@]}" "${dict[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "$build/fuzz/seeds/$name" </dev/null >"$logs/$name.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$name.log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$logs/$name.log" | tail -1)
  printf '%-18s %s, %s executions, %s\n' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" "${execs:-?}" "${cov:-?}"
  if [ $rc -ne 0 ]; then
    grep -E '^==[0-9]+==ERROR|runtime error|property failed|ALARM|out-of-memory|Test unit written' "$logs/$name.log" | head -5
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi

#!/usr/bin/env bash
# Fuzzes every import reader, the HTML-to-text converter, the Markdown renderer and the text
# analysis with libFuzzer (cargo-fuzz), one target after the other, SECONDS each, and fails when
# any target finds a crash, a timeout or an out-of-memory input (docs/fuzzing.md).
#
#   benches/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]    (default 60 s, all targets)
#
# Installs what it needs: a nightly toolchain (rustup, minimal profile) and cargo-fuzz. Where no
# nightly can be installed, the machine's stable toolchain builds the targets with
# RUSTC_BOOTSTRAP=1 (libFuzzer's instrumentation needs unstable compiler flags).
#
# Environment: FUZZ_JOBS (targets run at the same time, default 1), FUZZ_SANITIZER (default none: the crate forbids unsafe code, and without ASan a
# target runs about twice as many inputs; `address` for ASan on nightly), FUZZ_BUILD (`release`,
# the default, or `quick`: fuzz/Cargo.toml's dev profile, optimised only where the inputs go, which
# builds in a fraction of the time and runs the targets at a fraction of release speed — what CI
# can afford),
# FUZZ_NICE (default 10), FUZZ_ARGS (extra libFuzzer flags), DEBRIEF_SHARED_DATA (see fuzz/seed.sh).
#
# Findings land in fuzz/artifacts/<target>/ (crash-*, timeout-*, oom-*); the corpus grows in
# fuzz/corpus/<target>/ and is kept between runs. Both are ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-60}
shift || true
all_targets=(debrief pagerduty gcp statuspage cstate slack feed email csv html markdown analyze)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi
sanitizer=${FUZZ_SANITIZER:-none}
nice=(nice -n "${FUZZ_NICE:-10}")
started=$(date +%s)

# Toolchain: for a release build, nightly when there is one or it can be installed; otherwise
# (and always for a quick build, which is not worth a toolchain download) the active toolchain
# with RUSTC_BOOTSTRAP=1, which unlocks the instrumentation flags on stable.
use_stable() {
  toolchain=$(rustup show active-toolchain | cut -d' ' -f1)
  echo "building with $toolchain and RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  [ "$sanitizer" = none ] || { echo "FUZZ_SANITIZER=$sanitizer needs nightly"; exit 2; }
}
toolchain=nightly
if [ "${FUZZ_BUILD:-release}" = quick ]; then
  use_stable
elif ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal || use_stable
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  "${nice[@]}" cargo install cargo-fuzz --locked
fi
case "${FUZZ_BUILD:-release}" in
  release) profile_args=(--codegen-units 16); profile_dir=release ;;
  # fuzz/Cargo.toml's dev profile: optimised where the inputs go, unoptimised elsewhere.
  quick) profile_args=(--dev); profile_dir=debug ;;
  *) echo "FUZZ_BUILD must be release or quick"; exit 2 ;;
esac

# One build for all targets (cargo-fuzz builds one named target or all of them). Release with
# debug assertions and overflow checks; 16 codegen units build the large library crate on both
# cores at a small cost in speed.
build_args=()
[ ${#targets[@]} -eq 1 ] && build_args=("${targets[0]}")
build_started=$(date +%s)
"${nice[@]}" cargo "+$toolchain" fuzz build --sanitizer "$sanitizer" "${profile_args[@]}" "${build_args[@]}"
build_secs=$(( $(date +%s) - build_started ))
bin_dir="$root/fuzz/target/x86_64-unknown-linux-gnu/$profile_dir"

bash fuzz/seed.sh "${targets[@]}"

dict_for() {
  case "$1" in
    debrief | pagerduty | gcp | statuspage | slack) echo json ;;
    feed) echo xml ;;
    *) echo "$1" ;;
  esac
}

# One target: runs it, then leaves its one-line summary in fuzz/artifacts/<target>.summary and,
# when it found something, a fuzz/artifacts/<target>.failed marker.
run_target() {
  local t=$1
  local corpus="$root/fuzz/corpus/$t" artifacts="$root/fuzz/artifacts/$t"
  local log="$root/fuzz/artifacts/$t.log" summary="$root/fuzz/artifacts/$t.summary"
  mkdir -p "$corpus" "$artifacts"
  rm -f "$root/fuzz/artifacts/$t.failed"
  local before dict dict_arg=() rc=0 execs new line
  before=$(find "$artifacts" -type f | sort)
  dict="$root/fuzz/dicts/$(dict_for "$t").dict"
  [ -f "$dict" ] && dict_arg=("-dict=$dict")
  echo "== $t: ${secs}s"
  # shellcheck disable=SC2086
  "${nice[@]}" "$bin_dir/$t" "$corpus" "${dict_arg[@]}" \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  new=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | sed '/^$/d')
  line="$t: ${secs}s, ${execs:-?} executions, corpus $(find "$corpus" -type f | wc -l) files"
  if [ "$rc" -ne 0 ] || [ -n "$new" ]; then
    touch "$root/fuzz/artifacts/$t.failed"
    line="$line, FAILED (exit $rc)"
    {
      echo "-- $t failed; the end of its log ($log):"
      tail -n 40 "$log"
      for a in $new; do
        echo "artifact: $a"
        echo "reproduce: $bin_dir/$t $a"
      done
    } >&2
  fi
  echo "$line" | tee "$summary"
}

# FUZZ_JOBS targets at a time (default 1); libFuzzer runs one process per target, so two jobs
# keep both cores of a CI machine busy.
jobs_max=${FUZZ_JOBS:-1}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  run_target "$t" &
done
wait

failed=()
summary=()
for t in "${targets[@]}"; do
  summary+=("$(cat "$root/fuzz/artifacts/$t.summary")")
  [ -e "$root/fuzz/artifacts/$t.failed" ] && failed+=("$t")
done

echo
echo "== fuzzing summary (build ${build_secs}s, total $(( $(date +%s) - started ))s)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "targets with findings: ${failed[*]}"
  exit 1
fi
echo "no crashes, timeouts or out-of-memory inputs"

#!/usr/bin/env bash
# Fills fuzz/corpus/<target> with seed inputs: the small inputs kept in fuzz/seeds/<target>
# (taken from the readers' unit tests), the saved regression inputs, and, at run time only, the
# real files of the shared data set (never copied into the repository).
#
#   fuzz/seed.sh [target...]      (all targets when none is named)
#
# DEBRIEF_SHARED_DATA points at the shared data folder (default: ../shared/data beside the
# repository). Missing sources are skipped with a note; seeding never fails a run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/fuzz"
shared="${DEBRIEF_SHARED_DATA:-$root/../shared/data}"
real="$shared/real"

all_targets=(debrief pagerduty gcp statuspage cstate slack feed email csv html markdown analyze)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

# copy TARGET PREFIX FILE... : copies files (not folders) into the target's corpus.
copy() {
  local target=$1 prefix=$2
  shift 2
  local dir="$fuzz/corpus/$target" n=0
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp -f "$f" "$dir/$prefix-$(basename "$f")"
    n=$((n + 1))
  done
  [ "$n" -eq 0 ] || echo "  $target: $n from $prefix"
}

# jsonl_texts TARGET PREFIX FILE... : one corpus file per "text" field of JSON-lines files.
jsonl_texts() {
  local target=$1 prefix=$2
  shift 2
  command -v python3 >/dev/null || { echo "  $target: python3 missing, $prefix skipped"; return; }
  mkdir -p "$fuzz/corpus/$target"
  python3 - "$fuzz/corpus/$target" "$prefix" "$@" <<'PY'
import json, os, sys
out, prefix, files = sys.argv[1], sys.argv[2], sys.argv[3:]
n = 0
for path in files:
    if not os.path.isfile(path):
        continue
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            try:
                text = json.loads(line).get("text")
            except (ValueError, AttributeError):
                continue
            if isinstance(text, str) and text:
                with open(os.path.join(out, f"{prefix}-{os.path.basename(path)}-{i}"), "w", encoding="utf-8") as o:
                    o.write(text)
                n += 1
if n:
    print(f"  {os.path.basename(out)}: {n} from {prefix}")
PY
}

[ -d "$real" ] || echo "note: $real not found; seeding without the real data"
shopt -s nullglob
for t in "${targets[@]}"; do
  mkdir -p "$fuzz/corpus/$t"
  copy "$t" seed "$fuzz/seeds/$t"/*
  copy "$t" regression "$root/tests/fuzz-regressions/$t"/*
  case "$t" in
    statuspage) copy "$t" real "$real"/statuspage/github_incidents/*.json ;;
    cstate) copy "$t" real "$real"/cstate_de_schullogin/*.md ;;
    markdown)
      copy "$t" real "$real"/cstate_de_schullogin/*.md "$real"/statuspage/small/*.md
      copy "$t" docs "$root"/docs/*.md "$root"/README.md
      ;;
    html)
      copy "$t" templates "$root"/templates/*.html "$root"/templates/*/*.html
      copy "$t" fixtures "$root"/tests/fixtures/svg/*.svg
      ;;
    analyze)
      jsonl_texts "$t" labelled "$shared"/labelled_messages.jsonl
      jsonl_texts "$t" fixtures "$root"/tests/fixtures/sentiment/*.jsonl
      ;;
  esac
done

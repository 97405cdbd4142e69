#!/usr/bin/env bash
# LSP keystroke latency of two server builds, in alternating single runs of the latency harness
# (A, B, A, B, ...), so both see the same minutes of a noisy machine. Prints each run and the
# medians of p50 / p95 / p99 and of the file's clean parse.
#
#   bash bench/lsp-ab.sh LABEL_A=/path/to/clerkguard LABEL_B=/path/to/clerkguard
#
# Environment: ROUNDS (5), EDITS (100), PAUSE_MS (50), WORKSPACE (the generated 5,000-file app,
# default $TMPDIR/clerkguard-bench-apps/app-5000, made by bench/targets.sh or `xtask gen-app`),
# CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 LABEL_A=BINARY LABEL_B=BINARY" >&2; exit 2; }
ROUNDS=${ROUNDS:-5}
EDITS=${EDITS:-100}
PAUSE_MS=${PAUSE_MS:-50}
TARGET=${CARGO_TARGET_DIR:-target}
WORKSPACE=${WORKSPACE:-${TMPDIR:-/tmp}/clerkguard-bench-apps/app-5000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$ROUNDS"); do
  for server in "$1" "$2"; do
    label=${server%%=*}
    "$TARGET/release/xtask" lsp-bench --workspace "$WORKSPACE" --server "$label=${server#*=} lsp" \
      --runs 1 --edits "$EDITS" --pause-ms "$PAUSE_MS" 2>&1 | grep -E "^$label run 1: " \
      | sed "s/^$label run 1: /$label\t/" >> "$out" || true
    tail -1 "$out" | python3 -c '
import json, sys
label, run = sys.stdin.read().split("\t", 1)
d = json.loads(run)
l, parse = d["latency_ms"], d["parse_ms"]["clean_median"]
print("%12s  p50 %6.2f  p95 %6.2f  p99 %6.2f  parse %5.2f ms" % (label, l["p50"], l["p95"], l["p99"], parse))'
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, run = line.split("\t", 1)
    runs.setdefault(label, []).append(json.loads(run))
print("medians over runs:")
for label, rs in runs.items():
    m = lambda f: statistics.median(f(r) for r in rs)
    print(f"{label:>12}  p50 {m(lambda r: r['latency_ms']['p50']):6.2f}  p95 {m(lambda r: r['latency_ms']['p95']):6.2f}"
          f"  p99 {m(lambda r: r['latency_ms']['p99']):6.2f}  parse {m(lambda r: r['parse_ms']['clean_median']):5.2f} ms  ({len(rs)} runs)")
PY

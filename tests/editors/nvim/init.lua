-- Init file for the headless Neovim e2e runs (tests/editors/run.sh).
-- env: EDITORS_DIR (repo's editors/), CLERKGUARD_BIN, NVIM_METHOD:
--   lsp-config    0.11+: lsp/clerkguard.lua + vim.lsp.enable(), no setup() (the README's way)
--   auto|start|start_client   require('clerkguard').setup({ method = ... })
vim.o.swapfile = false
vim.o.shadafile = 'NONE'
vim.opt.runtimepath:prepend(os.getenv('EDITORS_DIR') .. '/neovim')
vim.lsp.set_log_level(os.getenv('NVIM_LSP_LOG_LEVEL') or 'WARN')

local bin = os.getenv('CLERKGUARD_BIN')
local method = os.getenv('NVIM_METHOD') or 'auto'
if method == 'lsp-config' then
  vim.lsp.config('clerkguard', { cmd = { bin, 'lsp' } })
  vim.lsp.enable('clerkguard')
else
  require('clerkguard').setup({ path = bin, method = method })
end

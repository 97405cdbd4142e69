-- clerkguard language server config for Neovim 0.11+ (`:help lsp-config`).
--
-- With this directory on 'runtimepath' (any plugin manager does that) enable it with:
--   vim.lsp.enable('clerkguard')
-- and override any field with vim.lsp.config('clerkguard', { ... }), e.g.
--   vim.lsp.config('clerkguard', { cmd = { '/path/to/clerkguard', 'lsp' } })
--   vim.lsp.config('clerkguard', { settings = { clerkguard = { run = 'onSave' } } })
--
-- This file is self-contained: copying it to ~/.config/nvim/lsp/clerkguard.lua works too.

-- Code files are attached by filetype; package.json, clerkguard.json and .env* files are
-- attached by name only (the server reads them, but other JSON/shell files are none of its
-- business).
local code_filetypes = {
  javascript = true,
  javascriptreact = true,
  typescript = true,
  typescriptreact = true,
}
local root_markers = { 'clerkguard.json', 'package.json' }

local function wants(bufnr)
  local ft = vim.bo[bufnr].filetype
  if code_filetypes[ft] then
    return true
  end
  local name = vim.fs.basename(vim.api.nvim_buf_get_name(bufnr))
  return name == 'package.json' or name == 'clerkguard.json' or name:match('^%.env') ~= nil
end

---@type vim.lsp.Config
return {
  cmd = { 'clerkguard', 'lsp' },
  filetypes = {
    'javascript',
    'javascriptreact',
    'typescript',
    'typescriptreact',
    'json',
    'jsonc',
    'sh',
    'conf',
    'dotenv',
  },
  root_markers = root_markers,
  -- Only start for the files above; the root is the nearest clerkguard.json / package.json.
  root_dir = function(bufnr, on_dir)
    if not wants(bufnr) then
      return
    end
    on_dir(vim.fs.root(bufnr, root_markers) or vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h'))
  end,
  -- The server's settings. Sent as `initializationOptions` (see before_init) and, nested
  -- under `clerkguard`, through workspace/didChangeConfiguration and workspace/configuration.
  settings = {
    clerkguard = {
      enable = true,
      run = 'onType', -- 'onType' | 'onSave'
      diagnostics = { scope = 'workspace' }, -- 'workspace' | 'openFiles'
      configPath = vim.NIL, -- path to a clerkguard.json; nil = the project's own
      rules = vim.empty_dict(), -- e.g. { ['auth-not-awaited'] = 'warn' }
    },
  },
  before_init = function(params, config)
    params.initializationOptions = (config.settings or {}).clerkguard
  end,
}

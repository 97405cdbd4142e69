-- clerkguard for Neovim 0.7+.
--
--   require('clerkguard').setup({ ... })     -- options: M.defaults below
--
-- Docs: editors/neovim/README.md. Starts the server the way the running Neovim supports best:
--   0.11+      vim.lsp.config('clerkguard', ...) + vim.lsp.enable('clerkguard') (uses lsp/clerkguard.lua)
--   0.8-0.10   vim.lsp.start() from a FileType autocommand
--   0.7        vim.lsp.start_client() + vim.lsp.buf_attach_client() (Debian 12 ships 0.7.2)
-- and adds :ClerkguardFixAll, :ClerkguardRoutes and :ClerkguardRestart (plugin/clerkguard.lua).

local M = {}
local uv = vim.uv or vim.loop

M.name = 'clerkguard'
M.fix_all_kind = 'source.fixAll.clerkguard'

M.defaults = {
  -- Path to the clerkguard binary (default: `clerkguard` on $PATH). Ignored when `cmd` is set.
  path = nil,
  -- Full command line of the server; default { path, 'lsp' }.
  cmd = nil,
  -- The server's settings (mirrors the VS Code extension's `clerkguard.*` settings).
  settings = {
    enable = true,
    run = 'onType', -- 'onType' | 'onSave'
    diagnostics = { scope = 'workspace' }, -- 'workspace' | 'openFiles'
    configPath = nil, -- path to a clerkguard.json; nil = the project's own
    rules = {}, -- { ['rule-id'] = 'off' | 'hint' | 'warn' | 'error' }
  },
  -- 'auto' | 'config' (0.11+) | 'start' (0.8+) | 'start_client' (0.7+)
  method = 'auto',
  -- Apply the safe fixes (source.fixAll.clerkguard) before each :write.
  fix_all_on_save = false,
  -- Called as on_attach(client, bufnr) when the server attaches to a buffer.
  on_attach = nil,
  -- Milliseconds to wait for the server in synchronous requests (fix-all, fix on save).
  timeout_ms = 3000,
}

local code_filetypes = { 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' }
-- Non-code files the server reads; attached by name, never by filetype alone.
local extra_filetypes = { 'json', 'jsonc', 'sh', 'conf', 'dotenv' }
M.filetypes = vim.list_extend(vim.deepcopy(code_filetypes), extra_filetypes)
M.root_markers = { 'clerkguard.json', 'package.json' }

local opts = vim.deepcopy(M.defaults)
local clients_by_root = {} -- 0.7 only: root_dir -> client id

local function notify(msg, level)
  vim.notify('clerkguard: ' .. msg, level or vim.log.levels.INFO)
end

local function has(feature)
  return vim.fn.has(feature) == 1
end

--- Whether the server should look at this buffer.
function M.wants(bufnr)
  if vim.bo[bufnr].buftype ~= '' then
    return false
  end
  local ft = vim.bo[bufnr].filetype
  if vim.tbl_contains(code_filetypes, ft) then
    return true
  end
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t')
  return name == 'package.json' or name == 'clerkguard.json' or name:match('^%.env') ~= nil
end

--- Nearest directory above the buffer's file holding clerkguard.json or package.json.
function M.find_root(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr or 0)
  if file == '' then
    return uv.cwd()
  end
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local start = dir
  while true do
    for _, marker in ipairs(M.root_markers) do
      if uv.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return start
    end
    dir = parent
  end
end

--- The settings object sent to the server (JSON-ready: empty maps stay objects, nil is dropped).
function M.server_settings(settings)
  local s = vim.deepcopy(settings or opts.settings)
  if s.rules == nil or next(s.rules) == nil then
    s.rules = vim.empty_dict()
  end
  return s
end

function M.binary()
  if opts.cmd then
    return opts.cmd[1]
  end
  if opts.path then
    return opts.path
  end
  -- 0.11+ without setup(): whatever vim.lsp.config('clerkguard', { cmd = ... }) says.
  if vim.lsp.config then
    local ok, config = pcall(function()
      return vim.lsp.config[M.name]
    end)
    if ok and config and type(config.cmd) == 'table' and config.cmd[1] then
      return config.cmd[1]
    end
  end
  return 'clerkguard'
end

function M.cmd()
  return opts.cmd or { M.binary(), 'lsp' }
end

local function on_attach(client, bufnr)
  if opts.on_attach then
    opts.on_attach(client, bufnr)
  end
end

--- Shared client config for vim.lsp.start / start_client.
local function client_config(root)
  local settings = M.server_settings()
  return {
    name = M.name,
    cmd = M.cmd(),
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = settings,
    settings = { clerkguard = settings },
    on_attach = on_attach,
  }
end

local function get_clients(filter)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  -- 0.7 - 0.9
  local out = {}
  local all = filter and filter.bufnr and vim.lsp.buf_get_clients(filter.bufnr) or vim.lsp.get_active_clients()
  for _, c in pairs(all) do
    if not filter or not filter.name or c.name == filter.name then
      table.insert(out, c)
    end
  end
  return out
end

--- The clerkguard client attached to bufnr, if any.
function M.get_client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return get_clients({ bufnr = bufnr, name = M.name })[1]
end

local function request_sync(client, method, params, bufnr)
  if has('nvim-0.11') then
    return client:request_sync(method, params, opts.timeout_ms, bufnr)
  end
  return client.request_sync(method, params, opts.timeout_ms, bufnr)
end

-- Attach strategies -----------------------------------------------------------------------------

local attach = {}

function attach.config(bufnr)
  -- vim.lsp.enable() attaches through its own FileType autocommand (group nvim.lsp.enable).
  pcall(vim.api.nvim_exec_autocmds, 'FileType', { group = 'nvim.lsp.enable', buffer = bufnr })
end

function attach.start(bufnr)
  if not M.wants(bufnr) then
    return
  end
  vim.lsp.start(client_config(M.find_root(bufnr)), { bufnr = bufnr })
end

function attach.start_client(bufnr)
  if not M.wants(bufnr) then
    return
  end
  local root = M.find_root(bufnr)
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      notify('could not start ' .. table.concat(M.cmd(), ' '), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function resolve_method(method)
  if method == nil or method == 'auto' then
    if vim.lsp.config and vim.lsp.enable then
      return 'config'
    elseif vim.lsp.start then
      return 'start'
    end
    return 'start_client'
  end
  return method
end

local function loaded_buffers()
  local out = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) then
      table.insert(out, b)
    end
  end
  return out
end

-- Public API ------------------------------------------------------------------------------------

function M.setup(user)
  opts = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), user or {})
  if user and user.settings and user.settings.rules then
    opts.settings.rules = user.settings.rules
  end
  opts.method = resolve_method(opts.method)
  if vim.fn.executable(M.binary()) ~= 1 then
    notify(
      ('server binary %q not found; set `path` in setup() or put clerkguard on $PATH'):format(M.binary()),
      vim.log.levels.WARN
    )
  end

  local group = vim.api.nvim_create_augroup('clerkguard', { clear = true })
  if opts.method == 'config' then
    local config = {
      cmd = M.cmd(),
      settings = { clerkguard = M.server_settings() },
      on_attach = on_attach,
    }
    if #vim.api.nvim_get_runtime_file('lsp/clerkguard.lua', false) == 0 then
      -- lsp/clerkguard.lua is not on 'runtimepath': give the essentials here.
      config.filetypes = M.filetypes
      config.root_dir = function(bufnr, on_dir)
        if M.wants(bufnr) then
          on_dir(M.find_root(bufnr))
        end
      end
      config.before_init = function(params, c)
        params.initializationOptions = c.settings.clerkguard
      end
    end
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
  else
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = M.filetypes,
      callback = function(args)
        attach[opts.method](args.buf)
      end,
    })
  end
  -- Buffers opened before setup() ran (e.g. `nvim file.ts -c 'lua ...'`).
  if opts.method ~= 'config' or vim.v.vim_did_enter == 1 then
    for _, b in ipairs(loaded_buffers()) do
      if M.wants(b) and not M.get_client(b) then
        attach[opts.method](b)
      end
    end
  end

  if opts.fix_all_on_save then
    vim.api.nvim_create_autocmd('BufWritePre', {
      group = group,
      callback = function(args)
        if M.get_client(args.buf) then
          M.fix_all(args.buf, { quiet = true })
        end
      end,
    })
  end
  return opts
end

--- The options in effect (after setup()).
function M.options()
  return opts
end

local function apply_action(client, action, bufnr)
  if not action.edit and not action.command and action.data ~= nil then
    local ok, resolved = pcall(request_sync, client, 'codeAction/resolve', action, bufnr)
    if ok and resolved and resolved.result then
      action = resolved.result
    end
  end
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  end
  local command = type(action.command) == 'table' and action.command or (type(action.command) == 'string' and action)
  if command then
    request_sync(client, 'workspace/executeCommand', { command = command.command, arguments = command.arguments }, bufnr)
  end
  return action.edit ~= nil or command ~= nil
end

--- Apply all safe fixes in a buffer.
--- opts.via = 'action' (default: the source.fixAll.clerkguard code action, falling back to the
--- command) | 'command' (workspace/executeCommand clerkguard.fixAll, the server applies the edit).
function M.fix_all(bufnr, o)
  o = o or {}
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.get_client(bufnr)
  if not client then
    if not o.quiet then
      notify('the server is not attached to this buffer', vim.log.levels.WARN)
    end
    return false
  end
  local uri = vim.uri_from_bufnr(bufnr)
  if o.via ~= 'command' then
    local last = math.max(vim.api.nvim_buf_line_count(bufnr) - 1, 0)
    local params = {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } },
      context = { only = { M.fix_all_kind }, diagnostics = {} },
    }
    local res = request_sync(client, 'textDocument/codeAction', params, bufnr)
    for _, action in ipairs(res and res.result or {}) do
      if action.kind == M.fix_all_kind or action.command == 'clerkguard.fixAll' then
        return apply_action(client, action, bufnr)
      end
    end
  end
  local res, err = request_sync(client, 'workspace/executeCommand', { command = 'clerkguard.fixAll', arguments = { uri } }, bufnr)
  if not res or res.err then
    if not o.quiet then
      notify('fix-all failed: ' .. vim.inspect(res and res.err or err), vim.log.levels.ERROR)
    end
    return false
  end
  return true
end

--- Run `clerkguard routes --format markdown` for the project and show it in a scratch buffer.
function M.routes(root)
  root = root or M.find_root(vim.api.nvim_get_current_buf())
  local bin = M.binary()
  local lines
  if vim.fn.executable(bin) ~= 1 then
    lines = { '# clerkguard routes', '', ('The clerkguard binary `%s` was not found.'):format(bin) }
    notify(('binary %q not found'):format(bin), vim.log.levels.ERROR)
  else
    local stdout, stderr = {}, {}
    local job = vim.fn.jobstart({ bin, 'routes', root, '--format', 'markdown' }, {
      stdin = 'null',
      stdout_buffered = true,
      stderr_buffered = true,
      on_stdout = function(_, data)
        stdout = data
      end,
      on_stderr = function(_, data)
        stderr = data
      end,
    })
    local code = vim.fn.jobwait({ job }, 30000)[1]
    if code == -1 then
      vim.fn.jobstop(job)
    end
    local err = table.concat(stderr, '\n')
    if code == 0 then
      lines = stdout
      if lines[#lines] == '' then
        table.remove(lines)
      end
    elseif err:match('unrecognized subcommand') or err:match('unexpected argument') or err:match('invalid value') then
      lines = {
        '# clerkguard routes',
        '',
        ('`clerkguard routes` is not available in this clerkguard build (%s).'):format(bin),
        'Update clerkguard to get the route protection map.',
      }
      notify('`clerkguard routes` is not available in this clerkguard build', vim.log.levels.WARN)
    else
      local why = code == -1 and 'timed out after 30 s' or ('exit status %s'):format(code)
      lines = { '# clerkguard routes', '', ('`clerkguard routes` failed (%s):'):format(why), '' }
      vim.list_extend(lines, stderr)
      notify('`clerkguard routes` failed, see the buffer', vim.log.levels.ERROR)
    end
  end
  vim.cmd('botright new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  pcall(vim.api.nvim_buf_set_name, buf, 'clerkguard://routes')
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = 'markdown'
  return buf
end

--- Stop the server(s) and attach the loaded buffers again.
function M.restart()
  local clients = get_clients({ name = M.name })
  for _, c in ipairs(clients) do
    if has('nvim-0.11') then
      c:stop()
    else
      c.stop()
    end
  end
  clients_by_root = {}
  vim.wait(3000, function()
    return #get_clients({ name = M.name }) == 0
  end, 50)
  -- Without setup() (0.11+: lsp/clerkguard.lua + vim.lsp.enable) the method is still 'auto'.
  local method = resolve_method(opts.method)
  for _, b in ipairs(loaded_buffers()) do
    if M.wants(b) then
      attach[method](b)
    end
  end
end

return M

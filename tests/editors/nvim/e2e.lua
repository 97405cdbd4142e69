-- Headless Neovim end-to-end test of clerkguard (Neovim 0.7 → 0.11+).
--   nvim --headless -n -i NONE -u tests/editors/nvim/init.lua -c 'luafile tests/editors/nvim/e2e.lua'
-- env: FIXTURE (project dir made by tests/editors/fixture.sh), E2E_TIMEOUT_MS (default 20000).
-- Prints one "ok - <case>" / "not ok - <case>: <why>" line per case (run.sh counts them) and
-- exits non-zero when a case failed.
local fixture = assert(os.getenv('FIXTURE'), 'FIXTURE not set')
local timeout = tonumber(os.getenv('E2E_TIMEOUT_MS') or '20000')
local cg = require('clerkguard')
local results = os.getenv('E2E_RESULTS') and io.open(os.getenv('E2E_RESULTS'), 'a')
local out = function(s)
  io.stdout:write('\n' .. s .. '\n')
  if results and not s:match('^#') then
    results:write(s:gsub('\n.*', '') .. '\n')
    results:flush()
  end
end
-- Headless Neovim turns ERROR notifications into exceptions; record them instead.
vim.notify = function(msg, level)
  io.stdout:write(('\n# notify(%s): %s\n'):format(tostring(level), tostring(msg)))
end
local has08 = vim.fn.has('nvim-0.8') == 1
local v = vim.version()
out(('# nvim %d.%d.%d, method=%s, vim.lsp.start=%s, vim.lsp.config=%s'):format(
  v.major, v.minor, v.patch, os.getenv('NVIM_METHOD') or 'auto',
  tostring(vim.lsp.start ~= nil), tostring(vim.lsp.config ~= nil)))

local failed, passed = 0, 0
local function case(name, fn)
  local ok, err = xpcall(fn, function(e)
    return tostring(e)
  end)
  if ok then
    passed = passed + 1
    out('ok - ' .. name)
  else
    failed = failed + 1
    out('not ok - ' .. name .. ': ' .. tostring(err):gsub('\n', '\n#   '))
  end
end

local function fail(fmt, ...)
  error(fmt:format(...), 0)
end

local function wait_for(what, pred)
  if not vim.wait(timeout, pred, 50) then
    fail('timed out after %d ms waiting for %s', timeout, what)
  end
end

local function lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function open(rel)
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/' .. rel))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for('clerkguard to attach to ' .. rel, function()
    return cg.get_client(bufnr) ~= nil
  end)
  return bufnr, cg.get_client(bufnr)
end

local function code_of(d)
  local c = d.code
  if c == nil and d.user_data and d.user_data.lsp then
    c = d.user_data.lsp.code
  end
  return c and tostring(c)
end

local function clerk_diags(bufnr, code)
  local res = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'clerkguard' and (code == nil or code_of(d) == code) then
      table.insert(res, d)
    end
  end
  return res
end

local function describe(bufnr)
  local s = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(s, ('%d:%d [%s] %s (%s)'):format(d.lnum + 1, d.col + 1, tostring(code_of(d)), d.message, tostring(d.source)))
  end
  return #s == 0 and '(no diagnostics)' or table.concat(s, '; ')
end

local function wait_diag(bufnr, code)
  if not vim.wait(timeout, function()
    return #clerk_diags(bufnr, code) > 0
  end, 50) then
    fail('no clerkguard %s diagnostic within %d ms; buffer has: %s', code, timeout, describe(bufnr))
  end
  return clerk_diags(bufnr, code)[1]
end

-- The diagnostic as the server sent it (with `data`), for codeAction.context.diagnostics.
local function raw_lsp_diag(bufnr, d)
  if has08 then
    return d.user_data.lsp
  end
  for _, ld in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum)) do
    if tostring(ld.code) == code_of(d) then
      return ld
    end
  end
  fail('could not map diagnostic back to LSP form')
end

local function request(client, bufnr, method, params)
  local res, err
  if vim.fn.has('nvim-0.11') == 1 then
    res, err = client:request_sync(method, params, timeout, bufnr)
  else
    res, err = client.request_sync(method, params, timeout, bufnr)
  end
  if not res then
    fail('%s: no response (%s)', method, tostring(err))
  end
  if res.err then
    fail('%s: error %s', method, vim.inspect(res.err))
  end
  return res.result
end

local function quickfixes(bufnr, client, d)
  local raw = raw_lsp_diag(bufnr, d)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = raw.range,
    context = { diagnostics = { raw }, only = { 'quickfix' } },
  }
  return request(client, bufnr, 'textDocument/codeAction', params) or {}
end

local function apply(client, bufnr, action)
  if not action.edit and not action.command then
    action = request(client, bufnr, 'codeAction/resolve', action)
  end
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  end
  local cmd = type(action.command) == 'table' and action.command or nil
  if cmd then
    request(client, bufnr, 'workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments })
  end
end

local function titles(actions)
  local t = {}
  for _, a in ipairs(actions) do
    table.insert(t, ('[%s%s] %s'):format(tostring(a.kind), a.isPreferred and ', preferred' or '', a.title))
  end
  return #t == 0 and '(none)' or table.concat(t, '; ')
end

local function the_fix(actions, code)
  for _, a in ipairs(actions) do
    if a.kind == 'quickfix' and not a.title:match('^Ignore') and a.isPreferred then
      return a
    end
  end
  fail('no preferred quick-fix for %s among: %s', code, titles(actions))
end

local function expect_lines(bufnr, want)
  local got = lines(bufnr)
  if table.concat(got, '\n') ~= table.concat(want, '\n') then
    fail('buffer text after the fix:\n%s\n--- expected:\n%s', table.concat(got, '\n'), table.concat(want, '\n'))
  end
end

local function wait_gone(bufnr, code)
  if not vim.wait(timeout, function()
    return #clerk_diags(bufnr, code) == 0
  end, 50) then
    fail('%s still reported after the fix: %s', code, describe(bufnr))
  end
end

-- Fix-all leaves: no suppression comment, every auth() awaited, the rest intact.
local function check_fixed_all(bufnr)
  local text = table.concat(lines(bufnr), '\n')
  local problems = {}
  if text:find('clerkguard%-ignore%-next%-line') then
    table.insert(problems, 'the unused suppression comment is still there')
  end
  for l in text:gmatch('[^\n]+') do
    if l:find('auth%(%)') and not l:find('await auth%(%)') then
      table.insert(problems, 'auth() not awaited in: ' .. l)
    end
  end
  if not text:find('export const x = 1;', 1, true) then
    table.insert(problems, 'export const x = 1; was lost')
  end
  local _, awaited = text:gsub('await auth%(%)', '')
  if awaited ~= 2 then
    table.insert(problems, ('expected 2 awaited auth() calls, found %d'):format(awaited))
  end
  if #problems > 0 then
    fail('%s\n--- buffer:\n%s', table.concat(problems, '; '), text)
  end
end

-- Cases -----------------------------------------------------------------------------------------

local actions_bufnr, actions_client, not_awaited_actions

case('diagnostics: auth-not-awaited reported in app/actions.ts', function()
  actions_bufnr, actions_client = open('app/actions.ts')
  local d = wait_diag(actions_bufnr, 'auth-not-awaited')
  if d.lnum ~= 3 then
    fail('expected the diagnostic on line 4, got line %d', d.lnum + 1)
  end
end)

case('quick-fix: auth-not-awaited inserts `await`', function()
  local d = clerk_diags(actions_bufnr, 'auth-not-awaited')[1] or fail('no diagnostic (previous case failed)')
  not_awaited_actions = quickfixes(actions_bufnr, actions_client, d)
  apply(actions_client, actions_bufnr, the_fix(not_awaited_actions, 'auth-not-awaited'))
  expect_lines(actions_bufnr, {
    '"use server";',
    'import { auth } from "@clerk/nextjs/server";',
    'export async function save() {',
    '  const { userId } = await auth();',
    '  return userId;',
    '}',
  })
  wait_gone(actions_bufnr, 'auth-not-awaited')
end)

case('code actions: "Ignore auth-not-awaited for this line" offered', function()
  for _, a in ipairs(not_awaited_actions or {}) do
    if a.title:match('^Ignore auth%-not%-awaited') then
      return
    end
  end
  fail('not among: %s', titles(not_awaited_actions or {}))
end)

case('quick-fix: suppression-unused removes the comment (lib/flags.ts)', function()
  local bufnr, client = open('lib/flags.ts')
  local d = wait_diag(bufnr, 'suppression-unused')
  apply(client, bufnr, the_fix(quickfixes(bufnr, client, d), 'suppression-unused'))
  expect_lines(bufnr, { 'export const x = 1;' })
  wait_gone(bufnr, 'suppression-unused')
end)

case(':ClerkguardFixAll (source.fixAll.clerkguard) fixes app/fixall_action.ts', function()
  local bufnr = open('app/fixall_action.ts')
  wait_diag(bufnr, 'auth-not-awaited')
  wait_diag(bufnr, 'suppression-unused')
  vim.cmd('ClerkguardFixAll')
  check_fixed_all(bufnr)
  wait_gone(bufnr, 'auth-not-awaited')
end)

case('clerkguard.fixAll command (workspace/applyEdit) fixes app/fixall_command.ts', function()
  local bufnr = open('app/fixall_command.ts')
  wait_diag(bufnr, 'auth-not-awaited')
  wait_diag(bufnr, 'suppression-unused')
  if not cg.fix_all(bufnr, { via = 'command' }) then
    fail('fix_all returned false')
  end
  wait_for('the server to apply its edit', function()
    return not table.concat(lines(bufnr), '\n'):find('clerkguard%-ignore')
  end)
  check_fixed_all(bufnr)
end)

case(':ClerkguardRoutes shows the route map (or says why not) in a scratch buffer', function()
  local before = vim.api.nvim_get_current_buf()
  vim.cmd('ClerkguardRoutes ' .. vim.fn.fnameescape(fixture))
  local buf = vim.api.nvim_get_current_buf()
  if buf == before then
    fail('no new buffer')
  end
  if vim.bo[buf].buftype ~= 'nofile' or vim.bo[buf].filetype ~= 'markdown' then
    fail('expected a nofile markdown buffer')
  end
  local text = table.concat(lines(buf), '\n')
  if text == '' then
    fail('empty routes buffer')
  end
  out('# routes buffer: ' .. (text:gsub('\n', ' | ')):sub(1, 200))
  vim.cmd('bwipeout')
end)

case(':ClerkguardRestart starts a new server that serves old and new buffers', function()
  local bufnr = open('app/fixall_action.ts')
  local old = cg.get_client(bufnr)
  vim.cmd('ClerkguardRestart')
  wait_for('a new client on the open buffer', function()
    local c = cg.get_client(bufnr)
    return c ~= nil and c.id ~= old.id
  end)
  local b2 = open('app/restart.ts')
  wait_diag(b2, 'auth-not-awaited')
end)

-- Shut down --------------------------------------------------------------------------------------
local get = vim.lsp.get_clients or vim.lsp.get_active_clients
for _, c in ipairs(get()) do
  if vim.fn.has('nvim-0.11') == 1 then
    c:stop()
  else
    c.stop()
  end
end
vim.wait(3000, function()
  return #get() == 0
end, 50)
out(('# %d passed, %d failed'):format(passed, failed))
vim.cmd(failed == 0 and 'qa!' or 'cq!')

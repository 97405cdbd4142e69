-- User commands for clerkguard (Neovim 0.7+). The server itself starts from
-- require('clerkguard').setup() or, on 0.11+, vim.lsp.enable('clerkguard').
if vim.g.loaded_clerkguard then
  return
end
vim.g.loaded_clerkguard = true

vim.api.nvim_create_user_command('ClerkguardFixAll', function()
  require('clerkguard').fix_all(0)
end, { desc = 'clerkguard: apply all safe fixes in this file' })

vim.api.nvim_create_user_command('ClerkguardRoutes', function(args)
  require('clerkguard').routes(args.args ~= '' and vim.fn.fnamemodify(args.args, ':p') or nil)
end, { nargs = '?', complete = 'dir', desc = 'clerkguard: show the route protection map' })

vim.api.nvim_create_user_command('ClerkguardRestart', function()
  require('clerkguard').restart()
end, { desc = 'clerkguard: restart the language server' })

//! `clerkguard lsp`: the language server over stdio.

use clerkguard_lsp::ServerOptions;

use crate::cli::LspArgs;

/// Serves LSP on stdin/stdout and exits the process with the server's code (0 after
/// `shutdown` + `exit`). `run_stdio_blocking` owns its tokio runtime and does not wait for
/// tokio's blocking stdin reader, which is why this exits rather than returning.
pub fn run(args: &LspArgs) -> ! {
    let code = clerkguard_lsp::run_stdio_blocking(ServerOptions { log_level: args.log_level });
    std::process::exit(code)
}

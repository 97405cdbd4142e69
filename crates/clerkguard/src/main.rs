//! The clerkguard binary: `check` for CI and terminals, `rule` for documentation, `lsp` for
//! editors. Exit codes: 0 success (no error-severity findings), 1 error-severity findings,
//! 2 usage or internal error.

mod check;
mod cli;
mod fix;
mod lsp_cmd;
mod mask;
mod memory;
mod render;
mod routes_cmd;
mod rule_cmd;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An error in how clerkguard was invoked (exit code 2, like internal errors, but reported
/// without a backtrace-style cause chain).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => {
            memory::tune_for_batch();
            check::run(args)
        }
        Command::Rule(args) => rule_cmd::run(args.id.as_deref()).and_then(|text| write_stdout(&text)).map(|()| 0),
        Command::Lsp(args) => {
            memory::tune_for_editor();
            lsp_cmd::run(args)
        }
        Command::Routes(args) => routes_cmd::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout; a closed pipe (`clerkguard check | head`) is not an error.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

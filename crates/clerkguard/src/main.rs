//! The clerkguard binary: `check` for CI and terminals, `rule` for documentation, `lsp` for
//! editors. Exit codes: 0 success (no error-severity findings), 1 error-severity findings,
//! 2 usage or internal error.

mod check;
mod cli;
mod fix;
mod lsp_cmd;
mod mask;
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
            keep_freed_memory(-1);
            check::run(args)
        }
        Command::Rule(args) => rule_cmd::run(args.id.as_deref()).and_then(|text| write_stdout(&text)).map(|()| 0),
        Command::Lsp(args) => {
            keep_freed_memory(LSP_PURGE_DELAY_MS);
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

/// How long the language server keeps memory it freed before handing it back to the OS: a
/// keystroke's analysis frees what the next one (tens of milliseconds later) allocates again.
const LSP_PURGE_DELAY_MS: i64 = 2_000;

/// Memory freed is soon needed again, so mimalloc keeps it for `delay_ms` (`-1`: for good)
/// instead of handing it back to the OS after its default 10 ms: the kernel zero-fills every
/// page handed back on its next use. `check` is one batch and keeps it all: on the 5,000-file
/// benchmark app this cuts page faults to a third and system time by ~15 ms. The language
/// server keeps it through a burst of typing: zero-filling huge pages was ~19 % of a
/// keystroke's analysis time (BENCHMARKS.md). `MIMALLOC_PURGE_DELAY` in the environment wins.
fn keep_freed_memory(delay_ms: i64) {
    // `mi_option_purge_delay`: option 15 of mimalloc.h (v2); libmimalloc-sys names no constant.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: stores an integer option of the allocator this binary links; mimalloc reads
        // options on use and allows setting them at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay_ms as std::ffi::c_long) };
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

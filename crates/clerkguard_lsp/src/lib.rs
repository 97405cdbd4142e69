//! The clerkguard language server: a thin shell over [`clerkguard_linter::Workspace`], built on
//! `tower-lsp-server` 0.23 and tokio.
//!
//! # Entry points
//!
//! - [`run_stdio_blocking`]`(options) -> i32` builds its own tokio runtime, serves LSP on
//!   stdin/stdout and returns the process exit code. This is what `clerkguard lsp` should call:
//!   `std::process::exit(clerkguard_lsp::run_stdio_blocking(options))`. It does not wait for the
//!   thread that reads stdin (which only returns when the client closes stdin).
//! - [`run_stdio`]`(options).await -> i32` does the same inside the caller's (multi-threaded)
//!   runtime. Exit the process with the code right after it returns.
//! - [`serve`]`(input, output, options).await -> i32` serves any async byte streams (tests use
//!   `tokio::io::duplex`).
//!
//! Malformed input (invalid JSON, a bad `Content-Length`) is answered with a JSON-RPC error
//! and the server keeps reading (see `transport.rs`).
//!
//! Exit codes: `0` after `shutdown` then `exit`; `1` when `exit` (or the end of input) comes
//! without a `shutdown` first.
//!
//! # What the server does
//!
//! - Incremental text sync into ropes; position encoding negotiated (UTF-8 when the client
//!   offers it, else UTF-16).
//! - Analysis off the async runtime on snapshots; an edit is analysed at once, edits made
//!   while an analysis runs coalesce into one more analysis of the latest text, results for
//!   stale versions are dropped. Files whose findings depend on the edited one are re-linted
//!   and republished, open or not.
//! - While a document does not parse, its last good findings stay, moved through the edits.
//! - The workspace folders are scanned on `initialized` (with `$/progress` when supported) and
//!   kept current through `didChangeWatchedFiles` (registered when the client allows dynamic
//!   registration) and `didSave`.
//! - Code actions: quick fixes (preferred when safe), "Ignore <rule> for this line",
//!   `source.fixAll.clerkguard`; command `clerkguard.fixAll`.
//! - Settings (`initializationOptions`, `workspace/didChangeConfiguration`,
//!   `workspace/configuration` when the client declares it), optionally under `clerkguard`:
//!   `{ "enable", "run": "onType"|"onSave", "diagnostics": { "scope": "workspace"|"openFiles" },
//!   "configPath", "rules": { "<id>": "off"|"hint"|"warn"|"error" } }`.

mod analysis;
mod capabilities;
mod carry;
mod code_actions;
mod diagnostics;
mod document;
mod edits;
mod handlers;
mod logging;
mod output;
mod position;
mod publish;
mod scheduler;
mod server;
mod session;
mod settings;
mod stdio;
mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, DuplexStream};
use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tower_lsp_server::{LspService, Server};

pub use capabilities::{FIX_ALL_COMMAND, FIX_ALL_KIND};
pub use diagnostics::{RULE_DOCS_BASE, SOURCE};
pub use logging::LogLevel;

/// How to run the server.
#[derive(Clone, Debug, Default)]
pub struct ServerOptions {
    /// Log level for stderr and `window/logMessage`. `None`: the `CLERKGUARD_LOG` environment
    /// variable, else `info`.
    pub log_level: Option<LogLevel>,
}

impl ServerOptions {
    fn effective_log_level(&self) -> LogLevel {
        self.log_level.or_else(LogLevel::from_env).unwrap_or(LogLevel::Info)
    }
}

/// Serves LSP over `input`/`output` until `exit` or the end of input. Returns the exit code.
pub async fn serve<I, O>(input: I, output: O, options: ServerOptions) -> i32
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
{
    let (splitter, outgoing, frames) = output::channel();
    let (stop, stopped) = oneshot::channel();
    let mut output = output;
    let writer = output::write_frames(&frames, &mut output, stopped);
    serve_frames(transport::sanitized(input), (splitter, outgoing), stop, writer, options).await
}

/// Serves LSP on stdin/stdout in the current (multi-threaded) tokio runtime, reading and
/// writing on threads of their own (see `stdio.rs`). Returns the exit code; 2 when those
/// threads cannot be started.
pub async fn run_stdio(options: ServerOptions) -> i32 {
    let handle = Handle::current();
    let (splitter, outgoing, frames) = output::channel();
    let (stop, stopped) = oneshot::channel();
    let (written, all_written) = oneshot::channel::<()>();
    let writer = async move {
        output::write_frames(&frames, &mut stdio::Blocking(stdio::raw_stdout()), stopped).await;
        let _ = written.send(());
    };
    let input = stdio::on_thread("clerkguard-stdout", handle.clone(), writer)
        .and_then(|()| transport::sanitized_on_thread(std::io::stdin(), handle));
    let input = match input {
        Ok(input) => input,
        Err(e) => {
            eprintln!("[clerkguard error] cannot start the stdio threads: {e}");
            return 2;
        }
    };
    let writer_done = async {
        let _ = all_written.await;
    };
    serve_frames(input, (splitter, outgoing), stop, writer_done, options).await
}

/// Serves the sanitized `input` until `exit` or its end, then fires `stop` and waits for
/// `writer` (which writes what the server queued) to finish.
async fn serve_frames(
    input: DuplexStream,
    (splitter, outgoing): (output::FrameSplitter, output::Outgoing),
    stop: oneshot::Sender<()>,
    writer: impl Future<Output = ()>,
    options: ServerOptions,
) -> i32 {
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let level = options.effective_log_level();
    let flag = shutdown_requested.clone();
    let (service, socket) = LspService::build(move |client| {
        server::Backend::new(Arc::new(session::Session::new(client, outgoing, level, flag)))
    })
    .custom_method(transport::INVALID_MESSAGE_METHOD, server::Backend::invalid_message)
    .finish();
    let serve = async {
        Server::new(input, splitter, socket).serve(service).await;
        let _ = stop.send(());
    };
    tokio::join!(serve, writer);
    if shutdown_requested.load(Ordering::SeqCst) { 0 } else { 1 }
}

/// Serves LSP on stdin/stdout in a runtime of its own. Returns the exit code.
pub fn run_stdio_blocking(options: ServerOptions) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("[clerkguard error] cannot start the async runtime: {e}");
            return 2;
        }
    };
    let code = runtime.block_on(run_stdio(options));
    // The stdin thread blocks until the client closes stdin; do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}

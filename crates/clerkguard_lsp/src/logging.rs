//! Logging to stderr and to the client (`window/logMessage`), filtered by one level.

use std::fmt;
use std::str::FromStr;

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::MessageType;

/// How much the server logs. Set with `ServerOptions::log_level` or the `CLERKGUARD_LOG`
/// environment variable (`error|warn|info|debug|trace`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    /// The environment variable read when no level is given explicitly.
    pub const ENV_VAR: &'static str = "CLERKGUARD_LOG";

    /// The level from `CLERKGUARD_LOG`, if it is set to a known level.
    pub fn from_env() -> Option<Self> {
        std::env::var(Self::ENV_VAR).ok().and_then(|v| v.parse().ok())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
            Self::Trace => "trace",
        }
    }

    fn message_type(self) -> MessageType {
        match self {
            Self::Error => MessageType::ERROR,
            Self::Warn => MessageType::WARNING,
            Self::Info => MessageType::INFO,
            Self::Debug | Self::Trace => MessageType::LOG,
        }
    }
}

impl FromStr for LogLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "error" => Self::Error,
            "warn" | "warning" => Self::Warn,
            "info" => Self::Info,
            "debug" => Self::Debug,
            "trace" => Self::Trace,
            other => return Err(format!("unknown log level `{other}` (expected error|warn|info|debug|trace)")),
        })
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A cheap, cloneable logger usable from async handlers and blocking analysis threads alike.
#[derive(Clone)]
pub(crate) struct Logger {
    level: LogLevel,
    client: Client,
}

impl Logger {
    pub(crate) fn new(level: LogLevel, client: Client) -> Self {
        Self { level, client }
    }

    pub(crate) fn enabled(&self, level: LogLevel) -> bool {
        level <= self.level
    }

    /// Writes the message to stderr and sends it to the client. Never blocks: the client
    /// notification is sent from a spawned task when a runtime is available.
    pub(crate) fn log(&self, level: LogLevel, message: impl fmt::Display) {
        if !self.enabled(level) {
            return;
        }
        let message = message.to_string();
        eprintln!("[clerkguard {level}] {message}");
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let client = self.client.clone();
            handle.spawn(async move { client.log_message(level.message_type(), message).await });
        }
    }

    pub(crate) fn error(&self, message: impl fmt::Display) {
        self.log(LogLevel::Error, message);
    }

    pub(crate) fn warn(&self, message: impl fmt::Display) {
        self.log(LogLevel::Warn, message);
    }

    pub(crate) fn info(&self, message: impl fmt::Display) {
        self.log(LogLevel::Info, message);
    }

    pub(crate) fn debug(&self, message: impl fmt::Display) {
        self.log(LogLevel::Debug, message);
    }
}

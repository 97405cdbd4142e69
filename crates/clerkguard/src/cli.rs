//! Command-line interface definition (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "clerkguard", version, about = "Finds and fixes Clerk authentication mistakes in Next.js apps")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files or directories (default: the current directory).
    Check(CheckArgs),
    /// List every rule, or print one rule's documentation.
    Rule(RuleArgs),
    /// Run the language server over stdio (what editors start).
    Lsp(LspArgs),
    /// Print every route with what protects it (middleware matcher and handler, or the route's
    /// own check).
    Routes(RoutesArgs),
}

#[derive(Debug, Args)]
pub struct RoutesArgs {
    /// The app (or a directory of apps).
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RoutesFormat::Table)]
    pub format: RoutesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoutesFormat {
    /// Aligned columns for the terminal.
    Table,
    /// JSON, one object per app.
    Json,
    /// A Markdown table per app.
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Pretty)]
    pub format: OutputFormat,

    /// Apply safe fixes and write the files.
    #[arg(long)]
    pub fix: bool,

    /// With --fix, also apply unsafe fixes (they change behaviour; review the diff).
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,

    /// Run only these rules (repeatable). Every other rule is turned off.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,

    /// Use this configuration file instead of each project's clerkguard.json.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print timing and throughput to stderr.
    #[arg(long)]
    pub stats: bool,

    /// When to colour pretty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Code frames for people.
    Pretty,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule to document; without it every rule is listed.
    pub id: Option<String>,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Log level (stderr and the client's log): error, warn, info, debug or trace.
    /// Default: the CLERKGUARD_LOG environment variable, else info.
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<clerkguard_lsp::LogLevel>,
}

//! `cargo xtask <task>`: developer tasks that are not part of the shipped binary.
//!
//! - `gen-app --files N --seed S --out DIR`: a deterministic, realistic Next.js + Clerk app.
//! - `lsp-bench --workspace DIR [--server LABEL=CMD]...`: LSP latency / memory harness.
//!
//! Build it in release for meaningful `lsp-bench` parse timings:
//! `cargo run --release -p xtask -- lsp-bench ...`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Writes a generated Next.js + Clerk app (workload for benchmarks).
    GenApp {
        #[arg(long)]
        files: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Measures didChange → publishDiagnostics latency, workspace scan time and peak RSS.
    LspBench {
        /// A generated app (see gen-app).
        #[arg(long)]
        workspace: PathBuf,
        /// `LABEL=COMMAND` of a server to measure; repeatable. Default: the release clerkguard.
        #[arg(long = "server")]
        servers: Vec<String>,
        /// The file to open and type into (default: the app's 3,000-line actions module).
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(long, default_value_t = 100)]
        edits: usize,
        /// Pause between keystrokes.
        #[arg(long, default_value_t = 50)]
        pause_ms: u64,
        /// Runs per server (medians are printed).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Do not wait for the workspace scan before opening the file.
        #[arg(long)]
        no_wait_workspace: bool,
        /// Write every run's full JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::GenApp { files, seed, out } => match xtask::gen_app::generate(files, seed, &out) {
            Ok(summary) => {
                println!("{}", serde_json::to_string_pretty(&summary.to_json(seed)).unwrap_or_default());
                eprintln!(
                    "wrote {} source files ({} bytes) to {}",
                    summary.files,
                    summary.bytes,
                    summary.root.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("gen-app: {e}");
                ExitCode::from(2)
            }
        },
        Task::LspBench { workspace, servers, file, edits, pause_ms, runs, no_wait_workspace, json } => {
            if cfg!(debug_assertions) {
                eprintln!("note: debug build; parse timings are not meaningful (use `cargo run --release -p xtask`)");
            }
            let servers =
                if servers.is_empty() { vec!["clerkguard=target/release/clerkguard lsp".to_string()] } else { servers };
            let file = file.unwrap_or_else(|| xtask::lsp_bench::default_file(&workspace));
            let mut all = Vec::new();
            for spec in &servers {
                let (label, command) = spec.split_once('=').unwrap_or(("server", spec));
                let mut results = Vec::new();
                for run in 0..runs {
                    let opts = xtask::lsp_bench::Options {
                        label: label.to_string(),
                        command: command.to_string(),
                        workspace: workspace.clone(),
                        file: file.clone(),
                        edits,
                        pause: Duration::from_millis(pause_ms),
                        wait_workspace: !no_wait_workspace,
                    };
                    match xtask::lsp_bench::run(&opts) {
                        Ok(result) => {
                            eprintln!("{label} run {}: {result}", run + 1);
                            results.push(result);
                        }
                        Err(e) => {
                            eprintln!("{label} run {}: {e}", run + 1);
                            return ExitCode::from(1);
                        }
                    }
                }
                let mut medians: Vec<_> = xtask::lsp_bench::medians(&results).into_iter().collect();
                medians.sort_by_key(|(k, _)| *k);
                println!("{label} (median of {runs} runs, {edits} edits, {pause_ms} ms pauses):");
                for (key, value) in medians {
                    match value {
                        Some(v) => println!("  {key:<30} {v:.3}"),
                        None => println!("  {key:<30} n/a"),
                    }
                }
                all.extend(results);
            }
            if let Some(path) = json
                && let Err(e) = std::fs::write(&path, serde_json::to_string_pretty(&all).unwrap_or_default())
            {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
    }
}

//! `clerkguard check`: collect files, lint them in parallel, optionally fix, render, and decide
//! the exit code (0 no error-severity findings, 1 some, 2 usage or internal error).

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clerkguard_linter::{
    Applicability, Config, FileReport, RuleLevel, RuleTimings, Severity, SkipReason, Workspace, registry,
};

use crate::cli::{CheckArgs, ColorChoice, OutputFormat};
use crate::fix::fix_files;
use crate::render::{self, PrettyOptions, RenderInput};
use crate::{UsageError, rule_cmd};

/// One linted file: its report and the text the report is about (`None` when skipped).
#[derive(Debug)]
pub struct CheckedFile {
    pub path: PathBuf,
    pub text: Option<String>,
    pub report: FileReport,
}

/// What `check` produced, before rendering.
pub struct CheckRun {
    pub files: Vec<CheckedFile>,
    /// Notes and warnings for stderr, in order.
    pub messages: Vec<String>,
    pub fixed: Option<(usize, usize)>,
    pub internal_error: bool,
    pub elapsed: Duration,
    /// Wall time of each step of the run, in order (for `--stats`).
    pub steps: Vec<(&'static str, Duration)>,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let base =
        std::env::current_dir().and_then(|d| d.canonicalize()).context("cannot determine the current directory")?;
    let roots = resolve_paths(&args.paths)?;
    let workspace = Workspace::new(roots.clone());

    if let Some(config) = &args.config {
        Config::load(config).map_err(|e| UsageError(format!("cannot use --config: {e}")))?;
        workspace.set_config_path(Some(config.clone()));
    }
    if !args.rules.is_empty() {
        workspace.set_rule_overrides(rule_selection(&args.rules)?);
    }

    let mut messages = Vec::new();
    for root in &roots {
        if root.is_file() && !Workspace::is_analyzable(root) {
            messages.push(format!("note: skipped {}: {}", render::display_path(root, &base), SkipReason::NotSource));
        }
    }
    let mut steps = Vec::new();
    let mut step_started = Instant::now();
    let mut step = |name: &'static str| {
        steps.push((name, step_started.elapsed()));
        step_started = Instant::now();
    };
    let files = workspace.source_files();
    step("scan");
    if files.is_empty() {
        messages.push("warning: no JavaScript or TypeScript files to check".to_string());
    }
    if args.config.is_none() {
        check_project_configs(&workspace, &files)?;
    }
    step("configuration");

    workspace.prepare(&files);
    step("project models");
    let mut run = CheckRun {
        files: Vec::new(),
        messages,
        fixed: None,
        internal_error: false,
        elapsed: Duration::ZERO,
        steps: Vec::new(),
    };
    if args.fix {
        let min = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
        let outcome = fix_files(&workspace, &files, min);
        run.messages.extend(outcome.warnings.iter().map(|w| format!("warning: {w}")));
        run.internal_error |= outcome.write_failed;
        run.fixed = Some((outcome.fixes_applied, outcome.files_written.len()));
        step("fix");
    }
    let mut timings = args.stats.then(RuleTimings::default);
    run.files = lint_all(&workspace, &files, timings.as_mut());
    step("lint");
    run.elapsed = started.elapsed();
    for file in run.files.iter().filter(|f| f.report.skipped.is_some() || !f.report.panicked_rules.is_empty()) {
        let shown = render::display_path(&file.path, &base);
        if let Some(reason) = &file.report.skipped {
            run.messages.push(format!("note: skipped {shown}: {reason}"));
        }
        for rule in &file.report.panicked_rules {
            run.messages.push(format!(
                "warning: rule `{rule}` crashed on {shown}; its findings for this file were dropped (please report this as a bug)"
            ));
        }
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let analysed: Vec<&CheckedFile> = run.files.iter().filter(|f| f.report.skipped.is_none()).collect();
    let pretty = PrettyOptions { color, files_checked: analysed.len(), fix_ran: args.fix };
    let input = RenderInput { files: &run.files, base: &base };
    let mut output = render::render(args.format, &input, &pretty)?;
    step("render");
    run.steps = steps;

    for message in &run.messages {
        eprintln!("{message}");
    }
    if let Some((fixes, files)) = run.fixed {
        let line = format!("Fixed {} in {}\n", render::plural(fixes, "issue"), render::plural(files, "file"));
        if args.format == OutputFormat::Pretty {
            output.push_str(&line);
        } else {
            eprint!("{line}");
        }
    }
    crate::write_stdout(&output)?;
    if args.stats {
        print_stats(&analysed, run.elapsed, &run.steps, timings.as_ref());
    }

    let has_errors = run.files.iter().flat_map(|f| &f.report.diagnostics).any(|d| d.severity == Severity::Error);
    let code = if run.internal_error { 2 } else { u8::from(has_errors) };
    // The process ends now: its memory goes back to the OS whole, instead of every text,
    // report and cache being freed one by one first.
    drop(analysed);
    std::mem::forget(run);
    std::mem::forget(workspace);
    std::mem::forget(output);
    Ok(code)
}

/// Canonical, de-duplicated roots; a path that does not exist is a usage error.
fn resolve_paths(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut roots = Vec::new();
    for path in paths {
        let canonical = path.canonicalize().map_err(|e| UsageError(format!("cannot check {}: {e}", path.display())))?;
        if !roots.contains(&canonical) {
            roots.push(canonical);
        }
    }
    Ok(roots)
}

/// `--rule` selection as overrides: every other rule off; a selected rule that is off by
/// default runs at its default severity (one that is on keeps its configured level).
fn rule_selection(selected: &[String]) -> anyhow::Result<BTreeMap<String, RuleLevel>> {
    let mut wanted = BTreeSet::new();
    for id in selected {
        let meta = registry().find(id).ok_or_else(|| rule_cmd::unknown_rule(id))?;
        wanted.insert(meta.id);
    }
    Ok(registry()
        .metas()
        .map(|m| {
            // Selected rules are on even when clerkguard.json turned them off.
            let level = if wanted.contains(m.id) { RuleLevel::Enabled } else { RuleLevel::Off };
            (m.id.to_string(), level)
        })
        .collect())
}

/// A broken `clerkguard.json` is a usage error in the CLI (the language server shows it as a
/// diagnostic instead and runs with defaults).
fn check_project_configs(workspace: &Workspace, files: &[PathBuf]) -> anyhow::Result<()> {
    let roots: BTreeSet<PathBuf> =
        Workspace::one_file_per_directory(files).filter_map(|f| workspace.project_root(f)).collect();
    for root in roots {
        Config::load_from_root(&root).map_err(|e| UsageError(format!("invalid configuration: {e}")))?;
    }
    Ok(())
}

/// Lints every file in parallel; with `timings`, also sums the time of each phase and rule
/// (per-thread collectors, merged at the end).
fn lint_all(workspace: &Workspace, files: &[PathBuf], timings: Option<&mut RuleTimings>) -> Vec<CheckedFile> {
    let mut checked: Vec<CheckedFile> = workspace
        .lint_batch(files, timings)
        .into_iter()
        .map(|(report, text)| CheckedFile { path: report.path.clone(), text, report })
        .collect();
    checked.sort_by(|a, b| a.path.cmp(&b.path));
    checked
}

fn print_stats(
    analysed: &[&CheckedFile],
    elapsed: Duration,
    steps: &[(&str, Duration)],
    timings: Option<&RuleTimings>,
) {
    let bytes: usize = analysed.iter().filter_map(|f| f.text.as_ref()).map(String::len).sum();
    let secs = elapsed.as_secs_f64().max(1e-9);
    let size = if bytes >= 1_000_000 {
        format!("{:.2} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    };
    eprintln!(
        "stats: {} files, {size} analysed in {:.3}s ({:.0} files/s, {:.2} MB/s, {} threads)",
        analysed.len(),
        secs,
        analysed.len() as f64 / secs,
        bytes as f64 / 1e6 / secs,
        rayon::current_num_threads()
    );
    let steps: Vec<String> =
        steps.iter().map(|(name, time)| format!("{name} {:.0} ms", time.as_secs_f64() * 1e3)).collect();
    eprintln!("stats: wall time by step: {}", steps.join(", "));
    if let Some(timings) = timings {
        print_timings(timings, analysed.len());
    }
}

/// The per-phase / per-rule table of `--stats`: CPU time summed over all threads, so the total
/// exceeds the wall time when several threads lint.
fn print_timings(timings: &RuleTimings, files: usize) {
    let total = timings.total().as_secs_f64().max(1e-9);
    eprintln!("stats: time per phase and rule (summed over threads; phases in parentheses)");
    eprintln!("  {:<30} {:>10} {:>7} {:>12} {:>8}", "phase / rule", "total ms", "share", "µs per file", "runs");
    for (name, time) in timings.sorted() {
        let secs = time.total.as_secs_f64();
        eprintln!(
            "  {name:<30} {:>10.1} {:>6.1}% {:>12.1} {:>8}",
            secs * 1e3,
            secs / total * 100.0,
            secs * 1e6 / files.max(1) as f64,
            time.runs
        );
    }
    eprintln!("  {:<30} {:>10.1}", "total", total * 1e3);
}

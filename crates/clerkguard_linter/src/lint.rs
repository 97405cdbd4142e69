//! Linting one file: parse, build semantics, run every enabled rule (a panicking rule is caught
//! and dropped), apply suppressions and configured severities.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use clerkguard_project::{ProjectInfo, classify_path};
use clerkguard_syntax::{LineIndex, SourceKind, parse_source};
use serde::Serialize;

use crate::analysis::{FileSemantics, SummaryLookup};
use crate::rules::meta::PARSE_ERROR;
use crate::suppression::Suppressions;
use crate::{Config, Diagnostic, FileContext, ProjectFileContext, ProjectFileKind, ProjectIndex, RuleLevel, registry};

/// Why a file got no analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum SkipReason {
    NotSource,
    TooLarge(u64),
    Binary,
    InvalidUtf8,
    Unreadable(String),
    Ignored,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotSource => write!(f, "not a JavaScript or TypeScript file"),
            Self::TooLarge(n) => write!(f, "file is too large ({n} bytes)"),
            Self::Binary => write!(f, "file looks binary"),
            Self::InvalidUtf8 => write!(f, "file is not valid UTF-8"),
            Self::Unreadable(e) => write!(f, "cannot read file: {e}"),
            Self::Ignored => write!(f, "ignored by configuration"),
        }
    }
}

/// The result of linting one file.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub skipped: Option<SkipReason>,
    /// Rules that panicked on this file (their results were dropped).
    pub panicked_rules: Vec<String>,
    /// The file has a syntax error (some of it, or all of it, was not analysed).
    pub syntax_error: bool,
}

/// Lints `text` as the file at `path` of `project`.
pub fn lint_source(
    path: &Path,
    text: &str,
    project: &ProjectInfo,
    config: &Config,
    summaries: &dyn SummaryLookup,
    index: &ProjectIndex,
) -> FileReport {
    let mut report = FileReport { path: path.to_path_buf(), ..Default::default() };
    if let Some(kind) = ProjectFileKind::from_path(path) {
        let ctx = ProjectFileContext { path, text, line_index: &LineIndex::new(text), project, config, index, kind };
        let mut diagnostics = Vec::new();
        for rule in registry().rules() {
            if matches!(level_of(config, rule.meta().id, rule.meta().default_enabled), RuleLevel::Off) {
                continue;
            }
            let mut found = Vec::new();
            match catch_unwind(AssertUnwindSafe(|| rule.check_project_file(&ctx, &mut found))) {
                Ok(()) => diagnostics.extend(found),
                Err(_) => report.panicked_rules.push(rule.meta().id.to_string()),
            }
        }
        report.diagnostics = apply_levels(diagnostics, config);
        report.diagnostics.sort_by(|a, b| (a.range.start, &a.rule).cmp(&(b.range.start, &b.rule)));
        return report;
    }
    let Some(kind) = SourceKind::from_path(path) else {
        report.skipped = Some(SkipReason::NotSource);
        return report;
    };
    let parsed = parse_source(text, kind);
    let line_index = LineIndex::new(text);
    let mut diagnostics = Vec::new();
    report.syntax_error = !parsed.errors.is_empty();
    if let Some(error) = parsed.errors.first() {
        diagnostics.push(Diagnostic::new(
            PARSE_ERROR.id,
            PARSE_ERROR.default_severity,
            error.range,
            if parsed.module.is_some() {
                format!("Syntax error: {}; the code around it was not analysed", error.message)
            } else {
                format!("Syntax error: {}; the file was not analysed", error.message)
            },
        ));
    }
    if let Some(module) = &parsed.module {
        let semantics = FileSemantics::build(module, text);
        let ctx = FileContext {
            path,
            text,
            line_index: &line_index,
            module,
            project,
            role: classify_path(&project.root, path),
            config,
            semantics: &semantics,
            summaries,
            index,
            entries: Default::default(),
            style: Default::default(),
        };
        for rule in registry().rules() {
            if matches!(level_of(config, rule.meta().id, rule.meta().default_enabled), RuleLevel::Off) {
                continue;
            }
            let mut found = Vec::new();
            let outcome = catch_unwind(AssertUnwindSafe(|| rule.check_file(&ctx, &mut found)));
            match outcome {
                Ok(()) => diagnostics.extend(found),
                Err(_) => report.panicked_rules.push(rule.meta().id.to_string()),
            }
        }
    }
    let suppressions = Suppressions::parse(&parsed.comments, &line_index);
    diagnostics = suppressions.apply(diagnostics, text, &line_index);
    report.diagnostics = apply_levels(diagnostics, config);
    report.diagnostics.sort_by(|a, b| (a.range.start, &a.rule).cmp(&(b.range.start, &b.rule)));
    report.diagnostics.dedup_by(|a, b| a.range == b.range && a.rule == b.rule);
    report
}

fn level_of(config: &Config, rule: &str, default_enabled: bool) -> RuleLevel {
    match config.rule_levels.get(rule) {
        Some(RuleLevel::Enabled) => {
            RuleLevel::On(registry().find(rule).map_or(crate::Severity::Warning, |m| m.default_severity))
        }
        Some(level) => *level,
        None if default_enabled => {
            RuleLevel::On(registry().find(rule).map_or(crate::Severity::Warning, |m| m.default_severity))
        }
        None => RuleLevel::Off,
    }
}

fn apply_levels(diagnostics: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            let default_enabled = registry().find(&d.rule).is_none_or(|m| m.default_enabled);
            match config.rule_levels.get(&d.rule) {
                Some(RuleLevel::Off) => None,
                Some(RuleLevel::Enabled) => Some(d),
                Some(RuleLevel::On(severity)) => {
                    d.severity = *severity;
                    Some(d)
                }
                None if default_enabled => Some(d),
                None => None,
            }
        })
        .collect()
}

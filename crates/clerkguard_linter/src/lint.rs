//! Linting one file: parse, build semantics, run every enabled rule (a panicking rule is caught
//! and dropped), apply suppressions and configured severities.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clerkguard_project::ProjectInfo;
use clerkguard_syntax::{LineIndex, ParsedFile, SourceKind, parse_source};
use serde::Serialize;

use clerkguard_syntax::ast::Module;

use crate::analysis::{FileSemantics, SummaryLookup};
use crate::buffer_cache::{self, BufferCache, LintReuse, TextFacts};
use crate::project_index::data_schema::{self, FileObservation};
use crate::rules::meta::PARSE_ERROR;
use crate::suppression::Suppressions;
use crate::{
    Config, Diagnostic, FileContext, FileInput, ProjectFileContext, ProjectFileKind, ProjectIndex, RuleLevel, registry,
};

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

/// Time spent per analysis phase and per rule, summed over the files linted with it. Opt in
/// with [`lint_source_with_timings`] (or `Workspace::lint_text_with_timings`); plain linting
/// does not read the clock. Phases are named in parentheses, rules by their id. The shared
/// entry-point analysis (guard flow, cross-module summaries) is its own phase, computed before
/// the rules when timing, so that no rule is charged for it.
#[derive(Clone, Debug, Default)]
pub struct RuleTimings {
    entries: BTreeMap<&'static str, PhaseTime>,
}

/// Total time and number of runs of one phase or rule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhaseTime {
    pub total: Duration,
    pub runs: u64,
}

impl RuleTimings {
    pub fn add(&mut self, name: &'static str, elapsed: Duration) {
        let entry = self.entries.entry(name).or_default();
        entry.total += elapsed;
        entry.runs += 1;
    }

    pub fn merge(&mut self, other: &RuleTimings) {
        for (name, time) in &other.entries {
            let entry = self.entries.entry(name).or_default();
            entry.total += time.total;
            entry.runs += time.runs;
        }
    }

    /// Phases and rules, slowest first.
    pub fn sorted(&self) -> Vec<(&'static str, PhaseTime)> {
        let mut all: Vec<_> = self.entries.iter().map(|(k, v)| (*k, *v)).collect();
        all.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(b.0)));
        all
    }

    pub fn total(&self) -> Duration {
        self.entries.values().map(|t| t.total).sum()
    }
}

/// Runs `f`, charging its time to `name` when timing.
fn timed<T>(timings: &mut Option<&mut RuleTimings>, name: &'static str, f: impl FnOnce() -> T) -> T {
    match timings {
        Some(t) => {
            let start = Instant::now();
            let out = f();
            t.add(name, start.elapsed());
            out
        }
        None => f(),
    }
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
    lint_source_timed(FileInput { path, text, project, config, summaries, index }, None)
}

/// [`lint_source`], adding the time of each phase and rule to `timings`.
pub fn lint_source_with_timings(
    path: &Path,
    text: &str,
    project: &ProjectInfo,
    config: &Config,
    summaries: &dyn SummaryLookup,
    index: &ProjectIndex,
    timings: &mut RuleTimings,
) -> FileReport {
    lint_source_timed(FileInput { path, text, project, config, summaries, index }, Some(timings))
}

pub(crate) fn lint_source_timed(input: FileInput<'_>, timings: Option<&mut RuleTimings>) -> FileReport {
    match lint_source_staged(input, false, ParseWith::Text, timings).0 {
        Staged::Done(report) => report,
        // Not reached: without deferral every rule runs in the first stage.
        Staged::Deferred(deferred) => deferred.finish(input.text, input.config, Vec::new()),
    }
}

/// The first stage of a lint: done, or waiting for the project's data schema.
pub(crate) enum Staged {
    Done(FileReport),
    Deferred(Box<Deferred>),
}

/// Which rules a pass over a file runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RuleSet {
    All,
    /// Every rule but those reading the data schema (they run later, on kept facts).
    WithoutSchema,
    SchemaOnly,
}

impl RuleSet {
    fn includes(self, rule: &dyn crate::Rule) -> bool {
        match self {
            Self::All => true,
            Self::WithoutSchema => !rule.reads_data_schema(),
            Self::SchemaOnly => rule.reads_data_schema(),
        }
    }
}

/// The analysed entries and tenancy facts of a file, kept (without the syntax tree) for the
/// rules that run once the data schema is known.
#[derive(Default)]
pub(crate) struct KeptFacts {
    pub(crate) entries: Option<Vec<crate::rules::entry_points::AnalyzedEntry>>,
    pub(crate) tenancy: Option<Vec<crate::rules::tenancy::facts::TenancyFacts>>,
}

/// A file linted by every rule but those reading the data schema, with what they need later.
pub(crate) struct Deferred {
    report: FileReport,
    /// Findings so far, before suppressions and configured levels.
    diagnostics: Vec<Diagnostic>,
    suppressions: Suppressions,
    line_index: LineIndex,
    semantics: FileSemantics,
    facts: KeptFacts,
    kind: SourceKind,
}

/// Where a lint's syntax tree comes from.
pub(crate) enum ParseWith<'r> {
    /// A parse of the text.
    Text,
    /// A parse of the text made already (by the module graph).
    Given(ParsedFile),
    /// An editor buffer's cache: the tree comes from its incremental re-parse and goes back to
    /// it afterwards, and entry-point analyses made at workspace `generation` are reused.
    Buffer { cache: &'r mut BufferCache, generation: u64 },
}

/// Lints `text`. With `defer_schema_rules`, the rules that read the data schema do not run: a
/// file they may report on comes back [`Staged::Deferred`] (finish it with
/// [`Deferred::complete`] once the schema is built), and what the file teaches the schema comes
/// back too, from the same parse (`Some` whenever the file was parsed for it).
pub(crate) fn lint_source_staged(
    input: FileInput<'_>,
    defer_schema_rules: bool,
    parse: ParseWith<'_>,
    mut timings: Option<&mut RuleTimings>,
) -> (Staged, Option<FileObservation>) {
    let FileInput { path, text, project, config, index, .. } = input;
    let mut report = FileReport { path: path.to_path_buf(), ..Default::default() };
    if let Some(kind) = ProjectFileKind::from_path(path) {
        let ctx = ProjectFileContext { path, text, line_index: &LineIndex::new(text), project, config, index, kind };
        let diagnostics = run_rules(config, RuleSet::All, &mut timings, &mut report, |rule, found| {
            rule.check_project_file(&ctx, found)
        });
        report.diagnostics = apply_levels(diagnostics, config);
        report.diagnostics.sort_by(|a, b| (a.range.start, &a.rule).cmp(&(b.range.start, &b.rule)));
        return (Staged::Done(report), None);
    }
    let Some(kind) = SourceKind::from_path(path) else {
        report.skipped = Some(SkipReason::NotSource);
        return (Staged::Done(report), None);
    };
    match parse {
        ParseWith::Text => {
            let parsed = timed(&mut timings, "(parse)", || parse_source(text, kind));
            lint_parsed(input, report, &parsed, kind, defer_schema_rules, None, timings)
        }
        ParseWith::Given(parsed) => lint_parsed(input, report, &parsed, kind, defer_schema_rules, None, timings),
        ParseWith::Buffer { cache, generation } => {
            let parsed = timed(&mut timings, "(parse)", || cache.reparser.parse(text, kind));
            let out =
                lint_parsed(input, report, &parsed, kind, defer_schema_rules, Some((&mut *cache, generation)), timings);
            cache.reparser.keep(parsed);
            out
        }
    }
}

/// [`lint_source_staged`] once the file is parsed.
fn lint_parsed(
    input: FileInput<'_>,
    mut report: FileReport,
    parsed: &ParsedFile,
    kind: SourceKind,
    defer_schema_rules: bool,
    buffer: Option<(&mut BufferCache, u64)>,
    mut timings: Option<&mut RuleTimings>,
) -> (Staged, Option<FileObservation>) {
    let FileInput { text, config, .. } = input;
    // An editor buffer edits the index of its last version.
    let change = buffer.as_ref().and_then(|(cache, _)| cache.change_to(text));
    let line_index = timed(&mut timings, "(line index)", || match &buffer {
        Some((cache, _)) => cache.line_index_for(text, change),
        None => LineIndex::new(text),
    });
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
    let suppressions = timed(&mut timings, "(suppressions)", || Suppressions::parse(&parsed.comments, &line_index));
    let Some(module) = &parsed.module else {
        // Nothing to analyse, and nothing for the data schema either.
        let observed = defer_schema_rules.then(FileObservation::default);
        return (Staged::Done(finish(report, diagnostics, suppressions, text, &line_index, config)), observed);
    };
    let semantics = timed(&mut timings, "(semantics)", || FileSemantics::build(module, text));
    let mut ctx = FileContext::new(input, &line_index, module, &semantics);
    let buffer = buffer.map(|(cache, generation)| {
        // Set before `locals` are collected: it makes them log what each analysis consults.
        *ctx.reuse.get_mut() = Some(LintReuse::default());
        let context = buffer_cache::file_context(&semantics);
        let (offer, text_facts) = cache.take_usable(generation, context, text, change);
        ctx.mentions.seed(text_facts.mentions);
        if let Some(style) = text_facts.style {
            ctx.style = std::cell::OnceCell::from(style);
        }
        if let Some(reuse) = ctx.reuse.get_mut() {
            reuse.offer(offer);
        }
        (cache, generation, context)
    });
    if timings.is_some() {
        // A panic here is left to the first rule that asks for the entries (caught there).
        timed(&mut timings, "(entry points)", || catch_unwind(AssertUnwindSafe(|| ctx.entries().len())).ok());
    }
    let rules = if defer_schema_rules { RuleSet::WithoutSchema } else { RuleSet::All };
    diagnostics.extend(run_rules(config, rules, &mut timings, &mut report, |rule, found| rule.check_file(&ctx, found)));
    if let Some((cache, generation, context)) = buffer
        && let Some(reuse) = ctx.reuse.take()
    {
        let text_facts =
            TextFacts { mentions: std::mem::take(&mut ctx.mentions).into_answers(), style: ctx.style.take() };
        let kept = reuse.into_kept(ctx.entries.take(), ctx.tenancy.take());
        cache.store(generation, context, text, kept, text_facts, &line_index);
    }
    if !defer_schema_rules {
        return (Staged::Done(finish(report, diagnostics, suppressions, text, &line_index, config)), None);
    }
    let observed = Some(timed(&mut timings, "(schema facts)", || {
        data_schema::observe(text, module, &semantics, &|word| ctx.mentions(word))
    }));
    // The schema rules read only the tenancy facts of entry points: a file without any (or a
    // project with those rules off) is done.
    let schema_rules_run = registry().rules().any(|r| r.reads_data_schema() && runs(config, r.meta()));
    let has_tenancy_facts = schema_rules_run
        && timed(&mut timings, "(tenancy facts)", || {
            catch_unwind(AssertUnwindSafe(|| !crate::rules::tenancy::facts::analyze(&ctx).is_empty())).unwrap_or(true)
        });
    if !has_tenancy_facts {
        return (Staged::Done(finish(report, diagnostics, suppressions, text, &line_index, config)), observed);
    }
    let facts = ctx.keep_schema_rule_facts();
    drop(ctx);
    // The kept semantics wait for the schema; their memo of this tree's calls is not needed.
    semantics.effect_kinds.take();
    let deferred = Deferred { report, diagnostics, suppressions, line_index, semantics, facts, kind };
    (Staged::Deferred(Box::new(deferred)), observed)
}

impl Deferred {
    /// Runs the rules that read the data schema (now built) and finishes the report. They run
    /// on the kept facts without a syntax tree; when one needs syntax (a fix that inserts code
    /// where the facts do not say), the file is parsed again and they run on the real tree.
    pub(crate) fn complete(mut self, input: FileInput<'_>, mut timings: Option<&mut RuleTimings>) -> FileReport {
        let empty = Module { span: Default::default(), body: Vec::new(), shebang: None };
        let facts = std::mem::take(&mut self.facts);
        let ctx = FileContext::hollow(input, &self.line_index, &empty, &self.semantics, facts);
        let mut hollow_report = FileReport::default();
        let found = run_rules(input.config, RuleSet::SchemaOnly, &mut timings, &mut hollow_report, |rule, found| {
            rule.check_file(&ctx, found)
        });
        let found = if ctx.syntax_needed() || !hollow_report.panicked_rules.is_empty() {
            drop(ctx);
            self.rerun_with_syntax(input, timings)
        } else {
            found
        };
        self.finish(input.text, input.config, found)
    }

    /// The schema rules on a fresh parse of the file.
    fn rerun_with_syntax(&mut self, input: FileInput<'_>, mut timings: Option<&mut RuleTimings>) -> Vec<Diagnostic> {
        let parsed = timed(&mut timings, "(parse)", || parse_source(input.text, self.kind));
        let Some(module) = &parsed.module else { return Vec::new() };
        let ctx = FileContext::new(input, &self.line_index, module, &self.semantics);
        run_rules(input.config, RuleSet::SchemaOnly, &mut timings, &mut self.report, |rule, found| {
            rule.check_file(&ctx, found)
        })
    }

    fn finish(mut self, text: &str, config: &Config, found: Vec<Diagnostic>) -> FileReport {
        self.diagnostics.extend(found);
        finish(self.report, self.diagnostics, self.suppressions, text, &self.line_index, config)
    }
}

/// Suppressions, configured levels, and source order.
fn finish(
    mut report: FileReport,
    diagnostics: Vec<Diagnostic>,
    suppressions: Suppressions,
    text: &str,
    line_index: &LineIndex,
    config: &Config,
) -> FileReport {
    let diagnostics = suppressions.apply(diagnostics, text, line_index);
    report.diagnostics = apply_levels(diagnostics, config);
    report.diagnostics.sort_by(|a, b| (a.range.start, &a.rule).cmp(&(b.range.start, &b.rule)));
    report.diagnostics.dedup_by(|a, b| a.range == b.range && a.rule == b.rule);
    report
}

/// Runs every enabled rule through `check`, catching panics (a panicking rule's findings are
/// dropped and it is named in the report).
fn run_rules(
    config: &Config,
    rules: RuleSet,
    timings: &mut Option<&mut RuleTimings>,
    report: &mut FileReport,
    check: impl Fn(&dyn crate::Rule, &mut Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for rule in registry().rules() {
        if !runs(config, rule.meta()) || !rules.includes(rule) {
            continue;
        }
        let mut found = Vec::new();
        let outcome = timed(timings, rule.meta().id, || catch_unwind(AssertUnwindSafe(|| check(rule, &mut found))));
        match outcome {
            Ok(()) => diagnostics.extend(found),
            Err(_) => report.panicked_rules.push(rule.meta().id.to_string()),
        }
    }
    diagnostics
}

/// Whether a rule runs under `config` (its meta at hand: no registry search per file and rule).
fn runs(config: &Config, meta: &crate::RuleMeta) -> bool {
    match config.rule_levels.get(meta.id) {
        Some(RuleLevel::Off) => false,
        Some(_) => true,
        None => meta.default_enabled,
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

//! Linting many files at once (`clerkguard check`) with one parse per file.
//!
//! Three rules read the project's data schema, which is inferred from the queries of every
//! file. Building it first would parse most files twice (once for the schema, once for the
//! lint). Instead each file is linted by every other rule, and the same parse yields what the
//! file teaches the schema and the facts the schema rules read (its entry points' queries and
//! checks, no syntax tree). Once every file is through, the schema is built from what was
//! gathered, and the schema rules run on the kept facts: a file is parsed again only when one
//! of their fixes needs syntax the facts do not hold.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::lint::{Deferred, FileReport, RuleTimings, Staged};
use crate::project_index::ProjectIndex;
use crate::project_index::data_schema::FileObservation;
use crate::{Workspace, WorkspaceFile};

/// A file after the first stage.
struct FirstStage {
    path: PathBuf,
    text: Option<String>,
    staged: Staged,
    observed: Option<(Arc<ProjectIndex>, FileObservation)>,
}

/// Files with their place in the batch.
type Numbered<'f> = Vec<(usize, &'f PathBuf)>;

/// What the second stage does with a file: finish one the first stage kept, or lint one the
/// schema does not read (from scratch, the schema being built).
enum Work<'f> {
    Kept(Kept),
    Late(&'f PathBuf),
}

/// A file after the first stage, as the batch keeps it: finished, or waiting for the data
/// schema.
enum Kept {
    Finished(FileReport, Option<String>),
    Waiting { path: PathBuf, text: Option<String>, deferred: Box<Deferred> },
}

impl Workspace {
    /// Lints `files` (reading each from its open buffer or disk); the result is in the order of
    /// `files`, each report with the text it was linted from. The same findings as linting each
    /// file alone, with the time of each phase and rule added to `timings` when given. A panic
    /// outside the rules (each rule is guarded on its own) drops that file's findings, not the
    /// batch: its report names the analysis as crashed.
    pub fn lint_batch(
        &self,
        files: &[PathBuf],
        timings: Option<&mut RuleTimings>,
    ) -> Vec<(FileReport, Option<String>)> {
        let timed = timings.is_some();
        // The schema is inferred from a project's first files only (`data_schema::reads_file`):
        // those go first; the rest wait for the schema and are linted in one pass, which keeps
        // no facts for them.
        let mut last_dir: Option<(&Path, Arc<ProjectIndex>)> = None;
        let (early, late): (Numbered<'_>, Numbered<'_>) =
            files.iter().enumerate().partition(|(_, path)| self.schema_reads(path, &mut last_dir));
        let (mut first, mut spent) = par_map_timed(early, timed, |(at, path), t| {
            let mut stage = guarded(path, || self.first_stage(path, t));
            let observed = stage.observed.take().map(|(index, o)| (index, stage.path.clone(), o));
            let kept = match stage.staged {
                Staged::Done(report) => Kept::Finished(report, stage.text),
                Staged::Deferred(deferred) => Kept::Waiting { path: stage.path, text: stage.text, deferred },
            };
            (at, kept, observed)
        });
        self.build_schemas(first.iter_mut().filter_map(|(_, _, observed)| observed.take()));
        let work: Vec<(usize, Work<'_>)> = first
            .into_iter()
            .map(|(at, kept, _)| (at, Work::Kept(kept)))
            .chain(late.into_iter().map(|(at, path)| (at, Work::Late(path))))
            .collect();
        let (mut done, second) = par_map_timed(work, timed, |(at, work), t| {
            let finished = match work {
                Work::Kept(Kept::Finished(report, text)) => (report, text),
                Work::Kept(Kept::Waiting { path, text, deferred }) => {
                    let report = guarded_report(&path, || {
                        self.complete_deferred(&path, text.as_deref().unwrap_or_default(), deferred, t)
                    });
                    (report, text)
                }
                Work::Late(path) => {
                    // The schema is built now: nothing is deferred.
                    let stage = guarded(path, || self.first_stage(path, t));
                    match stage.staged {
                        Staged::Done(report) => (report, stage.text),
                        Staged::Deferred(deferred) => {
                            let text = stage.text.as_deref().unwrap_or_default();
                            (self.complete_deferred(path, text, deferred, None), stage.text)
                        }
                    }
                }
            };
            (at, finished)
        });
        if let (Some(total), Some(first), Some(second)) = (timings, spent.as_mut(), second) {
            first.merge(&second);
            total.merge(first);
        }
        self.drop_kept_parses();
        done.sort_unstable_by_key(|(at, _)| *at);
        done.into_iter().map(|(_, finished)| finished).collect()
    }

    /// Whether the data schema of `path`'s project is still to be built and reads `path`.
    /// `last_dir` remembers the project of the previous file's directory (files of one
    /// directory belong to one project, and a sorted list keeps them together).
    fn schema_reads<'p>(&self, path: &'p Path, last_dir: &mut Option<(&'p Path, Arc<ProjectIndex>)>) -> bool {
        if !Self::is_source(path) {
            return true;
        }
        let dir = path.parent().unwrap_or(path);
        let index = match last_dir {
            Some((known, index)) if *known == dir => index.clone(),
            _ => {
                let index = self.index_for(path);
                *last_dir = Some((dir, index.clone()));
                index
            }
        };
        !index.data_schema_ready() && crate::project_index::data_schema::reads_file(&index, path)
    }

    fn first_stage(&self, path: &Path, timings: Option<&mut RuleTimings>) -> FirstStage {
        match self.read(path) {
            WorkspaceFile::Text(text) => {
                let (staged, observed) = self.lint_text_staged(path, &text, true, timings);
                FirstStage { path: path.to_path_buf(), text: Some(text), staged, observed }
            }
            WorkspaceFile::Skipped(reason) => {
                let report = FileReport { path: path.to_path_buf(), skipped: Some(reason), ..Default::default() };
                FirstStage { path: path.to_path_buf(), text: None, staged: Staged::Done(report), observed: None }
            }
        }
    }

    /// Builds the data schema of every project the first stage deferred, from what its files
    /// taught (files of the project the batch did not lint are parsed for it).
    fn build_schemas(&self, observed: impl Iterator<Item = (Arc<ProjectIndex>, PathBuf, FileObservation)>) {
        let mut by_project: Vec<(Arc<ProjectIndex>, HashMap<PathBuf, FileObservation>)> = Vec::new();
        for (index, path, observation) in observed {
            let position = match by_project.iter().position(|(known, _)| Arc::ptr_eq(known, &index)) {
                Some(position) => position,
                None => {
                    by_project.push((index, HashMap::default()));
                    by_project.len() - 1
                }
            };
            by_project[position].1.insert(path, observation);
        }
        for (index, known) in by_project {
            index.build_data_schema_with(known);
        }
    }
}

/// Runs the first stage of one file, turning a panic outside the rules (they are guarded one by
/// one) into a report that says so: one bad file does not end the batch.
fn guarded(path: &Path, f: impl FnOnce() -> FirstStage) -> FirstStage {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| FirstStage {
        path: path.to_path_buf(),
        text: None,
        staged: Staged::Done(crashed(path)),
        observed: None,
    })
}

/// [`guarded`] for the second stage.
fn guarded_report(path: &Path, f: impl FnOnce() -> FileReport) -> FileReport {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| crashed(path))
}

/// The report of a file whose analysis panicked.
fn crashed(path: &Path) -> FileReport {
    FileReport { path: path.to_path_buf(), panicked_rules: vec![ANALYSIS_PANIC.to_string()], ..Default::default() }
}

/// What a report names when the analysis of a file (not one rule) panicked.
const ANALYSIS_PANIC: &str = "(analysis)";

/// `items` mapped in parallel, in order, each call with its thread's timings when `timed`.
fn par_map_timed<I: Send, O: Send>(
    items: impl IntoParallelIterator<Item = I, Iter: IndexedParallelIterator>,
    timed: bool,
    f: impl Fn(I, Option<&mut RuleTimings>) -> O + Sync,
) -> (Vec<O>, Option<RuleTimings>) {
    if !timed {
        return (items.into_par_iter().map(|item| f(item, None)).collect(), None);
    }
    let (out, timings) = items
        .into_par_iter()
        .fold(
            || (Vec::new(), RuleTimings::default()),
            |(mut out, mut t), item| {
                out.push(f(item, Some(&mut t)));
                (out, t)
            },
        )
        .reduce(
            || (Vec::new(), RuleTimings::default()),
            |(mut a, mut ta), (b, tb)| {
                a.extend(b);
                ta.merge(&tb);
                (a, ta)
            },
        );
    (out, Some(timings))
}

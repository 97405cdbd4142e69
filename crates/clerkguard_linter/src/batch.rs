//! Linting many files at once (`clerkguard check`, the server's workspace scan) with one parse
//! per file.
//!
//! Three rules read the project's data schema, which is inferred from the queries of every
//! file. Building it first would parse most files twice (once for the schema, once for the
//! lint). Instead each file is linted by every other rule, and the same parse yields what the
//! file teaches the schema and the facts the schema rules read (its entry points' queries and
//! checks, no syntax tree). Once every file is through, the schema is built from what was
//! gathered, and the schema rules run on the kept facts: a file is parsed again only when one
//! of their fixes needs syntax the facts do not hold.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use crate::lint::{FileReport, RuleTimings, Staged};
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

impl Workspace {
    /// Lints `files` (reading each from its open buffer or disk); the result is in the order of
    /// `files`, each report with the text it was linted from. The same findings as linting each
    /// file alone, with the time of each phase and rule added to `timings` when given.
    pub fn lint_batch(
        &self,
        files: &[PathBuf],
        timings: Option<&mut RuleTimings>,
    ) -> Vec<(FileReport, Option<String>)> {
        let timed = timings.is_some();
        let (mut first, mut spent) = par_map_timed(files, timed, |path, t| self.first_stage(path, t));
        self.build_schemas(
            first.iter_mut().filter_map(|f| f.observed.take().map(|(index, o)| (index, f.path.clone(), o))),
        );
        let (done, second) = par_map_timed(first, timed, |file, t| {
            let report = match file.staged {
                Staged::Done(report) => report,
                Staged::Deferred(deferred) => {
                    let text = file.text.as_deref().unwrap_or_default();
                    self.complete_deferred(&file.path, text, deferred, t)
                }
            };
            (report, file.text)
        });
        if let (Some(total), Some(first), Some(second)) = (timings, spent.as_mut(), second) {
            first.merge(&second);
            total.merge(first);
        }
        done
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

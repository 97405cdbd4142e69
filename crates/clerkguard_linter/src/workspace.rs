//! The long-lived analysis state shared by the CLI and the language server: projects (with
//! their package versions and configuration), open-buffer overlays, and cached cross-module
//! summaries. Everything here is `Send + Sync`; each call parses what it needs on the calling
//! thread (swc values never leave it).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use clerkguard_project::{ProjectInfo, load_project, walk_source_files};
use clerkguard_syntax::SourceKind;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::ModuleSummaryCache;
use crate::config::{CONFIG_FILE_NAME, Config};
use crate::lint::{Deferred, FileReport, ParseWith, RuleTimings, SkipReason, Staged, lint_source_staged};
use crate::locks::{read, write};
use crate::project_index::data_schema::FileObservation;
use crate::project_index::{ChangeImpact, ProjectIndex};
use crate::rules::meta::CONFIG_ERROR;
use crate::{Diagnostic, FileInput, ProjectFileKind, RuleLevel};

pub use crate::sources::MAX_FILE_BYTES;
use crate::sources::Sources;

/// A project as the workspace holds it.
#[derive(Debug)]
pub struct ProjectState {
    pub info: ProjectInfo,
    pub config: Config,
    /// A broken `clerkguard.json`, reported on every lint of the project and otherwise ignored.
    pub config_error: Option<String>,
}

impl ProjectState {
    /// The input for linting `text` as `path` of this project.
    pub fn file_input<'a>(
        &'a self,
        path: &'a Path,
        text: &'a str,
        summaries: &'a dyn crate::analysis::SummaryLookup,
        index: &'a ProjectIndex,
    ) -> FileInput<'a> {
        FileInput { path, text, project: &self.info, config: &self.config, summaries, index }
    }
}

/// A file's text as read from disk, or the reason it was not analysed.
pub enum WorkspaceFile {
    Text(String),
    Skipped(SkipReason),
}

pub struct Workspace {
    roots: Vec<PathBuf>,
    projects: RwLock<HashMap<PathBuf, Arc<ProjectState>>>,
    /// Open buffers, and every disk text read so far.
    sources: Arc<Sources>,
    overrides: RwLock<BTreeMap<String, RuleLevel>>,
    config_path: RwLock<Option<PathBuf>>,
    summaries: ModuleSummaryCache,
    /// By project root, keyed by the root's bytes (every lint looks its index up).
    indexes: RwLock<FxHashMap<std::ffi::OsString, Arc<ProjectIndex>>>,
    /// The scan of the roots, shared by every project index (rescanned after structural changes).
    scanned: RwLock<Option<Arc<Vec<PathBuf>>>>,
    /// [`clerkguard_project::find_project_root`] answers for files and directories seen so far: a directory is
    /// looked up on disk once, not once per file below it and per call (it was a third of the
    /// time of a check). Cleared when a manifest or the file set changes.
    project_roots: RwLock<FxHashMap<PathBuf, Option<PathBuf>>>,
    /// The project of the analysable files of a directory, keyed by the directory's exact bytes
    /// (hashing a `Path` walks its components; a lint asks several times per file). Only
    /// directories inside a project are kept. Cleared with `projects` and `project_roots`.
    dir_projects: RwLock<FxHashMap<std::ffi::OsString, Arc<ProjectState>>>,
    /// Held while a project index is built, so concurrent lints build it once.
    index_build: Mutex<()>,
    /// Counts changes that may alter what a file's analysis reads from outside the file (file
    /// changes, project settings); see [`crate::BufferCache`]. Each workspace counts from its
    /// own base ([`generation_base`]), so a buffer's cache made with another workspace (the
    /// editor's folders changed) never matches.
    generation: std::sync::atomic::AtomicU64,
}

/// A starting value of [`Workspace::generation`] no other workspace of this process uses
/// (2^40 changes apart).
fn generation_base() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) << 40
}

impl Workspace {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Self {
            roots: roots.into_iter().map(|r| r.canonicalize().unwrap_or(r)).collect(),
            projects: RwLock::default(),
            sources: Arc::default(),
            overrides: RwLock::default(),
            config_path: RwLock::default(),
            summaries: ModuleSummaryCache::default(),
            indexes: RwLock::default(),
            scanned: RwLock::default(),
            project_roots: RwLock::default(),
            dir_projects: RwLock::default(),
            index_build: Mutex::default(),
            generation: std::sync::atomic::AtomicU64::new(generation_base()),
        }
    }

    /// The count of changes so far (see the `generation` field).
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Counts a change, once its invalidation is done.
    fn bump_generation(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Rule levels that win over every project's `clerkguard.json` (editor settings, `--rule`).
    pub fn set_rule_overrides(&self, overrides: BTreeMap<String, RuleLevel>) {
        *write(&self.overrides) = overrides;
        self.forget_projects();
    }

    /// An explicit configuration file to use instead of each project's `clerkguard.json`.
    pub fn set_config_path(&self, path: Option<PathBuf>) {
        *write(&self.config_path) = path;
        self.forget_projects();
    }

    /// Whether clerkguard analyses files like this one (JavaScript/TypeScript sources, and the
    /// project files rules report on: package.json, `.env*`).
    pub fn is_analyzable(path: &Path) -> bool {
        SourceKind::from_path(path).is_some() || ProjectFileKind::from_path(path).is_some()
    }

    /// Whether the file is JavaScript or TypeScript.
    pub fn is_source(path: &Path) -> bool {
        SourceKind::from_path(path).is_some()
    }

    /// The project index (route table, next.config, ...) of the project `path` belongs to.
    pub fn index_for(&self, path: &Path) -> Arc<ProjectIndex> {
        self.index_of(&self.project_for(path))
    }

    /// The index of a project already looked up.
    fn index_of(&self, project: &ProjectState) -> Arc<ProjectIndex> {
        let root = &project.info.root;
        if let Some(index) = read(&self.indexes).get(root.as_os_str()) {
            return index.clone();
        }
        let _building = self.index_build.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(index) = read(&self.indexes).get(root.as_os_str()) {
            return index.clone(); // built by another thread while this one waited
        }
        let files = self.scanned_files();
        let index = Arc::new(
            ProjectIndex::build(root, &files, self.sources.clone(), |f| self.project_root_of(f))
                .with_project(project.info.clone()),
        );
        write(&self.indexes).insert(root.as_os_str().to_owned(), index.clone());
        index
    }

    /// Builds, for every project `files` belong to, the index and the project-wide models the
    /// rules read (routing, module graph), each on the whole rayon pool, before a batch of lints.
    /// Left to the first lint that needs them, a model was built on that lint's thread while the
    /// other threads waited for it. The data schema is not built here: [`Self::lint_batch`]
    /// gathers it from the lint's own parses. The module graph keeps the parses it makes (the
    /// client closure) for the batch lint that follows, which then parses each file once; the
    /// batch drops what it did not take. The files are read meanwhile: building an index is
    /// one thread's work, and every model and lint reads them next.
    pub fn prepare(&self, files: &[PathBuf]) {
        let mut indexes: Vec<Arc<ProjectIndex>> = Vec::new();
        rayon::join(
            || {
                for file in Self::one_file_per_directory(files) {
                    let index = self.index_for(file);
                    if !indexes.iter().any(|known| Arc::ptr_eq(known, &index)) {
                        indexes.push(index);
                    }
                }
            },
            || files.par_iter().for_each(|file| drop(self.sources.text(file))),
        );
        for index in indexes {
            rayon::join(|| index.routing(), || index.module_graph_keeping_parses());
        }
    }

    /// Drops the module-graph parses [`Self::prepare`] kept that no lint took (files the batch
    /// skipped).
    pub(crate) fn drop_kept_parses(&self) {
        let indexes: Vec<Arc<ProjectIndex>> = read(&self.indexes).values().cloned().collect();
        for index in indexes {
            if let Some(graph) = index.module_graph_if_built() {
                graph.drop_kept_parses();
            }
        }
    }

    fn scanned_files(&self) -> Arc<Vec<PathBuf>> {
        if let Some(files) = read(&self.scanned).as_ref() {
            return files.clone();
        }
        let files = Arc::new(self.source_files());
        *write(&self.scanned) = Some(files.clone());
        files
    }

    /// Every analysable file under the roots (gitignore-aware; dependencies and build output
    /// skipped; files matching a project's `ignore` globs left out). The result also becomes the
    /// scan the project indexes are built from, so a check does not walk the tree twice.
    pub fn source_files(&self) -> Vec<PathBuf> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut files = Vec::new();
        for root in &self.roots {
            let candidates: Vec<PathBuf> = if root.is_file() { vec![root.clone()] } else { walk_source_files(root) }
                .into_iter()
                .filter(|path| Self::is_analyzable(path))
                .collect();
            self.look_up_projects_of(&candidates);
            for path in candidates {
                // (Looked up above: `project_for` answers from its per-directory memo.)
                let project = self.project_for(&path);
                // (Roots may overlap; one root's walk names each file once.)
                if !Self::ignored_by(&project, &path) && (self.roots.len() == 1 || seen.insert(path.clone())) {
                    files.push(path);
                }
            }
        }
        *write(&self.scanned) = Some(Arc::new(files.clone()));
        files
    }

    /// Looks up the project of every directory of `files` on the thread pool: the first time,
    /// a directory costs a look for its package.json on disk (thousands in a large app). The
    /// first file's project is loaded first, so the threads do not each load the usual one.
    fn look_up_projects_of(&self, files: &[PathBuf]) {
        let Some(first) = files.first() else { return };
        self.project_for(first);
        let one_per_dir: Vec<&PathBuf> = Self::one_file_per_directory(files).collect();
        one_per_dir.par_iter().for_each(|file| drop(self.project_for(file)));
    }

    /// The first file of each run of files in one directory: files of one directory belong to
    /// one project, and a sorted list (the scan's) keeps them together.
    pub fn one_file_per_directory(files: &[PathBuf]) -> impl Iterator<Item = &PathBuf> {
        let mut last_dir = None;
        files.iter().filter(move |file| std::mem::replace(&mut last_dir, file.parent()) != file.parent())
    }

    /// The root of the project (nearest package.json) `path` belongs to, from a cache of the
    /// directories seen so far.
    pub fn project_root(&self, path: &Path) -> Option<PathBuf> {
        self.project_root_of(path)
    }

    /// `find_project_root(path)`, answered from (and recorded in) `project_roots`.
    fn project_root_of(&self, path: &Path) -> Option<PathBuf> {
        // Files clerkguard analyses are files (no stat for them: the scan asks for each one), and
        // their directory is what the cache keeps; other paths are cached themselves.
        let analyzable = Self::is_analyzable(path);
        if !analyzable && let Some(known) = read(&self.project_roots).get(path) {
            return known.clone();
        }
        let start = if !analyzable && path.is_dir() { path } else { path.parent()? };
        let mut visited: Vec<&Path> = Vec::new();
        let mut root = None;
        for dir in start.ancestors() {
            if let Some(known) = read(&self.project_roots).get(dir) {
                root = known.clone();
                break;
            }
            visited.push(dir);
            if dir.join("package.json").is_file() {
                root = Some(dir.to_path_buf());
                break;
            }
        }
        if visited.is_empty() && analyzable {
            return root;
        }
        let mut known = write(&self.project_roots);
        for dir in visited {
            known.insert(dir.to_path_buf(), root.clone());
        }
        if !analyzable {
            known.insert(path.to_path_buf(), root.clone());
        }
        root
    }

    /// The project (nearest package.json) a file belongs to, loaded once and cached.
    pub fn project_for(&self, path: &Path) -> Arc<ProjectState> {
        // An analysable file's project is its directory's (`project_root_of` starts there).
        let dir = Self::is_analyzable(path).then(|| path.parent()).flatten();
        if let Some(dir) = dir
            && let Some(state) = read(&self.dir_projects).get(dir.as_os_str())
        {
            return state.clone();
        }
        let found_root = self.project_root_of(path);
        let in_project = found_root.is_some();
        let root = found_root
            .or_else(|| self.roots.iter().find(|r| path.starts_with(r)).cloned())
            .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default());
        let state = self.project_state(root);
        // Outside any project the answer depends on the file (is it a root itself?): not kept.
        if let Some(dir) = dir
            && in_project
        {
            write(&self.dir_projects).insert(dir.as_os_str().to_owned(), state.clone());
        }
        state
    }

    /// Forgets every loaded project (configuration or rule overrides changed).
    fn forget_projects(&self) {
        write(&self.projects).clear();
        write(&self.dir_projects).clear();
        self.bump_generation();
    }

    /// The loaded state of the project at `root` (loaded now if it was not yet).
    fn project_state(&self, root: PathBuf) -> Arc<ProjectState> {
        if let Some(state) = read(&self.projects).get(&root) {
            return state.clone();
        }
        let info = load_project(&root);
        let explicit = read(&self.config_path).clone();
        let loaded = match explicit {
            Some(path) => Config::load(&path),
            None => Config::load_from_root(&root),
        };
        let (config, config_error) = match loaded {
            Ok(config) => (config, None),
            Err(e) => (Config::default(), Some(e.to_string())),
        };
        let config = config.with_overrides(&read(&self.overrides));
        let state = Arc::new(ProjectState { info, config, config_error });
        write(&self.projects).insert(root, state.clone());
        state
    }

    /// Whether the project's `ignore` globs leave `path` out.
    fn ignored_by(project: &ProjectState, path: &Path) -> bool {
        project.config.has_ignores()
            && path.strip_prefix(&project.info.root).is_ok_and(|rel| project.config.is_ignored(rel))
    }

    /// Sets (or with `None` clears) the unsaved text of an open buffer. Returns the files whose
    /// findings may change because of it, besides the file itself.
    pub fn set_overlay(&self, path: &Path, text: Option<&str>) -> Vec<PathBuf> {
        self.sources.set_overlay(path, text);
        self.file_changed(path)
    }

    /// [`Self::set_overlay`] for the buffer whose analyses `cache` keeps: the cache stays
    /// usable if this edit was the only change since its last lint.
    pub fn set_overlay_cached(&self, path: &Path, text: Option<&str>, cache: &mut crate::BufferCache) -> Vec<PathBuf> {
        let before = self.generation();
        let affected = self.set_overlay(path, text);
        cache.note_own_change(before, self.generation());
        affected
    }

    /// The texts the analysis shares.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Tells the workspace a file changed (on disk or in a buffer). Returns the other files whose
    /// findings may change: every file of the project for package.json or clerkguard.json,
    /// the importers of a module whose summaries others use.
    pub fn file_changed(&self, path: &Path) -> Vec<PathBuf> {
        let affected = self.file_changed_only(path);
        self.bump_generation();
        affected
    }

    /// The invalidation [`Self::file_changed`] does; it counts the change afterwards.
    fn file_changed_only(&self, path: &Path) -> Vec<PathBuf> {
        if !self.sources.has_overlay(path) {
            self.sources.forget(path);
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "package.json" | CONFIG_FILE_NAME | "tsconfig.json" | "jsconfig.json")
            || name.ends_with("-lock.json")
            || name.ends_with(".lock")
            || name.ends_with("-lock.yaml")
        {
            let dir = path.parent().unwrap_or(path).to_path_buf();
            write(&self.project_roots).clear();
            write(&self.dir_projects).clear();
            write(&self.projects).retain(|root, _| !root.starts_with(&dir) && !dir.starts_with(root));
            write(&self.indexes).retain(|root, _| {
                let root = Path::new(root);
                !root.starts_with(&dir) && !dir.starts_with(root)
            });
            *write(&self.scanned) = None;
            self.summaries.clear();
            return self.source_files().into_iter().filter(|f| f.starts_with(&dir) && f != path).collect();
        }
        let mut affected = self.summaries.invalidate(path);
        let root = self.project_for(path).info.root.clone();
        let index = read(&self.indexes).get(root.as_os_str()).cloned();
        // What specifiers resolve to changes only when files appear or disappear, not on an
        // edit of a file the project already has (every keystroke in the editor).
        let known = index.as_ref().is_some_and(|i| i.files.iter().any(|f| f == path));
        if !known || !path.exists() {
            self.summaries.invalidate_resolution();
        }
        match index {
            Some(index) if index.impact_of(path) == ChangeImpact::Structural => {
                write(&self.indexes).remove(root.as_os_str());
                *write(&self.scanned) = None;
                write(&self.project_roots).clear();
                write(&self.dir_projects).clear();
                let fresh = self.index_for(path);
                affected.extend(fresh.files.iter().filter(|f| f.as_path() != path).cloned());
            }
            Some(index) => affected.extend(index.note_change(path)),
            None => {}
        }
        affected.retain(|f| f != path);
        affected.sort();
        affected.dedup();
        affected
    }

    /// The current text of a file: the open buffer if any, else the file on disk.
    pub fn read(&self, path: &Path) -> WorkspaceFile {
        match self.sources.text(path) {
            Ok(text) => WorkspaceFile::Text(text.to_string()),
            Err(reason) => WorkspaceFile::Skipped(reason),
        }
    }

    /// Lints a file, reading it from its overlay or disk.
    pub fn lint_path(&self, path: &Path) -> (FileReport, Option<String>) {
        match self.read(path) {
            WorkspaceFile::Text(text) => {
                let report = self.lint_text(path, &text);
                (report, Some(text))
            }
            WorkspaceFile::Skipped(reason) => {
                (FileReport { path: path.to_path_buf(), skipped: Some(reason), ..Default::default() }, None)
            }
        }
    }

    /// [`Self::lint_path`], adding the time of each phase and rule to `timings`.
    pub fn lint_path_with_timings(&self, path: &Path, timings: &mut RuleTimings) -> (FileReport, Option<String>) {
        match self.read(path) {
            WorkspaceFile::Text(text) => {
                let report = self.lint_text_timed(path, &text, Some(timings));
                (report, Some(text))
            }
            WorkspaceFile::Skipped(reason) => {
                (FileReport { path: path.to_path_buf(), skipped: Some(reason), ..Default::default() }, None)
            }
        }
    }

    /// Lints `text` as the content of `path`.
    pub fn lint_text(&self, path: &Path, text: &str) -> FileReport {
        self.lint_text_timed(path, text, None)
    }

    /// [`Self::lint_text`], adding the time of each phase and rule to `timings`.
    pub fn lint_text_with_timings(&self, path: &Path, text: &str, timings: &mut RuleTimings) -> FileReport {
        self.lint_text_timed(path, text, Some(timings))
    }

    /// [`Self::lint_text`] for an editor buffer: `cache` keeps the syntax tree and the
    /// entry-point analyses between versions, so an edit re-parses only the top-level items it
    /// touched and re-analyses only the entry points it changed (see [`crate::BufferCache`]).
    /// For text that parses, the findings are [`Self::lint_text`]'s; half-typed text recovers
    /// around the edit only (see [`clerkguard_syntax::Reparser`]).
    pub fn lint_text_reparsing(&self, path: &Path, text: &str, cache: &mut crate::BufferCache) -> FileReport {
        self.lint_text_with(path, text, Some(cache), None)
    }

    fn lint_text_timed(&self, path: &Path, text: &str, timings: Option<&mut RuleTimings>) -> FileReport {
        self.lint_text_with(path, text, None, timings)
    }

    fn lint_text_with(
        &self,
        path: &Path,
        text: &str,
        cache: Option<&mut crate::BufferCache>,
        timings: Option<&mut RuleTimings>,
    ) -> FileReport {
        match self.lint_text_staged_with(path, text, false, cache, timings).0 {
            Staged::Done(report) => report,
            Staged::Deferred(deferred) => self.complete_deferred(path, text, deferred, None),
        }
    }

    /// The first stage of linting `text` as `path`: with `defer_schema_rules` and the project's
    /// data schema not built yet, the rules reading it wait (see `lint::lint_source_staged`).
    /// Also returns the project index and what the file teaches its schema.
    pub(crate) fn lint_text_staged(
        &self,
        path: &Path,
        text: &str,
        defer_schema_rules: bool,
        timings: Option<&mut RuleTimings>,
    ) -> (Staged, Option<(Arc<ProjectIndex>, FileObservation)>) {
        self.lint_text_staged_with(path, text, defer_schema_rules, None, timings)
    }

    fn lint_text_staged_with(
        &self,
        path: &Path,
        text: &str,
        defer_schema_rules: bool,
        cache: Option<&mut crate::BufferCache>,
        mut timings: Option<&mut RuleTimings>,
    ) -> (Staged, Option<(Arc<ProjectIndex>, FileObservation)>) {
        let started = timings.is_some().then(Instant::now);
        let project = self.project_for(path);
        if Self::ignored_by(&project, path) {
            let report =
                FileReport { path: path.to_path_buf(), skipped: Some(SkipReason::Ignored), ..Default::default() };
            return (Staged::Done(report), None);
        }
        if text.len() as u64 > MAX_FILE_BYTES {
            let report = FileReport {
                path: path.to_path_buf(),
                skipped: Some(SkipReason::TooLarge(text.len() as u64)),
                ..Default::default()
            };
            return (Staged::Done(report), None);
        }
        let lookup = self.summaries.lookup(self, path);
        let index = self.index_of(&project);
        if let (Some(t), Some(started)) = (timings.as_deref_mut(), started) {
            t.add("(project lookup)", started.elapsed());
        }
        let defer = defer_schema_rules && !index.data_schema_ready();
        let input = project.file_input(path, text, &lookup, &index);
        let parse = match cache {
            Some(cache) => ParseWith::Buffer { cache, generation: self.generation() },
            None => match index.module_graph_if_built().and_then(|graph| graph.take_parse(path, text)) {
                Some(parsed) => ParseWith::Given(parsed),
                None => ParseWith::Text,
            },
        };
        let (staged, observed) = lint_source_staged(input, defer, parse, timings);
        let staged = match staged {
            Staged::Done(report) => Staged::Done(with_config_error(report, &project)),
            deferred => deferred,
        };
        (staged, observed.map(|o| (index, o)))
    }

    /// Finishes a deferred lint once the project's data schema is built.
    pub(crate) fn complete_deferred(
        &self,
        path: &Path,
        text: &str,
        deferred: Box<Deferred>,
        timings: Option<&mut RuleTimings>,
    ) -> FileReport {
        let project = self.project_for(path);
        let lookup = self.summaries.lookup(self, path);
        let index = self.index_of(&project);
        let input = project.file_input(path, text, &lookup, &index);
        let report = deferred.complete(input, timings);
        with_config_error(report, &project)
    }
}

/// A report with the project's configuration error (if any) in front.
fn with_config_error(mut report: FileReport, project: &ProjectState) -> FileReport {
    if let Some(error) = &project.config_error {
        report.diagnostics.insert(
            0,
            Diagnostic::new(
                CONFIG_ERROR.id,
                CONFIG_ERROR.default_severity,
                Default::default(),
                format!("Configuration ignored: {error}"),
            ),
        );
    }
    report
}

//! When and where analysis runs: per document at most one analysis at a time, on blocking
//! threads, with stale results dropped; closed files linted in parallel with `$/progress`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use clerkguard_linter::{BufferCache, Workspace};
use tokio::runtime::Handle;
use tower_lsp_server::ls_types::NumberOrString;
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use crate::analysis::{ClosedOutcome, analyse_closed, analyse_open};
use crate::document::Snapshot;
use crate::session::Session;
use crate::settings::DiagnosticScope;

/// At most this many blocking threads lint closed files at once.
const MAX_SCAN_WORKERS: usize = 4;

impl Session {
    /// Analyses an open document now, or, when an analysis of it is already running, once that
    /// one finishes (on the text as it is then). A burst of edits thus costs one analysis for
    /// its first edit and one for the latest text, with no fixed delay: a keystroke's findings
    /// arrive after at most two analyses' time. (A 75 ms debounce made that the floor.)
    pub fn schedule_analysis(self: &Arc<Self>, key: &str) {
        if !self.settings().enable {
            return;
        }
        {
            let Some(mut doc) = self.documents.get_mut(key) else { return };
            if !Workspace::is_analyzable(&doc.path) {
                return;
            }
            doc.generation += 1;
            if doc.analysis_running {
                return; // the running loop sees the new generation and goes again
            }
            doc.analysis_running = true;
        }
        let session = self.clone();
        let key = key.to_string();
        let runtime = Handle::current();
        // The loop runs on a blocking thread of its own: an edit's analysis starts without a
        // hop through a runtime task, and its findings are published from the thread that
        // computed them.
        tokio::task::spawn_blocking(move || {
            // Clears the flag if the loop ends early, so a failure cannot stall the document.
            let mut running = RunningFlag { session: session.clone(), key: key.clone(), armed: true };
            loop {
                let (snapshot, generation, cache) = {
                    let Some(mut doc) = session.documents.get_mut(&key) else { return };
                    (doc.snapshot(&key), doc.generation, doc.take_cache())
                };
                session.analyse_and_publish(snapshot, cache, &runtime);
                // Checked and cleared under the entry's lock: an edit either lands before (and
                // the loop goes again) or after (and starts a loop of its own).
                let Some(mut doc) = session.documents.get_mut(&key) else { return };
                if doc.generation == generation {
                    doc.analysis_running = false;
                    running.armed = false;
                    return;
                }
            }
        });
    }

    /// Analyses one version of an open document and publishes its findings (blocking).
    fn analyse_and_publish(self: &Arc<Self>, snapshot: Snapshot, cache: BufferCache, runtime: &Handle) {
        let workspace = self.workspace();
        let caps = self.caps();
        let analysed = catch_unwind(AssertUnwindSafe(|| analyse_open(&workspace, &snapshot, cache, &caps)));
        let Ok(mut outcome) = analysed else {
            self.log.error(format!("analysis of {} panicked", snapshot.uri.as_str()));
            return;
        };
        for (level, message) in std::mem::take(&mut outcome.logs) {
            self.log.log(level, message);
        }
        let (key, uri, version) = (&snapshot.key, &snapshot.uri, outcome.version);
        let is_current = || self.doc_version(key) == Some(version);
        let enabled = self.settings().enable;
        let sent = enabled && self.publisher.publish_open(uri, version, outcome.lsp, is_current);
        if let Some(mut doc) = self.documents.get_mut(key) {
            doc.return_cache(outcome.cache);
            if sent {
                doc.record_report(version, outcome.findings, outcome.parsed_cleanly);
            }
        }
        if !enabled {
            return;
        }
        if !sent {
            self.log.debug(format!("dropped findings for {} version {version}: a newer version exists", uri.as_str()));
        }
        if !outcome.dependents.is_empty() {
            // In a task of its own: the document's next analysis does not wait for its dependents.
            let session = self.clone();
            runtime.spawn(async move { session.relint_paths(outcome.dependents).await });
        }
    }

    /// Re-lints files whose findings may have changed: open ones through their documents,
    /// closed ones from disk (in workspace scope).
    pub async fn relint_paths(self: &Arc<Self>, paths: Vec<PathBuf>) {
        let settings = self.settings();
        if !settings.enable {
            return;
        }
        let open = self.open_paths();
        let mut closed = Vec::new();
        for path in paths {
            if let Some(key) = open.get(&path) {
                self.schedule_analysis(key);
            } else if settings.scope == DiagnosticScope::Workspace && Workspace::is_analyzable(&path) {
                closed.push(path);
            }
        }
        self.lint_closed_files(closed, None).await;
    }

    /// Scans the workspace folders and lints every file that is not open.
    pub async fn rescan_workspace(self: &Arc<Self>) {
        let generation = self.scan_generation.fetch_add(1, Ordering::SeqCst) + 1;
        let settings = self.settings();
        if !settings.enable || settings.scope != DiagnosticScope::Workspace || self.roots().is_empty() {
            return;
        }
        let workspace = self.workspace();
        let files = match tokio::task::spawn_blocking(move || {
            workspace.sources().forget_all();
            workspace.source_files()
        })
        .await
        {
            Ok(files) => files,
            Err(e) => {
                self.log.error(format!("workspace scan failed: {e}"));
                return;
            }
        };
        let open = self.open_paths();
        let files: Vec<PathBuf> = files.into_iter().filter(|f| !open.contains_key(f)).collect();
        self.log.info(format!("scanning {} files", files.len()));
        self.lint_closed_files(files, Some(generation)).await;
    }

    /// Lints files that are not open, in parallel on blocking threads, publishing as results
    /// arrive. A workspace scan (`scan = Some(generation)`) reports progress and stops early
    /// when a newer scan starts.
    async fn lint_closed_files(self: &Arc<Self>, files: Vec<PathBuf>, scan: Option<u64>) {
        // After `shutdown` no new work starts: a scan's progress request to the client could
        // otherwise keep the session from ending on `exit`.
        if files.is_empty() || self.shutdown_requested.load(Ordering::SeqCst) {
            return;
        }
        let total = files.len();
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, MAX_SCAN_WORKERS);
        let mut chunks: Vec<Vec<PathBuf>> = vec![Vec::new(); workers.min(total)];
        let chunk_count = chunks.len();
        for (i, file) in files.into_iter().enumerate() {
            chunks[i % chunk_count].push(file);
        }
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u64, Option<ClosedOutcome>)>();
        for chunk in chunks {
            let (session, tx) = (self.clone(), tx.clone());
            let (workspace, caps) = (self.workspace(), self.caps());
            tokio::task::spawn_blocking(move || {
                for path in chunk {
                    if scan.is_some_and(|g| session.scan_generation.load(Ordering::SeqCst) != g) {
                        break;
                    }
                    let seq = session.publisher.next_seq();
                    let outcome = catch_unwind(AssertUnwindSafe(|| analyse_closed(&workspace, &path, &caps)));
                    if outcome.is_err() {
                        session.log.error(format!("analysis of {} panicked", path.display()));
                    }
                    if tx.send((seq, outcome.ok())).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut progress = match scan {
            Some(_) => self.begin_progress("Analysing workspace").await,
            None => None,
        };
        let mut done = 0usize;
        let mut last_percent = 0;
        while let Some((seq, outcome)) = rx.recv().await {
            done += 1;
            if let Some(outcome) = outcome {
                self.publish_closed(seq, outcome).await;
            }
            let percent = (done * 100 / total) as u32;
            if let Some(p) = &progress
                && percent >= last_percent + 5
            {
                last_percent = percent;
                p.report_with_message(format!("{done}/{total} files"), percent).await;
            }
        }
        if let Some(p) = progress.take() {
            p.finish_with_message(format!("{done} files analysed")).await;
        }
    }

    async fn publish_closed(self: &Arc<Self>, seq: u64, outcome: ClosedOutcome) {
        for (level, message) in outcome.logs {
            self.log.log(level, message);
        }
        let settings = self.settings();
        if !settings.enable || settings.scope != DiagnosticScope::Workspace {
            return;
        }
        let Some(uri) = outcome.uri else { return };
        let path = outcome.path;
        self.publisher.publish_closed(&uri, seq, outcome.lsp, || !self.is_open_path(&path));
    }

    async fn begin_progress(&self, title: &str) -> Option<OngoingProgress<Bounded, NotCancellable>> {
        if !self.caps().work_done_progress || self.shutdown_requested.load(Ordering::SeqCst) {
            return None;
        }
        let n = self.progress_tokens.fetch_add(1, Ordering::Relaxed);
        let token = NumberOrString::String(format!("clerkguard/{n}"));
        if let Err(e) = self.client.create_work_done_progress(token.clone()).await {
            self.log.debug(format!("client refused a progress token: {e}"));
            return None;
        }
        Some(self.client.progress(token, "clerkguard").with_message(title).with_percentage(0).begin().await)
    }

    /// Re-analyses everything after a settings change; clears what the settings no longer show.
    pub async fn refresh_all(self: &Arc<Self>) {
        let settings = self.settings();
        if !settings.enable {
            self.scan_generation.fetch_add(1, Ordering::SeqCst);
            self.publisher.clear_where(|_| true);
            return;
        }
        if settings.scope == DiagnosticScope::OpenFiles {
            self.scan_generation.fetch_add(1, Ordering::SeqCst);
            self.publisher.clear_where(|key| !self.documents.contains_key(key));
        }
        let keys: Vec<String> = self.documents.iter().map(|d| d.key().clone()).collect();
        for key in keys {
            self.schedule_analysis(&key);
        }
        self.rescan_workspace().await;
    }
}

/// Marks a document's analysis loop as finished when the loop ends without doing so itself
/// (the document closed, or a panic unwound the task).
struct RunningFlag {
    session: Arc<Session>,
    key: String,
    armed: bool,
}

impl Drop for RunningFlag {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Some(mut doc) = self.session.documents.get_mut(&self.key) {
            doc.analysis_running = false;
        }
    }
}

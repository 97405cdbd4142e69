//! The only place diagnostics are sent from. It guarantees that, per URI, a publish never
//! carries an older document version than one already sent, and that results for closed files
//! land in the order their analyses started.
//!
//! Publishes are serialised here, straight from their parameters, and queued with the server's
//! other output (`output.rs`): tower-lsp-server's client would build them as a
//! `serde_json::Value` first, which for a 125-diagnostic publish costs more than the JSON.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Mutex;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::{Diagnostic, PublishDiagnosticsParams, Uri};

use crate::output::Outgoing;

#[derive(Debug, Default)]
struct Published {
    version: Option<i32>,
    seq: u64,
    non_empty: bool,
}

pub struct Publisher {
    outgoing: Outgoing,
    state: Mutex<HashMap<String, Published>>,
    seq: AtomicU64,
}

impl Publisher {
    pub fn new(outgoing: Outgoing) -> Self {
        Self { outgoing, state: Mutex::default(), seq: AtomicU64::new(1) }
    }

    /// A ticket for a closed-file analysis about to start.
    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Publishes an open document's findings for `version`, unless `is_current` says the
    /// document moved on or a newer version was already published. Returns whether it sent.
    pub async fn publish_open(
        &self,
        uri: &Uri,
        version: i32,
        diagnostics: Vec<Diagnostic>,
        is_current: impl FnOnce() -> bool,
    ) -> bool {
        let mut state = self.state.lock().await;
        let entry = state.entry(uri.as_str().to_string()).or_default();
        if entry.version.is_some_and(|v| v > version) || !is_current() {
            return false;
        }
        entry.version = Some(version);
        entry.non_empty = !diagnostics.is_empty();
        self.send(uri.clone(), diagnostics, Some(version));
        true
    }

    /// Publishes a closed file's findings from the analysis holding ticket `seq`, unless a later
    /// analysis already published or `still_closed` says the file was opened meanwhile. Empty
    /// results are only sent to clear earlier findings.
    pub async fn publish_closed(
        &self,
        uri: &Uri,
        seq: u64,
        diagnostics: Vec<Diagnostic>,
        still_closed: impl FnOnce() -> bool,
    ) -> bool {
        let mut state = self.state.lock().await;
        let key = uri.as_str().to_string();
        let previous = state.get(&key);
        if previous.is_some_and(|p| p.seq > seq || p.version.is_some()) || !still_closed() {
            return false;
        }
        if diagnostics.is_empty() && !previous.is_some_and(|p| p.non_empty) {
            state.insert(key, Published { version: None, seq, non_empty: false });
            return false;
        }
        state.insert(key, Published { version: None, seq, non_empty: !diagnostics.is_empty() });
        self.send(uri.clone(), diagnostics, None);
        true
    }

    /// Forgets what was published for `uri` (it was opened or closed: versions restart) and,
    /// when `clear` is set, clears its diagnostics in the client.
    pub async fn reset(&self, uri: &Uri, clear: bool) {
        let mut state = self.state.lock().await;
        if clear {
            if state.remove(uri.as_str()).is_some_and(|p| p.non_empty) {
                self.send(uri.clone(), Vec::new(), None);
            }
        } else if let Some(entry) = state.get_mut(uri.as_str()) {
            // Keep `non_empty`, so an empty result later still clears what the client shows.
            entry.version = None;
            entry.seq = 0;
        }
    }

    /// Clears the published diagnostics of every URI `clear` selects.
    pub async fn clear_where(&self, mut clear: impl FnMut(&str) -> bool) {
        let mut state = self.state.lock().await;
        let doomed: Vec<String> = state.keys().filter(|k| clear(k)).cloned().collect();
        for key in doomed {
            let non_empty = state.remove(&key).is_some_and(|p| p.non_empty);
            if let (true, Ok(uri)) = (non_empty, key.parse::<Uri>()) {
                self.send(uri, Vec::new(), None);
            }
        }
    }

    fn send(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        // A newer publish of the document replaces one the client has not been sent yet.
        let key = uri.as_str().to_string();
        self.outgoing.notify(
            PublishDiagnostics::METHOD,
            &PublishDiagnosticsParams { uri, diagnostics, version },
            Some(key),
        );
    }
}

//! The only place diagnostics are sent from. It guarantees that, per URI, a publish never
//! carries an older document version than one already sent, and that results for closed files
//! land in the order their analyses started.
//!
//! Publishes are serialised here, straight from their parameters, and queued with the server's
//! other output (`output.rs`): tower-lsp-server's client would build them as a
//! `serde_json::Value` first, which for a 125-diagnostic publish costs more than the JSON.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};

use crate::diagnostics::WireDiagnostics;
use crate::output::{Outgoing, notification_frame};

#[derive(Debug, Default)]
struct Published {
    version: Option<i32>,
    seq: u64,
    non_empty: bool,
}

/// Its methods do not wait on anything but a short lock (a publish is serialised before it is
/// taken), so they are called from async tasks and from analysis threads alike: an open
/// document's findings are published from the thread that computed them.
pub struct Publisher {
    outgoing: Outgoing,
    state: Mutex<HashMap<String, Published>>,
    seq: AtomicU64,
}

impl Publisher {
    pub fn new(outgoing: Outgoing) -> Self {
        Self { outgoing, state: Mutex::default(), seq: AtomicU64::new(1) }
    }

    fn state(&self) -> MutexGuard<'_, HashMap<String, Published>> {
        // Every update of an entry is a single assignment: a panic cannot leave one half done.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A ticket for a closed-file analysis about to start.
    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Publishes an open document's findings for `version`, unless `is_current` says the
    /// document moved on or a newer version was already published. Returns whether it sent.
    pub fn publish_open(
        &self,
        uri: &Uri,
        version: i32,
        diagnostics: WireDiagnostics,
        is_current: impl Fn() -> bool,
    ) -> bool {
        if !is_current() {
            return false;
        }
        let non_empty = !diagnostics.is_empty();
        let Some(frame) = publish_frame(uri, &diagnostics, Some(version)) else { return false };
        let mut state = self.state();
        let entry = state.entry(uri.as_str().to_string()).or_default();
        if entry.version.is_some_and(|v| v > version) || !is_current() {
            return false;
        }
        entry.version = Some(version);
        entry.non_empty = non_empty;
        self.send(uri, frame)
    }

    /// Publishes a closed file's findings from the analysis holding ticket `seq`, unless a later
    /// analysis already published or `still_closed` says the file was opened meanwhile. Empty
    /// results are only sent to clear earlier findings.
    pub fn publish_closed(
        &self,
        uri: &Uri,
        seq: u64,
        diagnostics: WireDiagnostics,
        still_closed: impl FnOnce() -> bool,
    ) -> bool {
        let non_empty = !diagnostics.is_empty();
        let Some(frame) = publish_frame(uri, &diagnostics, None) else { return false };
        let mut state = self.state();
        let key = uri.as_str().to_string();
        let previous = state.get(&key);
        if previous.is_some_and(|p| p.seq > seq || p.version.is_some()) || !still_closed() {
            return false;
        }
        if !non_empty && !previous.is_some_and(|p| p.non_empty) {
            state.insert(key, Published { version: None, seq, non_empty: false });
            return false;
        }
        state.insert(key, Published { version: None, seq, non_empty });
        self.send(uri, frame)
    }

    /// Forgets what was published for `uri` (it was opened or closed: versions restart) and,
    /// when `clear` is set, clears its diagnostics in the client.
    pub fn reset(&self, uri: &Uri, clear: bool) {
        let mut state = self.state();
        if clear {
            if state.remove(uri.as_str()).is_some_and(|p| p.non_empty) {
                self.clear(uri);
            }
        } else if let Some(entry) = state.get_mut(uri.as_str()) {
            // Keep `non_empty`, so an empty result later still clears what the client shows.
            entry.version = None;
            entry.seq = 0;
        }
    }

    /// Clears the published diagnostics of every URI `clear` selects.
    pub fn clear_where(&self, mut clear: impl FnMut(&str) -> bool) {
        let mut state = self.state();
        let doomed: Vec<String> = state.keys().filter(|k| clear(k)).cloned().collect();
        for key in doomed {
            let non_empty = state.remove(&key).is_some_and(|p| p.non_empty);
            if let (true, Ok(uri)) = (non_empty, key.parse::<Uri>()) {
                self.clear(&uri);
            }
        }
    }

    fn clear(&self, uri: &Uri) {
        if let Some(frame) = publish_frame(uri, &WireDiagnostics::default(), None) {
            self.send(uri, frame);
        }
    }

    /// Queues a publish of `uri`, made while the state lock is held: per URI, publishes are
    /// queued in the order the state records them.
    fn send(&self, uri: &Uri, frame: Vec<u8>) -> bool {
        // A newer publish of the document replaces one the client has not been sent yet.
        self.outgoing.send_frame(frame, Some(uri.as_str().to_string()))
    }
}

/// `textDocument/publishDiagnostics` parameters (as `ls_types::PublishDiagnosticsParams`).
#[derive(Serialize)]
struct PublishParams<'a> {
    uri: &'a Uri,
    diagnostics: &'a WireDiagnostics,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
}

fn publish_frame(uri: &Uri, diagnostics: &WireDiagnostics, version: Option<i32>) -> Option<Vec<u8>> {
    notification_frame(PublishDiagnostics::METHOD, &PublishParams { uri, diagnostics, version })
}

//! An open document: its text as a rope, its version, and what the server remembers about its
//! analysis (the last findings of a version that parsed, and the edits made since).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clerkguard_linter::{BufferCache, Diagnostic, PositionEncoding};
use clerkguard_syntax::TextChange;
use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::position::rope_char_index;

/// Edits kept for moving the last good findings; past this the findings are let go.
const MAX_LOGGED_EDITS: usize = 4096;

/// Orders the analysis workspace's view of an open buffer: the overlay is only ever replaced by
/// a newer version, and never set again once the document is closed.
#[derive(Debug, Default)]
pub struct OverlayState {
    pub version: Option<i32>,
    pub closed: bool,
}

/// The findings of the last version that parsed.
#[derive(Clone, Debug)]
pub struct LastGood {
    pub version: i32,
    pub diagnostics: Arc<Vec<Diagnostic>>,
}

pub struct Document {
    pub uri: Uri,
    /// The file path (or a synthetic one for `untitled:` and other non-file documents).
    pub path: PathBuf,
    /// Whether `path` is a real file the workspace may read from disk.
    pub on_disk: bool,
    pub version: i32,
    rope: Rope,
    edits_since_good: Vec<(i32, TextChange)>,
    pub last_good: Option<LastGood>,
    /// The findings published for a version (what fix-all applies without re-linting).
    pub last_report: Option<(i32, Arc<Vec<Diagnostic>>)>,
    /// Bumped by every scheduled analysis; the analysis loop goes again until it has analysed
    /// the latest generation.
    pub generation: u64,
    /// An analysis loop of this document is running (see `scheduler.rs`).
    pub analysis_running: bool,
    pub overlay: Arc<Mutex<OverlayState>>,
    /// The syntax tree and entry-point analyses of the last analysed version, for re-analysing
    /// only what an edit touched; lent to the running analysis (`None` meanwhile). In a mutex
    /// because the documents are shared between threads (the cache is `Send`, not `Sync`).
    cache: Mutex<Option<BufferCache>>,
}

/// What an analysis of one version needs, detached from the document.
pub struct Snapshot {
    pub key: String,
    pub uri: Uri,
    pub path: PathBuf,
    pub on_disk: bool,
    pub version: i32,
    pub text: String,
    pub last_good: Option<Arc<Vec<Diagnostic>>>,
    pub edits_since_good: Vec<TextChange>,
    pub overlay: Arc<Mutex<OverlayState>>,
}

impl Document {
    pub fn new(uri: Uri, path: PathBuf, on_disk: bool, version: i32, text: &str) -> Self {
        Self {
            uri,
            path,
            on_disk,
            version,
            rope: Rope::from_str(text),
            edits_since_good: Vec::new(),
            last_good: None,
            last_report: None,
            generation: 0,
            analysis_running: false,
            overlay: Arc::default(),
            cache: Mutex::new(Some(BufferCache::new())),
        }
    }

    /// Lends the document's cache to an analysis (an empty one if another analysis has it).
    pub fn take_cache(&mut self) -> BufferCache {
        self.cache.get_mut().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default()
    }

    /// Takes the cache back after an analysis.
    pub fn return_cache(&mut self, cache: BufferCache) {
        *self.cache.get_mut().unwrap_or_else(|p| p.into_inner()) = Some(cache);
    }

    pub fn text(&self) -> String {
        // Sized once, chunks appended (`to_string` goes through `Display`, growing as it goes).
        String::from(&self.rope)
    }

    /// Applies `didChange` content changes in order. Ranges are clamped to the text.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) {
        for change in changes {
            let edit = match change.range {
                None => {
                    let old_len = self.rope.len_bytes() as u32;
                    self.rope = Rope::from_str(&change.text);
                    TextChange { start: 0, old_end: old_len, new_end: change.text.len() as u32 }
                }
                Some(range) => {
                    let a = rope_char_index(&self.rope, range.start, encoding);
                    let b = rope_char_index(&self.rope, range.end, encoding);
                    let (start, end) = (a.min(b), a.max(b));
                    let start_byte = self.rope.char_to_byte(start) as u32;
                    let edit = TextChange {
                        start: start_byte,
                        old_end: self.rope.char_to_byte(end) as u32,
                        new_end: start_byte + change.text.len() as u32,
                    };
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                    edit
                }
            };
            if self.last_good.is_some() {
                self.edits_since_good.push((version, edit));
            }
        }
        if self.edits_since_good.len() > MAX_LOGGED_EDITS {
            self.last_good = None;
            self.edits_since_good.clear();
        }
        self.version = version;
        self.last_report = None;
    }

    /// Remembers the findings published for `version` (the current version).
    pub fn record_report(&mut self, version: i32, diagnostics: Arc<Vec<Diagnostic>>, parsed_cleanly: bool) {
        if version != self.version {
            return;
        }
        if parsed_cleanly {
            self.last_good = Some(LastGood { version, diagnostics: diagnostics.clone() });
            self.edits_since_good.clear();
        }
        self.last_report = Some((version, diagnostics));
    }

    pub fn snapshot(&self, key: &str) -> Snapshot {
        let (last_good, edits_since_good) = match &self.last_good {
            Some(good) => (
                Some(good.diagnostics.clone()),
                self.edits_since_good.iter().filter(|(v, _)| *v > good.version).map(|(_, e)| *e).collect(),
            ),
            None => (None, Vec::new()),
        };
        Snapshot {
            key: key.to_string(),
            uri: self.uri.clone(),
            path: self.path.clone(),
            on_disk: self.on_disk,
            version: self.version,
            text: self.text(),
            last_good,
            edits_since_good,
            overlay: self.overlay.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn doc(text: &str) -> Document {
        let uri: Uri = "file:///tmp/a.ts".parse().unwrap();
        Document::new(uri, PathBuf::from("/tmp/a.ts"), true, 1, text)
    }

    #[test]
    fn incremental_edits_after_emoji_in_both_encodings() {
        // "🚀" is 2 UTF-16 units and 4 UTF-8 bytes.
        let mut d = doc("const s = \"🚀\"; auth();\n");
        d.apply_changes(2, vec![change(0, 16, 0, 16, "await ")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "const s = \"🚀\"; await auth();\n");
        let mut d = doc("const s = \"🚀\"; auth();\n");
        d.apply_changes(2, vec![change(0, 18, 0, 18, "await ")], PositionEncoding::Utf8);
        assert_eq!(d.text(), "const s = \"🚀\"; await auth();\n");
    }

    #[test]
    fn out_of_range_positions_clamp_and_full_replacement_works() {
        let mut d = doc("ab\ncd");
        d.apply_changes(2, vec![change(0, 99, 0, 120, "X")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "abX\ncd");
        d.apply_changes(3, vec![change(40, 0, 50, 3, "!")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "abX\ncd!");
        d.apply_changes(
            4,
            vec![TextDocumentContentChangeEvent { range: None, range_length: None, text: "new".into() }],
            PositionEncoding::Utf16,
        );
        assert_eq!(d.text(), "new");
        assert_eq!(d.version, 4);
    }

    #[test]
    fn logs_edits_only_after_a_good_version() {
        let mut d = doc("abc");
        d.apply_changes(2, vec![change(0, 0, 0, 0, "x")], PositionEncoding::Utf16);
        assert!(d.snapshot("k").edits_since_good.is_empty());
        d.record_report(2, Arc::new(Vec::new()), true);
        d.apply_changes(3, vec![change(0, 1, 0, 2, "")], PositionEncoding::Utf16);
        let snap = d.snapshot("k");
        assert_eq!(snap.edits_since_good, vec![TextChange { start: 1, old_end: 2, new_end: 1 }]);
        assert_eq!(snap.text, "xbc");
    }
}

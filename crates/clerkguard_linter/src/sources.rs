//! The texts every part of the analysis reads: open editor buffers first, then the disk. A
//! file is read from disk once per workspace and kept until it changes ([`Sources::forget`]),
//! so the lint, the project index and its models, and the cross-module summaries share one
//! read (a check used to read most files three or four times).
//!
//! Parses are not kept here. Keeping every syntax tree the data-schema scan made, for the lint
//! to reuse, was measured (BENCHMARKS.md): it saved the second parse but cost 2.4× the memory
//! and as much time again in page faults. The module graph keeps the few it makes for a batch
//! lint, within a budget (`ModuleGraph::take_parse`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap as HashMap;

use crate::lint::SkipReason;
use crate::locks::{read, write};

/// Files larger than this are skipped with a note (generated bundles, data dumps).
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Texts by path, keyed by the path's bytes: hashing a `Path` walks its components, and every
/// read of a text looks it up.
type ByPath<T> = HashMap<OsString, T>;

#[derive(Default)]
pub struct Sources {
    overlays: RwLock<ByPath<Arc<str>>>,
    disk: RwLock<ByPath<Result<Arc<str>, SkipReason>>>,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("overlays", &read(&self.overlays).len())
            .field("disk", &read(&self.disk).len())
            .finish()
    }
}

impl Sources {
    /// The current text of a file: its open buffer, else the disk (read once, then kept).
    pub fn text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        // (`check` has no open buffers: no lookup in an empty map.)
        let key = path.as_os_str();
        let overlays = read(&self.overlays);
        if !overlays.is_empty()
            && let Some(text) = overlays.get(key)
        {
            return Ok(text.clone());
        }
        drop(overlays);
        if let Some(known) = read(&self.disk).get(key) {
            return known.clone();
        }
        let loaded = read_source_file(path);
        write(&self.disk).insert(key.to_owned(), loaded.clone());
        loaded
    }

    /// [`Self::text`] when there is one.
    pub fn text_if_any(&self, path: &Path) -> Option<Arc<str>> {
        self.text(path).ok()
    }

    /// Sets (or with `None` clears) the unsaved text of an open buffer. Clearing also forgets
    /// the disk text, which may have been saved meanwhile.
    pub fn set_overlay(&self, path: &Path, text: Option<&str>) {
        match text {
            Some(text) => {
                write(&self.overlays).insert(path.as_os_str().to_owned(), Arc::from(text));
            }
            None => {
                write(&self.overlays).remove(path.as_os_str());
                self.forget(path);
            }
        }
    }

    pub fn has_overlay(&self, path: &Path) -> bool {
        read(&self.overlays).contains_key(path.as_os_str())
    }

    /// Paths of the open buffers.
    pub fn overlay_paths(&self) -> Vec<PathBuf> {
        read(&self.overlays).keys().map(PathBuf::from).collect()
    }

    /// The file changed on disk (or its buffer did): the next read goes to the disk again.
    pub fn forget(&self, path: &Path) {
        write(&self.disk).remove(path.as_os_str());
    }

    /// Forgets every disk text (a full rescan reads the disk again: files may have changed
    /// without a notification, e.g. a `git checkout` under a client that does not watch files).
    pub fn forget_all(&self) {
        write(&self.disk).clear();
    }
}

/// Reads a file for analysis, refusing huge, binary and non-UTF-8 files.
pub fn read_source_file(path: &Path) -> Result<Arc<str>, SkipReason> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| SkipReason::Unreadable(e.to_string());
    // One open and a size check on the handle (a path lookup less than stat + read).
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    String::from_utf8(bytes).map(Arc::from).map_err(|_| SkipReason::InvalidUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn reads_once_until_forgotten() {
        let (_dir, path) = temp_file("a.ts", "export const a = 1;");
        let sources = Sources::default();
        assert_eq!(&*sources.text(&path).expect("text"), "export const a = 1;");
        std::fs::write(&path, "export const a = 2;").expect("write");
        assert_eq!(&*sources.text(&path).expect("text"), "export const a = 1;", "kept until told");
        sources.forget(&path);
        assert_eq!(&*sources.text(&path).expect("text"), "export const a = 2;");
    }

    #[test]
    fn overlays_win_and_closing_rereads_the_disk() {
        let (_dir, path) = temp_file("a.ts", "disk");
        let sources = Sources::default();
        assert_eq!(&*sources.text(&path).expect("text"), "disk");
        sources.set_overlay(&path, Some("buffer"));
        assert_eq!(&*sources.text(&path).expect("text"), "buffer");
        std::fs::write(&path, "saved").expect("write");
        sources.set_overlay(&path, None);
        assert_eq!(&*sources.text(&path).expect("text"), "saved");
    }

    #[test]
    fn refuses_binary_and_invalid_utf8() {
        let dir = tempfile::tempdir().expect("temp dir");
        let binary = dir.path().join("b.ts");
        std::fs::write(&binary, b"a\0b").expect("write");
        assert_eq!(read_source_file(&binary), Err(SkipReason::Binary));
        let latin = dir.path().join("c.ts");
        std::fs::write(&latin, b"caf\xe9").expect("write");
        assert_eq!(read_source_file(&latin), Err(SkipReason::InvalidUtf8));
    }
}

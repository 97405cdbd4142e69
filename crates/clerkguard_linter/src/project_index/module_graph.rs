//! The project's import graph and the client closure (filled in by the client/server work).

use std::path::{Path, PathBuf};

use super::ProjectIndex;

#[derive(Debug, Default)]
pub struct ModuleGraph {}

pub fn build(_index: &ProjectIndex) -> ModuleGraph {
    ModuleGraph::default()
}

impl ModuleGraph {
    /// Called when a source file changed without a structural change; returns other files whose
    /// findings may change (e.g. modules that entered or left the client closure).
    pub fn note_change(&self, _path: &Path, _text: Option<&str>) -> Vec<PathBuf> {
        Vec::new()
    }
}

//! Cross-module summaries, cached per file. (Resolution and composition land with the
//! module-graph work; today every import is unresolved.)

use std::path::{Path, PathBuf};

use super::{FunctionSummary, SummaryLookup};
use crate::Workspace;

#[derive(Debug, Default)]
pub struct ModuleSummaryCache {}

impl ModuleSummaryCache {
    pub fn clear(&self) {}

    /// Forgets what was computed from `path`; returns the files that depended on it.
    pub fn invalidate(&self, _path: &Path) -> Vec<PathBuf> {
        Vec::new()
    }

    pub fn lookup<'a>(&'a self, workspace: &'a Workspace, from: &'a Path) -> CachedLookup<'a> {
        CachedLookup { _cache: self, _workspace: workspace, _from: from }
    }
}

pub struct CachedLookup<'a> {
    _cache: &'a ModuleSummaryCache,
    _workspace: &'a Workspace,
    _from: &'a Path,
}

impl SummaryLookup for CachedLookup<'_> {
    fn imported(&self, _specifier: &str, _export_name: &str) -> Option<FunctionSummary> {
        None
    }
}

//! Shared by the integration tests of this crate.

use std::path::PathBuf;

/// Writes `files` under a fresh temp dir that looks like a repository root (it has `.git`, so
/// the lockfile and workspace-root searches never leave it). Returns the dir and its canonical path.
pub fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (dir, root)
}

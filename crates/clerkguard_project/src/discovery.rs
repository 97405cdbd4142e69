//! Finding projects and their source files.

use std::path::{Path, PathBuf};

/// Directories that never hold app source: dependencies and build output.
pub fn is_ignored_dir(name: &str) -> bool {
    matches!(
        name,
        "node_modules" | ".next" | ".git" | "out" | "dist" | "build" | ".turbo" | ".vercel" | "coverage" | "target"
    )
}

/// The nearest ancestor directory of `file` (or `file` itself) that holds a package.json.
pub fn find_project_root(file: &Path) -> Option<PathBuf> {
    let start = if file.is_dir() { Some(file) } else { file.parent() };
    start?.ancestors().find(|dir| dir.join("package.json").is_file()).map(Path::to_path_buf)
}

/// Every analysable source file under `root`, honouring .gitignore and skipping ignored dirs.
pub fn walk_source_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && (is_ignored_dir(&name) || name.starts_with('.') && name != "."))
        })
        .build();
    for entry in walker.flatten() {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            out.push(entry.into_path());
        }
    }
    out.sort();
    out
}

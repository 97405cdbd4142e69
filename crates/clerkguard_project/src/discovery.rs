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

/// Every file under `root`, honouring .gitignore and skipping ignored dirs; sorted. The walk
/// runs on as many threads as rayon's pool has (directory listing is most of a check's start
/// on large trees).
pub fn walk_source_files(root: &Path) -> Vec<PathBuf> {
    let found = std::sync::Mutex::new(Vec::new());
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .threads(rayon::current_num_threads())
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && (is_ignored_dir(&name) || name.starts_with('.') && name != "."))
        })
        .build_parallel();
    walker.run(|| {
        let mut batch = Batch { local: Vec::new(), found: &found };
        Box::new(move |entry| {
            if let Ok(entry) = entry
                && entry.file_type().is_some_and(|t| t.is_file())
            {
                batch.local.push(entry.into_path());
                if batch.local.len() >= 256 {
                    batch.flush();
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut out = found.into_inner().unwrap_or_else(|p| p.into_inner());
    out.sort_unstable_by(|a, b| path_order(a, b));
    out
}

/// `Path`'s order (component by component) for normalised paths (no `.` or empty components,
/// like the walk's), from the bytes: comparing them with the separator as the smallest byte
/// gives the same order. Sorting 5,000 paths with `Path::cmp`, which splits both paths into
/// components, took ~15 ms on one thread.
#[cfg(unix)]
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    use std::os::unix::ffi::OsStrExt;
    let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
    // Paths of one tree share long prefixes: find the first difference 8 bytes at a time.
    let mut at = 0;
    while at + 8 <= a.len().min(b.len()) && a[at..at + 8] == b[at..at + 8] {
        at += 8;
    }
    match a[at..].iter().zip(&b[at..]).position(|(x, y)| x != y) {
        Some(i) => {
            let key = |byte: u8| if byte == b'/' { 0 } else { byte };
            key(a[at + i]).cmp(&key(b[at + i]))
        }
        None => a.len().cmp(&b.len()),
    }
}

#[cfg(not(unix))]
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    a.cmp(b)
}

/// Files one walker thread found, handed over in batches (and the rest when the thread ends).
struct Batch<'a> {
    local: Vec<PathBuf>,
    found: &'a std::sync::Mutex<Vec<PathBuf>>,
}

impl Batch<'_> {
    fn flush(&mut self) {
        self.found.lock().unwrap_or_else(|p| p.into_inner()).append(&mut self.local);
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Every Next.js project under `paths`: each directory with a package.json that declares `next`
/// or `@clerk/nextjs` (a monorepo with `apps/web` and `apps/admin` yields both). Dependency and
/// build directories, hidden directories and gitignored paths are skipped. A path inside a
/// project (a file, or `apps/web/app`) yields that project. Sorted, without duplicates.
pub fn find_project_roots<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if let Some(root) = find_project_root(path)
            && declares_next(&root)
        {
            roots.push(root);
        }
        if !path.is_dir() {
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .filter_entry(|entry| {
                let name = entry.file_name().to_string_lossy();
                entry.depth() == 0
                    || !(entry.file_type().is_some_and(|t| t.is_dir())
                        && (is_ignored_dir(&name) || name.starts_with('.')))
            })
            .build();
        for entry in walker.flatten() {
            if entry.file_name() == "package.json"
                && entry.file_type().is_some_and(|t| t.is_file())
                && let Some(dir) = entry.path().parent()
                && declares_next(dir)
            {
                roots.push(dir.to_path_buf());
            }
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

/// Whether `dir/package.json` declares `next` or `@clerk/nextjs` in any dependency section.
fn declares_next(dir: &Path) -> bool {
    let Some(json) =
        crate::manifest::read_manifest(&dir.join("package.json")).and_then(|t| crate::manifest::parse_manifest(&t))
    else {
        return false;
    };
    crate::DependencyKind::ALL.iter().any(|kind| {
        json.get(kind.key())
            .and_then(|d| d.as_object())
            .is_some_and(|d| d.contains_key("next") || d.contains_key("@clerk/nextjs"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_order_is_paths_order() {
        let paths: Vec<PathBuf> = [
            "/w/app/a.ts",
            "/w/app/a/b.ts",
            "/w/app/a.b/c.ts",
            "/w/app/a-b.ts",
            "/w/app/ab.ts",
            "/w/app/a",
            "/w/app",
            "/w/app/[id]/page.tsx",
            "/w/app/(group)/page.tsx",
            "/w/app/A.ts",
            "/w/app/é.ts",
            "/w/app/z/a.ts",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        for a in &paths {
            for b in &paths {
                assert_eq!(path_order(a, b), a.cmp(b), "{} vs {}", a.display(), b.display());
            }
        }
    }
}

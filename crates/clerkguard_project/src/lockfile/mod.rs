//! Exact installed versions from the package manager's lockfile.
//!
//! Each reader answers one question: for the project at `importer` (its path relative to the
//! lockfile's directory, `""` for the lockfile's own directory), which version of each wanted
//! dependency is installed. Readers never fail: a truncated or foreign file answers fewer names.

mod bun;
mod npm;
mod pnpm;
mod yarn;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::version::range_matches;

/// Lockfiles larger than this are not read (a real one is a few MB; this guards memory).
const MAX_LOCKFILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LockfileKind {
    /// `package-lock.json` / `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3).
    Npm,
    /// `pnpm-lock.yaml` (lockfileVersion 5.x, 6.x, 9.x).
    Pnpm,
    /// `yarn.lock` (classic v1 and berry).
    Yarn,
    /// `bun.lock` (the text format; the binary `bun.lockb` is not read).
    Bun,
}

impl LockfileKind {
    /// File names in the order they are consulted when a directory holds several.
    const FILES: [(&'static str, LockfileKind); 5] = [
        ("npm-shrinkwrap.json", LockfileKind::Npm),
        ("package-lock.json", LockfileKind::Npm),
        ("pnpm-lock.yaml", LockfileKind::Pnpm),
        ("yarn.lock", LockfileKind::Yarn),
        ("bun.lock", LockfileKind::Bun),
    ];
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lockfile {
    pub path: PathBuf,
    pub kind: LockfileKind,
}

/// The lockfiles that govern `project_root`: those in the nearest directory, starting at the
/// project and walking up, that holds any lockfile (monorepos keep one at the workspace root).
/// The walk stops at the repository root (a directory with `.git`). A directory with only the
/// binary `bun.lockb` ends the search with nothing readable.
pub fn find_lockfiles(project_root: &Path) -> Vec<Lockfile> {
    for dir in project_root.ancestors() {
        let found: Vec<Lockfile> = LockfileKind::FILES
            .iter()
            .map(|(name, kind)| Lockfile { path: dir.join(name), kind: *kind })
            .filter(|lock| lock.path.is_file())
            .collect();
        if !found.is_empty() || dir.join("bun.lockb").is_file() {
            return found;
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Vec::new()
}

/// A dependency to look up: its name and the range the project's package.json asks for.
#[derive(Clone, Copy, Debug)]
pub struct WantedDependency<'a> {
    pub name: &'a str,
    pub range: &'a str,
}

/// Installed versions of `wanted` for the project at `project_root` according to `lockfile`.
/// `project_name` is the project's package.json `name` (bun keys conflicting copies by it).
pub fn locked_versions(
    lockfile: &Lockfile,
    project_root: &Path,
    project_name: Option<&str>,
    wanted: &[WantedDependency<'_>],
) -> HashMap<String, semver::Version> {
    let Some(text) = read_capped(&lockfile.path) else { return HashMap::new() };
    let importer = importer_path(lockfile, project_root);
    match lockfile.kind {
        LockfileKind::Npm => npm::versions(&text, &importer, wanted),
        LockfileKind::Pnpm => pnpm::versions(&text, &importer, wanted),
        LockfileKind::Yarn => yarn::versions(&text, wanted),
        LockfileKind::Bun => bun::versions(&text, &importer, project_name, wanted),
    }
}

fn read_capped(path: &Path) -> Option<String> {
    let len = std::fs::metadata(path).ok()?.len();
    if len > MAX_LOCKFILE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The project's directory relative to the lockfile's, with `/` separators (`""` when equal).
fn importer_path(lockfile: &Lockfile, project_root: &Path) -> String {
    let Some(lock_dir) = lockfile.path.parent() else { return String::new() };
    let rel = match project_root.strip_prefix(lock_dir) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            let (Ok(root), Ok(dir)) = (std::fs::canonicalize(project_root), std::fs::canonicalize(lock_dir)) else {
                return String::new();
            };
            match root.strip_prefix(&dir) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => return String::new(),
            }
        }
    };
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// When the lockfile holds several versions of a name and nothing ties one to the project, the
/// highest that satisfies the project's range; a single candidate is taken as is.
fn pick_candidate(range: &str, candidates: &[semver::Version]) -> Option<semver::Version> {
    let first = candidates.first()?;
    if candidates.iter().all(|c| c == first) {
        return Some(first.clone());
    }
    candidates.iter().filter(|c| range_matches(range, c) == Some(true)).max().cloned()
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Random texts over the characters these formats are made of: no reader may panic.
    #[test]
    fn readers_survive_random_input() {
        const ALPHABET: [&str; 24] = [
            "\"",
            "'",
            ":",
            ": ",
            "{",
            "}",
            "[",
            "]",
            ",",
            "\n",
            "  ",
            "@",
            "/",
            "6.9.0",
            "(",
            ")",
            "_",
            "é",
            "\\",
            "#",
            "- ",
            "version",
            "@clerk/nextjs",
            "//",
        ];
        let wanted = [WantedDependency { name: "@clerk/nextjs", range: "^6" }];
        let mut rng = clerkguard_syntax::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..rng.below(64) {
                text.push_str(ALPHABET[rng.below(ALPHABET.len())]);
            }
            let _ = npm::versions(&text, "apps/web", &wanted);
            let _ = pnpm::versions(&text, "", &wanted);
            let _ = yarn::versions(&text, &wanted);
            let _ = bun::versions(&text, "", None, &wanted);
            let _ = crate::json_spans::object_members(&text, &["dependencies"]);
            let _ = crate::jsonc::parse_jsonc(&text);
            let _ =
                crate::package_exports::map_targets(&crate::jsonc::parse_jsonc(&text).unwrap_or_default(), "./server");
        }
    }
}

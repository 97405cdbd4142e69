//! package.json and lockfile reading. (Stub: the lockfile readers land with the project facts work.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::VersionReq;

/// One dependency as the project declares and (when a lockfile says) installs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DependencyVersion {
    pub name: String,
    /// The range written in package.json, e.g. `^6.9.0`.
    pub range: String,
    /// The exact version from the lockfile, when one was found.
    pub resolved: Option<semver::Version>,
}

impl DependencyVersion {
    /// The version to reason about: the lockfile's, else the lowest version the range allows.
    pub fn effective(&self) -> Option<semver::Version> {
        self.resolved.clone().or_else(|| minimum_of_range(&self.range))
    }

    pub fn major(&self) -> Option<u64> {
        self.effective().map(|v| v.major)
    }

    /// `true` when the effective version is at least `req`. Unknown versions answer `None`.
    pub fn satisfies(&self, req: VersionReq) -> Option<bool> {
        self.effective().map(|v| v >= req.version())
    }
}

/// The lowest version a package.json range admits (`^6.1.0` → 6.1.0, `~5` → 5.0.0, `6.x` → 6.0.0).
pub fn minimum_of_range(range: &str) -> Option<semver::Version> {
    let first = range.split("||").next()?.trim();
    let token = first.split_whitespace().find(|t| t.chars().any(|c| c.is_ascii_digit()) && !t.starts_with('<'))?;
    let token = token.trim_start_matches(['^', '~', '=', '>', 'v']);
    let mut parts = token.split(['.', '-', '+']).take(3).map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    let patch = parts.next().flatten().unwrap_or(0);
    Some(semver::Version::new(major, minor, patch))
}

/// What clerkguard knows about one Next.js app (a directory with a package.json).
#[derive(Clone, Debug, Default)]
pub struct ProjectInfo {
    pub root: PathBuf,
    pub clerk: Option<DependencyVersion>,
    pub next: Option<DependencyVersion>,
    /// Every dependency (dependencies, devDependencies, peerDependencies) by name.
    pub dependencies: BTreeMap<String, DependencyVersion>,
}

impl ProjectInfo {
    /// The major version of `@clerk/nextjs`, defaulting to the current major (7) when unknown.
    pub fn clerk_major(&self) -> u64 {
        self.clerk.as_ref().and_then(DependencyVersion::major).unwrap_or(7)
    }

    /// Whether `@clerk/nextjs` is at least `req`; unknown versions count as the newest.
    pub fn clerk_at_least(&self, req: VersionReq) -> bool {
        self.clerk.as_ref().and_then(|d| d.satisfies(req)).unwrap_or(true)
    }

    pub fn next_at_least(&self, req: VersionReq) -> bool {
        self.next.as_ref().and_then(|d| d.satisfies(req)).unwrap_or(true)
    }
}

/// Reads `root/package.json` (and a lockfile next to it or above it).
pub fn load_project(root: &Path) -> ProjectInfo {
    let mut info = ProjectInfo { root: root.to_path_buf(), ..Default::default() };
    let Ok(text) = std::fs::read_to_string(root.join("package.json")) else { return info };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { return info };
    for section in ["dependencies", "devDependencies", "peerDependencies"] {
        if let Some(deps) = json.get(section).and_then(|d| d.as_object()) {
            for (name, range) in deps {
                let Some(range) = range.as_str() else { continue };
                info.dependencies.entry(name.clone()).or_insert_with(|| DependencyVersion {
                    name: name.clone(),
                    range: range.to_string(),
                    resolved: None,
                });
            }
        }
    }
    info.clerk = info.dependencies.get("@clerk/nextjs").cloned();
    info.next = info.dependencies.get("next").cloned();
    info
}

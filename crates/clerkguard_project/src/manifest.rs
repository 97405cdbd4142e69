//! package.json: the dependencies a project declares (with the exact text of each, for fixes
//! that edit a version) and the versions its lockfile installs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::VersionReq;
use crate::json_spans::{Member, object_members};
use crate::lockfile::{WantedDependency, find_lockfiles, locked_versions};

/// package.json files larger than this are treated as unreadable.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// Which package.json section declares a dependency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DependencyKind {
    #[default]
    Dependencies,
    DevDependencies,
    PeerDependencies,
    OptionalDependencies,
}

impl DependencyKind {
    /// Sections in precedence order: a name in several counts where it appears first.
    pub const ALL: [DependencyKind; 4] =
        [Self::Dependencies, Self::DevDependencies, Self::PeerDependencies, Self::OptionalDependencies];

    /// The section's key in package.json.
    pub fn key(self) -> &'static str {
        match self {
            Self::Dependencies => "dependencies",
            Self::DevDependencies => "devDependencies",
            Self::PeerDependencies => "peerDependencies",
            Self::OptionalDependencies => "optionalDependencies",
        }
    }
}

/// One dependency as the project declares and (when a lockfile says) installs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DependencyVersion {
    pub name: String,
    /// The range written in package.json, e.g. `^6.9.0`.
    pub range: String,
    /// The exact version from the lockfile, when one was found.
    pub resolved: Option<semver::Version>,
    /// The package.json section that declares it.
    pub kind: DependencyKind,
    /// Byte range in package.json of the whole `"name": "range"` member.
    pub manifest_range: Option<(u32, u32)>,
    /// Byte range in package.json of the range string's contents (inside the quotes): replace
    /// this to change the version.
    pub version_range: Option<(u32, u32)>,
    /// `minimum_of_range(range)`, worked out once: rules ask for the version on every file.
    minimum: Option<semver::Version>,
}

impl DependencyVersion {
    /// A dependency known only by name and range (no lockfile, no position).
    pub fn new(name: impl Into<String>, range: impl Into<String>) -> Self {
        let range = range.into();
        Self { name: name.into(), minimum: minimum_of_range(&range), range, ..Default::default() }
    }

    /// The version to reason about: the lockfile's, else the lowest version the range allows.
    pub fn effective(&self) -> Option<semver::Version> {
        self.resolved.clone().or_else(|| self.minimum.clone())
    }

    pub fn major(&self) -> Option<u64> {
        self.effective().map(|v| v.major)
    }

    /// `true` when the effective version is at least `req`. Unknown versions answer `None`.
    /// A prerelease of the required version counts as reaching it (`7.0.0-snapshot` ≥ 7.0.0):
    /// snapshots ship the API of the release they precede.
    pub fn satisfies(&self, req: VersionReq) -> Option<bool> {
        self.effective().map(|mut v| {
            v.pre = semver::Prerelease::EMPTY;
            v >= req.version()
        })
    }
}

/// The lowest version a package.json range admits (`^6.1.0` → 6.1.0, `~5` → 5.0.0, `6.x` → 6.0.0,
/// `npm:@clerk/nextjs@^6` → 6.0.0, `7.0.0-beta.1` → 7.0.0-beta.1). Tags, URLs → `None`.
pub fn minimum_of_range(range: &str) -> Option<semver::Version> {
    let range = range.trim();
    let range = range.strip_prefix("workspace:").unwrap_or(range);
    let range = match range.strip_prefix("npm:") {
        Some(alias) => alias.get(1..).and_then(|rest| rest.split_once('@')).map_or(alias, |(_, r)| r),
        None => range,
    };
    let first = range.split("||").next()?.trim();
    let token = first.split_whitespace().find(|t| t.chars().any(|c| c.is_ascii_digit()) && !t.starts_with('<'))?;
    let token = token.trim_start_matches(['^', '~', '=', '>', 'v']);
    if let Ok(exact) = semver::Version::parse(token) {
        return Some(exact);
    }
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
    /// Every dependency (dependencies, devDependencies, peerDependencies, optionalDependencies)
    /// by name.
    pub dependencies: BTreeMap<String, DependencyVersion>,
    /// The package.json's `name`.
    pub name: Option<String>,
    /// `root/package.json` when it exists; the byte ranges in [`DependencyVersion`] point into it.
    pub manifest_path: Option<PathBuf>,
    /// The monorepo (or single-project) root: the nearest directory, from `root` up, with
    /// `workspaces` in its package.json, a `pnpm-workspace.yaml`, or a lockfile.
    pub workspace_root: Option<PathBuf>,
    /// The lockfile the resolved versions came from.
    pub lockfile: Option<PathBuf>,
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

    /// Whether the package.json declares `next` or `@clerk/nextjs`: a Next.js app to analyse.
    pub fn is_next_app(&self) -> bool {
        self.clerk.is_some() || self.next.is_some()
    }
}

/// Reads `root/package.json` and the versions its lockfile (next to it or above it) installs.
/// Never fails: an unreadable or malformed package.json gives a project without dependencies,
/// a missing or malformed lockfile leaves `resolved` empty.
pub fn load_project(root: &Path) -> ProjectInfo {
    let mut info = ProjectInfo {
        root: root.to_path_buf(),
        workspace_root: crate::workspace::find_workspace_root(root),
        ..Default::default()
    };
    let manifest_path = root.join("package.json");
    let Some(text) = read_manifest(&manifest_path) else { return info };
    info.manifest_path = Some(manifest_path);
    let top = object_members(&text, &[]);
    info.name = string_member(&text, &top, "name");
    for kind in DependencyKind::ALL {
        for member in object_members(&text, &[kind.key()]) {
            if info.dependencies.contains_key(&member.key) {
                continue;
            }
            let Some(range) = decode_string(&text, member.value) else { continue };
            let dependency = DependencyVersion {
                name: member.key.clone(),
                minimum: minimum_of_range(&range),
                range,
                resolved: None,
                kind,
                manifest_range: to_u32_range(member.pair),
                version_range: to_u32_range((member.value.0 + 1, member.value.1.saturating_sub(1))),
            };
            info.dependencies.insert(member.key, dependency);
        }
    }
    fill_locked_versions(&mut info);
    info.clerk = info.dependencies.get("@clerk/nextjs").cloned();
    info.next = info.dependencies.get("next").cloned();
    info
}

fn fill_locked_versions(info: &mut ProjectInfo) {
    if info.dependencies.is_empty() {
        return;
    }
    let root = std::fs::canonicalize(&info.root).unwrap_or_else(|_| info.root.clone());
    let lockfiles = find_lockfiles(&root);
    info.lockfile = lockfiles.first().map(|l| l.path.clone());
    for lockfile in &lockfiles {
        let wanted: Vec<WantedDependency<'_>> = info
            .dependencies
            .values()
            .filter(|d| d.resolved.is_none())
            .map(|d| WantedDependency { name: &d.name, range: &d.range })
            .collect();
        if wanted.is_empty() {
            break;
        }
        let found = locked_versions(lockfile, &root, info.name.as_deref(), &wanted);
        for (name, version) in found {
            if let Some(dep) = info.dependencies.get_mut(&name) {
                dep.resolved = Some(version);
            }
        }
    }
}

/// The text of a package.json, `None` when missing, unreadable or implausibly large.
pub(crate) fn read_manifest(path: &Path) -> Option<String> {
    let len = std::fs::metadata(path).ok()?.len();
    if len > MAX_MANIFEST_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A package.json parsed as JSON (BOM tolerated); `None` when malformed.
pub(crate) fn parse_manifest(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).ok()
}

fn string_member(text: &str, members: &[Member], key: &str) -> Option<String> {
    members.iter().find(|m| m.key == key).and_then(|m| decode_string(text, m.value))
}

fn decode_string(text: &str, (start, end): (usize, usize)) -> Option<String> {
    serde_json::from_str::<String>(text.get(start..end)?).ok()
}

fn to_u32_range((start, end): (usize, usize)) -> Option<(u32, u32)> {
    Some((u32::try_from(start).ok()?, u32::try_from(end).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_of_ranges() {
        let v = |s: &str| minimum_of_range(s).map(|v| v.to_string());
        assert_eq!(v("^6.1.0").as_deref(), Some("6.1.0"));
        assert_eq!(v("~5").as_deref(), Some("5.0.0"));
        assert_eq!(v("6.x").as_deref(), Some("6.0.0"));
        assert_eq!(v(">=5.2 <7").as_deref(), Some("5.2.0"));
        assert_eq!(v("npm:@clerk/nextjs@^6.3.0").as_deref(), Some("6.3.0"));
        assert_eq!(v("workspace:^1.2.0").as_deref(), Some("1.2.0"));
        assert_eq!(v("7.0.0-snapshot.v20260301").as_deref(), Some("7.0.0-snapshot.v20260301"));
        assert_eq!(v("latest"), None);
    }

    #[test]
    fn prerelease_satisfies_its_release() {
        let mut dep = DependencyVersion::new("@clerk/nextjs", "7.0.0-snapshot.v20260301");
        assert_eq!(dep.satisfies(VersionReq::at_least(7, 0, 0)), Some(true));
        dep.resolved = Some(semver::Version::parse("6.13.0-canary.1").unwrap());
        assert_eq!(dep.satisfies(VersionReq::at_least(6, 13, 0)), Some(true));
        assert_eq!(dep.satisfies(VersionReq::at_least(6, 14, 0)), Some(false));
    }
}

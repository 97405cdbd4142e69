//! Monorepo workspaces: where the workspace root is and which local packages it holds.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::Value;

use crate::discovery::is_ignored_dir;
use crate::manifest::{parse_manifest, read_manifest};
use crate::yaml_lines::{YamlEvent, walk_yaml};

/// How deep below the workspace root package directories are looked for (`packages/**`).
const MAX_WORKSPACE_DEPTH: usize = 6;

const LOCKFILES: [&str; 6] =
    ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];

/// The nearest directory, from `project_root` up, that is a workspace root: its package.json has
/// `workspaces`, or it holds `pnpm-workspace.yaml` or a lockfile. The search stops at the
/// repository root (a directory with `.git`).
pub fn find_workspace_root(project_root: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(project_root).unwrap_or_else(|_| project_root.to_path_buf());
    for dir in start.ancestors() {
        if is_workspace_root(dir) {
            return Some(dir.to_path_buf());
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

fn is_workspace_root(dir: &Path) -> bool {
    if dir.join("pnpm-workspace.yaml").is_file() || LOCKFILES.iter().any(|name| dir.join(name).is_file()) {
        return true;
    }
    read_manifest(&dir.join("package.json"))
        .and_then(|text| parse_manifest(&text))
        .is_some_and(|json| json.get("workspaces").is_some())
}

/// A package of the workspace, with the fields module resolution needs.
#[derive(Clone, Debug)]
pub struct WorkspacePackage {
    /// package.json `name`.
    pub name: String,
    /// The package's directory.
    pub dir: PathBuf,
    /// package.json `exports` (string, subpath map, or conditions), when present.
    pub exports: Option<Value>,
    /// package.json `main`.
    pub main: Option<String>,
    /// package.json `module`.
    pub module: Option<String>,
    /// package.json `types` (or `typings`).
    pub types: Option<String>,
    /// package.json `imports` (`#internal` specifiers), when present.
    pub imports: Option<Value>,
}

impl WorkspacePackage {
    /// Reads the package in `dir`; `None` without a package.json with a `name`.
    pub fn load(dir: &Path) -> Option<Self> {
        Self::load_unnamed(dir).filter(|p| !p.name.is_empty())
    }

    /// Reads the package in `dir`, accepting a package.json without `name` (an app's).
    pub(crate) fn load_unnamed(dir: &Path) -> Option<Self> {
        let json = parse_manifest(&read_manifest(&dir.join("package.json"))?)?;
        let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_string);
        Some(Self {
            name: text("name").unwrap_or_default(),
            dir: dir.to_path_buf(),
            exports: json.get("exports").cloned(),
            main: text("main"),
            module: text("module"),
            types: text("types").or_else(|| text("typings")),
            imports: json.get("imports").cloned(),
        })
    }
}

/// The package directory globs of the workspace rooted at `root`: package.json `workspaces`
/// (array, or `{ "packages": [...] }`) and pnpm-workspace.yaml `packages`. Negated globs start
/// with `!`.
pub fn workspace_globs(root: &Path) -> Vec<String> {
    let mut globs = Vec::new();
    if let Some(json) = read_manifest(&root.join("package.json")).and_then(|t| parse_manifest(&t)) {
        let list = match json.get("workspaces") {
            Some(Value::Array(items)) => Some(items),
            Some(Value::Object(map)) => map.get("packages").and_then(Value::as_array),
            _ => None,
        };
        globs.extend(list.into_iter().flatten().filter_map(Value::as_str).map(str::to_string));
    }
    if let Some(text) = read_manifest(&root.join("pnpm-workspace.yaml")) {
        walk_yaml(&text, |event| {
            if let YamlEvent::Item { path, value } = event
                && path.len() == 1
                && path[0] == "packages"
            {
                globs.push(value.to_string());
            }
        });
    }
    globs
}

/// Every package of the workspace rooted at `root` that its globs include (the root's own
/// package is not one of them).
pub fn workspace_packages(root: &Path) -> Vec<WorkspacePackage> {
    let globs = workspace_globs(root);
    let (include, exclude) = compile_globs(&globs);
    if include.is_empty() {
        return Vec::new();
    }
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .max_depth(Some(MAX_WORKSPACE_DEPTH))
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || entry.file_type().is_some_and(|t| t.is_dir()) && !is_ignored_dir(&name) && !name.starts_with('.')
        })
        .build();
    let mut packages = Vec::new();
    for entry in walker.flatten() {
        if entry.depth() == 0 {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if include.is_match(&rel)
            && !exclude.is_match(&rel)
            && let Some(package) = WorkspacePackage::load(entry.path())
        {
            packages.push(package);
        }
    }
    packages.sort_by(|a, b| a.dir.cmp(&b.dir));
    packages
}

fn compile_globs(globs: &[String]) -> (GlobSet, GlobSet) {
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    for glob in globs {
        let (negated, pattern) = match glob.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, glob.as_str()),
        };
        let pattern = pattern.trim().trim_start_matches("./").trim_end_matches('/');
        if pattern.is_empty() {
            continue;
        }
        let Ok(compiled) = GlobBuilder::new(pattern).literal_separator(true).build() else { continue };
        if negated {
            exclude.add(compiled);
        } else {
            include.add(compiled);
        }
    }
    (include.build().unwrap_or_else(|_| GlobSet::empty()), exclude.build().unwrap_or_else(|_| GlobSet::empty()))
}

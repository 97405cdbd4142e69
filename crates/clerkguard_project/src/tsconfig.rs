//! tsconfig.json / jsconfig.json: the `baseUrl` and `paths` that module resolution honours,
//! following `extends` (relative files, packages in node_modules, arrays as in TS 5).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::jsonc::parse_jsonc;
use crate::manifest::read_manifest;

/// `extends` chains deeper than this are cut (real ones are 2–3 long).
const MAX_EXTENDS_DEPTH: usize = 16;

/// The resolution-relevant compiler options of a project, with `extends` applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TsConfig {
    /// The config file loaded for the project (tsconfig.json, else jsconfig.json).
    pub path: PathBuf,
    /// `compilerOptions.baseUrl`, absolute (relative to the config that declares it).
    pub base_url: Option<PathBuf>,
    /// `compilerOptions.paths` in declaration order, targets made absolute.
    pub paths: Vec<PathAlias>,
    /// Every config file read: the project's, then the ones it extends, depth first.
    pub files: Vec<PathBuf>,
}

/// One `paths` entry: `"@/*": ["./src/*"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathAlias {
    /// The pattern, with at most one `*`.
    pub pattern: String,
    /// Absolute targets, tried in order; a `*` in one takes what the pattern's `*` matched.
    pub targets: Vec<PathBuf>,
}

/// `paths` as written: pattern → targets relative to the base directory.
type PathEntries = Vec<(String, Vec<String>)>;

/// Options as one file declares them, before its children override them.
#[derive(Default)]
struct Declared {
    base_url: Option<PathBuf>,
    /// The `paths` map and the directory of the config that declared it (targets are relative
    /// to it when no `baseUrl` is in effect).
    paths: Option<(PathEntries, PathBuf)>,
}

impl TsConfig {
    /// Loads `project_root/tsconfig.json`, else `project_root/jsconfig.json` (as Next.js does).
    /// `None` when neither exists. A malformed file gives a config without aliases.
    pub fn load(project_root: &Path) -> Option<TsConfig> {
        ["tsconfig.json", "jsconfig.json"]
            .iter()
            .map(|name| project_root.join(name))
            .find(|path| path.is_file())
            .map(|path| Self::load_file(&path))
    }

    /// Loads one config file and everything it extends.
    pub fn load_file(path: &Path) -> TsConfig {
        let mut files = Vec::new();
        let mut visiting = HashSet::new();
        let declared = read_declared(path, &mut visiting, &mut files, 0);
        let base_url = declared.base_url;
        let paths = match declared.paths {
            Some((entries, declaring_dir)) => {
                let base = base_url.clone().unwrap_or(declaring_dir);
                entries
                    .into_iter()
                    .filter(|(pattern, _)| pattern.matches('*').count() <= 1)
                    .map(|(pattern, targets)| PathAlias {
                        pattern,
                        targets: targets.iter().map(|t| normalize(&base.join(t))).collect(),
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        TsConfig { path: path.to_path_buf(), base_url, paths, files }
    }

    /// The paths `specifier` maps to through `paths`, in the order to try them. Like TypeScript,
    /// an exact pattern wins, else the wildcard pattern with the longest prefix.
    pub fn alias_candidates(&self, specifier: &str) -> Vec<PathBuf> {
        if let Some(exact) = self.paths.iter().find(|a| !a.pattern.contains('*') && a.pattern == specifier) {
            return exact.targets.clone();
        }
        let mut best: Option<(&PathAlias, &str)> = None;
        for alias in &self.paths {
            let Some((prefix, suffix)) = alias.pattern.split_once('*') else { continue };
            if specifier.len() < prefix.len() + suffix.len()
                || !specifier.starts_with(prefix)
                || !specifier.ends_with(suffix)
            {
                continue;
            }
            if best.is_none_or(|(b, _)| prefix.len() > b.pattern.find('*').unwrap_or(0)) {
                best = Some((alias, &specifier[prefix.len()..specifier.len() - suffix.len()]));
            }
        }
        let Some((alias, matched)) = best else { return Vec::new() };
        alias.targets.iter().map(|target| PathBuf::from(target.to_string_lossy().replacen('*', matched, 1))).collect()
    }
}

fn read_declared(path: &Path, visiting: &mut HashSet<PathBuf>, files: &mut Vec<PathBuf>, depth: usize) -> Declared {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if depth > MAX_EXTENDS_DEPTH || !visiting.insert(key.clone()) {
        return Declared::default();
    }
    files.push(path.to_path_buf());
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let json = read_manifest(path).and_then(|text| parse_jsonc(&text)).unwrap_or(Value::Null);
    let extends: Vec<&str> = match json.get("extends") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut merged = Declared::default();
    for parent in extends {
        let Some(parent_path) = resolve_extends(&dir, parent) else { continue };
        let inherited = read_declared(&parent_path, visiting, files, depth + 1);
        if inherited.base_url.is_some() {
            merged.base_url = inherited.base_url;
        }
        if inherited.paths.is_some() {
            merged.paths = inherited.paths;
        }
    }
    // Only the chain being followed counts as a cycle; a file extended twice by siblings
    // (a diamond) is read each time.
    visiting.remove(&key);
    let options = json.get("compilerOptions");
    if let Some(base_url) = options.and_then(|o| o.get("baseUrl")).and_then(Value::as_str) {
        merged.base_url = Some(normalize(&dir.join(base_url)));
    }
    if let Some(paths) = options.and_then(|o| o.get("paths")).and_then(Value::as_object) {
        let entries = paths
            .iter()
            .map(|(pattern, targets)| {
                let targets = match targets {
                    Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                    Value::String(one) => vec![one.clone()],
                    _ => Vec::new(),
                };
                (pattern.clone(), targets)
            })
            .collect();
        merged.paths = Some((entries, dir));
    }
    merged
}

/// The file an `extends` value names, relative to the extending config's directory.
fn resolve_extends(dir: &Path, value: &str) -> Option<PathBuf> {
    let is_path = value.starts_with("./") || value.starts_with("../") || Path::new(value).is_absolute();
    if is_path || value == "." || value == ".." {
        return config_file_at(&dir.join(value));
    }
    // A package (`@tsconfig/next`, `@acme/tsconfig/base.json`): Node's lookup through
    // node_modules directories from the config's directory up.
    for ancestor in dir.ancestors() {
        let candidate = ancestor.join("node_modules").join(value);
        if let Some(found) = config_file_at(&candidate) {
            return Some(found);
        }
        if candidate.is_dir()
            && let Some(field) = read_manifest(&candidate.join("package.json"))
                .and_then(|t| crate::manifest::parse_manifest(&t))
                .and_then(|json| json.get("tsconfig").and_then(Value::as_str).map(str::to_string))
            && let Some(found) = config_file_at(&candidate.join(field))
        {
            return Some(found);
        }
    }
    None
}

/// `path` itself, `path.json`, or `path/tsconfig.json`, whichever is a file.
fn config_file_at(path: &Path) -> Option<PathBuf> {
    if path.is_file() {
        return Some(normalize(path));
    }
    let mut with_json = path.as_os_str().to_owned();
    with_json.push(".json");
    let with_json = PathBuf::from(with_json);
    if with_json.is_file() {
        return Some(normalize(&with_json));
    }
    let nested = path.join("tsconfig.json");
    nested.is_file().then(|| normalize(&nested))
}

/// Removes `.` and `..` components without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

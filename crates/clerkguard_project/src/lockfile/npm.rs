//! `package-lock.json` / `npm-shrinkwrap.json`.
//!
//! v2/v3 list every installed copy in `packages`, keyed by its path (`node_modules/next`,
//! `apps/web/node_modules/next`); the copy the project gets is the one Node's lookup finds first,
//! walking from the project's directory up to the lockfile's. v1 only has the nested
//! `dependencies` tree, whose top level is what the root project gets.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::WantedDependency;
use crate::version::parse_loose_version;

pub(super) fn versions(
    text: &str,
    importer: &str,
    wanted: &[WantedDependency<'_>],
) -> HashMap<String, semver::Version> {
    let mut out = HashMap::new();
    let Ok(json) = serde_json::from_str::<Value>(text.strip_prefix('\u{feff}').unwrap_or(text)) else { return out };
    let packages = json.get("packages").and_then(Value::as_object);
    let tree = json.get("dependencies").and_then(Value::as_object);
    for dep in wanted {
        let version = packages
            .and_then(|packages| from_packages(packages, importer, dep.name))
            .or_else(|| if importer.is_empty() { tree.and_then(|t| from_tree(t, dep.name)) } else { None });
        if let Some(version) = version {
            out.insert(dep.name.to_string(), version);
        }
    }
    out
}

fn from_packages(packages: &Map<String, Value>, importer: &str, name: &str) -> Option<semver::Version> {
    let mut dir = importer;
    loop {
        let key = if dir.is_empty() { format!("node_modules/{name}") } else { format!("{dir}/node_modules/{name}") };
        if let Some(entry) = packages.get(&key) {
            return entry_version(packages, entry);
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// An entry's version; workspace links (`"link": true, "resolved": "packages/x"`) point at the
/// entry of the linked directory.
fn entry_version(packages: &Map<String, Value>, entry: &Value) -> Option<semver::Version> {
    if entry.get("link").and_then(Value::as_bool) == Some(true) {
        let target = entry.get("resolved").and_then(Value::as_str)?;
        return packages.get(target)?.get("version").and_then(Value::as_str).and_then(parse_loose_version);
    }
    entry.get("version").and_then(Value::as_str).and_then(parse_loose_version)
}

fn from_tree(tree: &Map<String, Value>, name: &str) -> Option<semver::Version> {
    tree.get(name)?.get("version").and_then(Value::as_str).and_then(parse_loose_version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted() -> Vec<WantedDependency<'static>> {
        vec![
            WantedDependency { name: "@clerk/nextjs", range: "^6.0.0" },
            WantedDependency { name: "next", range: "^15.0.0" },
            WantedDependency { name: "ui", range: "*" },
        ]
    }

    const V3: &str = r#"{
      "name": "repo", "lockfileVersion": 3, "requires": true,
      "packages": {
        "": { "name": "repo", "workspaces": ["apps/*"] },
        "apps/web": { "name": "web", "version": "0.1.0" },
        "apps/web/node_modules/@clerk/nextjs": { "version": "5.7.1" },
        "node_modules/@clerk/nextjs": { "version": "6.9.0" },
        "node_modules/next": { "version": "15.2.4" },
        "node_modules/ui": { "resolved": "packages/ui", "link": true },
        "packages/ui": { "name": "ui", "version": "1.2.3" },
        "node_modules/web": { "resolved": "apps/web", "link": true }
      }
    }"#;

    #[test]
    fn v3_prefers_the_copy_nearest_the_project() {
        let web = versions(V3, "apps/web", &wanted());
        assert_eq!(web["@clerk/nextjs"], semver::Version::new(5, 7, 1));
        assert_eq!(web["next"], semver::Version::new(15, 2, 4));
        assert_eq!(web["ui"], semver::Version::new(1, 2, 3));
        let admin = versions(V3, "apps/admin", &wanted());
        assert_eq!(admin["@clerk/nextjs"], semver::Version::new(6, 9, 0));
        let root = versions(V3, "", &wanted());
        assert_eq!(root["@clerk/nextjs"], semver::Version::new(6, 9, 0));
    }

    #[test]
    fn v1_dependency_tree() {
        let text = r#"{ "lockfileVersion": 1, "dependencies": {
            "@clerk/nextjs": { "version": "4.29.1", "dependencies": { "next": { "version": "1.0.0" } } },
            "next": { "version": "14.1.0" } } }"#;
        let found = versions(text, "", &wanted());
        assert_eq!(found["@clerk/nextjs"], semver::Version::new(4, 29, 1));
        assert_eq!(found["next"], semver::Version::new(14, 1, 0));
    }

    #[test]
    fn prerelease_and_aliases() {
        let text = r#"{ "lockfileVersion": 3, "packages": {
            "node_modules/@clerk/nextjs": { "version": "7.0.0-snapshot.v20260301" },
            "node_modules/next": { "name": "next", "version": "npm:next@15.0.0" } } }"#;
        let found = versions(text, "", &wanted());
        assert_eq!(found["@clerk/nextjs"].to_string(), "7.0.0-snapshot.v20260301");
        assert_eq!(found["next"], semver::Version::new(15, 0, 0));
    }

    #[test]
    fn garbage_gives_nothing() {
        for text in ["", "{", "[]", r#"{"packages": []}"#, r#"{"packages": {"node_modules/next": {"version": 15}}}"#] {
            assert!(versions(text, "", &wanted()).is_empty());
        }
        let truncated = &V3[..V3.len() / 2];
        assert!(versions(truncated, "apps/web", &wanted()).is_empty());
    }
}

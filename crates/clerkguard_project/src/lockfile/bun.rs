//! `bun.lock` (the text lockfile, JSON with trailing commas).
//!
//! `packages` maps a name to `["name@version", registry, {deps}, integrity]`. When workspaces need
//! different copies, the non-hoisted one is keyed `"<workspace package name>/<dependency>"`.

use std::collections::HashMap;

use serde_json::Value;

use super::WantedDependency;
use crate::jsonc::parse_jsonc;
use crate::version::parse_loose_version;

pub(super) fn versions(
    text: &str,
    importer: &str,
    project_name: Option<&str>,
    wanted: &[WantedDependency<'_>],
) -> HashMap<String, semver::Version> {
    let mut out = HashMap::new();
    let Some(json) = parse_jsonc(text) else { return out };
    let Some(packages) = json.get("packages").and_then(Value::as_object) else { return out };
    let workspace_name = json
        .get("workspaces")
        .and_then(|w| w.get(importer))
        .and_then(|w| w.get("name"))
        .and_then(Value::as_str)
        .or(project_name);
    for dep in wanted {
        let nested = workspace_name.and_then(|ws| packages.get(&format!("{ws}/{}", dep.name)));
        let entry = nested.or_else(|| packages.get(dep.name));
        let version = entry.and_then(|e| e.get(0)).and_then(Value::as_str).and_then(parse_loose_version);
        if let Some(version) = version {
            out.insert(dep.name.to_string(), version);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hoisted_and_workspace_copies() {
        let text = r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "repo", },
    "apps/web": { "name": "web", "dependencies": { "@clerk/nextjs": "^6.0.0", "next": "15.2.4", }, },
    "apps/admin": { "name": "admin", "dependencies": { "@clerk/nextjs": "^5.0.0", }, },
  },
  "packages": {
    "@clerk/nextjs": ["@clerk/nextjs@6.9.0", "", { "dependencies": { "tslib": "2.8.1" } }, "sha512-x"],
    "admin/@clerk/nextjs": ["@clerk/nextjs@5.7.1", "", {}, "sha512-y"],
    "next": ["next@15.2.4", "", {}, "sha512-z"],
    "web": ["web@workspace:apps/web"],
  }
}"#;
        let wanted = [
            WantedDependency { name: "@clerk/nextjs", range: "^6.0.0" },
            WantedDependency { name: "next", range: "15.2.4" },
        ];
        let web = versions(text, "apps/web", None, &wanted);
        assert_eq!(web["@clerk/nextjs"], semver::Version::new(6, 9, 0));
        assert_eq!(web["next"], semver::Version::new(15, 2, 4));
        let admin = versions(text, "apps/admin", None, &wanted);
        assert_eq!(admin["@clerk/nextjs"], semver::Version::new(5, 7, 1));
        let workspace = [WantedDependency { name: "web", range: "workspace:*" }];
        assert!(versions(text, "", None, &workspace).is_empty());
    }

    #[test]
    fn garbage_gives_nothing() {
        let wanted = [WantedDependency { name: "next", range: "^15" }];
        for text in ["", "{", r#"{"packages": {"next": "next@15.0.0"}}"#, r#"{"packages": {"next": [15]}}"#] {
            assert!(versions(text, "", None, &wanted).is_empty());
        }
    }
}

//! `pnpm-lock.yaml`.
//!
//! The project's own entry says which version it links:
//! - v6 / v9: `importers.<path>.dependencies.<name>.version` (`6.9.0(next@15.2.4)(react@19.0.0)`),
//!   or top-level `dependencies.<name>.version` in a v6 single-project lockfile;
//! - v5: `importers.<path>.dependencies.<name>: 4.29.1_react@18.2.0`, or top-level
//!   `dependencies.<name>: …` for a single project.
//!
//! When the project's entry is missing, the `packages:` (and v9 `snapshots:`) keys
//! (`/@clerk/nextjs/4.29.1`, `/@clerk/nextjs@6.9.0(react@18.2.0)`, `'@clerk/nextjs@6.9.0'`)
//! give the candidates.

use std::collections::HashMap;

use super::{WantedDependency, pick_candidate};
use crate::version::parse_loose_version;
use crate::yaml_lines::{YamlEvent, walk_yaml};

const SECTIONS: [&str; 3] = ["dependencies", "devDependencies", "optionalDependencies"];

pub(super) fn versions(
    text: &str,
    importer: &str,
    wanted: &[WantedDependency<'_>],
) -> HashMap<String, semver::Version> {
    let importer_key = if importer.is_empty() { "." } else { importer };
    let is_wanted = |name: &str| wanted.iter().any(|w| w.name == name);
    let mut linked: HashMap<String, semver::Version> = HashMap::new();
    let mut candidates: HashMap<String, Vec<semver::Version>> = HashMap::new();
    walk_yaml(text, |event| {
        let YamlEvent::Entry { path, key, value } = event else { return };
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        // Where a dependency's entry sits relative to the project's `dependencies` section.
        let section = match path.as_slice() {
            ["importers", imp, rest @ ..] if *imp == importer_key => Some(rest),
            ["importers", ..] | ["packages", ..] | ["snapshots", ..] => None,
            rest if importer_key == "." => Some(rest),
            _ => None,
        };
        match (section, value) {
            // v5: `dependencies:\n  name: 4.29.1_react@18.2.0`
            (Some([s]), Some(value)) if SECTIONS.contains(s) && is_wanted(key) => {
                if let Some(v) = clean_version(value) {
                    linked.insert(key.to_string(), v);
                }
            }
            // v6 / v9: `dependencies:\n  name:\n    version: 6.9.0(…)`
            (Some([s, name]), Some(value)) if SECTIONS.contains(s) && key == "version" && is_wanted(name) => {
                if let Some(v) = clean_version(value) {
                    linked.insert(name.to_string(), v);
                }
            }
            _ => {}
        }
        if matches!(path.as_slice(), ["packages"] | ["snapshots"])
            && let Some((name, version)) = package_key(key)
            && is_wanted(name)
        {
            candidates.entry(name.to_string()).or_default().push(version);
        }
    });
    for dep in wanted {
        if !linked.contains_key(dep.name)
            && let Some(version) = candidates.get(dep.name).and_then(|c| pick_candidate(dep.range, c))
        {
            linked.insert(dep.name.to_string(), version);
        }
    }
    linked
}

/// A version as an importer writes it, without the peer suffixes; `None` for `link:` etc.
fn clean_version(value: &str) -> Option<semver::Version> {
    let value = value.split('(').next()?.trim();
    if value.contains(':') {
        return None;
    }
    let value = value.split('_').next()?;
    parse_loose_version(value).or_else(|| parse_loose_version(value.rsplit('/').next()?))
}

/// `(name, version)` from a `packages:` key in any lockfile version.
fn package_key(key: &str) -> Option<(&str, semver::Version)> {
    let key = key.split('(').next()?;
    let key = key.strip_prefix('/').unwrap_or(key);
    // v5: `name/version_peers` (peers never contain `/`, pnpm writes `+` for it).
    if let Some((name, version)) = key.rsplit_once('/')
        && let Some(Ok(version)) = version.split('_').next().map(semver::Version::parse)
    {
        return Some((name, version));
    }
    // v6 / v9: `name@version`, the `@` after the scope's.
    let at = key.rfind('@').filter(|at| *at > 0)?;
    let version = semver::Version::parse(&key[at + 1..]).ok()?;
    Some((&key[..at], version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted() -> Vec<WantedDependency<'static>> {
        vec![
            WantedDependency { name: "@clerk/nextjs", range: "^6.0.0" },
            WantedDependency { name: "next", range: "^15" },
        ]
    }

    fn v(text: &str) -> semver::Version {
        semver::Version::parse(text).unwrap()
    }

    #[test]
    fn v9_importers() {
        let text = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\nimporters:\n\n  .:\n    devDependencies:\n      turbo:\n        specifier: ^2.0.0\n        version: 2.0.0\n\n  apps/admin:\n    dependencies:\n      '@clerk/nextjs':\n        specifier: ^5.0.0\n        version: 5.7.1(next@14.2.0)(react@18.3.1)\n\n  apps/web:\n    dependencies:\n      '@clerk/nextjs':\n        specifier: ^6.0.0\n        version: 6.9.0(next@15.2.4)(react@19.0.0)\n      next:\n        specifier: 15.2.4\n        version: 15.2.4(react-dom@19.0.0(react@19.0.0))(react@19.0.0)\n\npackages:\n\n  '@clerk/nextjs@5.7.1':\n    resolution: {integrity: sha512-x}\n\n  '@clerk/nextjs@6.9.0':\n    resolution: {integrity: sha512-y}\n\nsnapshots:\n\n  '@clerk/nextjs@6.9.0(next@15.2.4)(react@19.0.0)':\n    dependencies:\n      next: 15.2.4(react@19.0.0)\n";
        let web = versions(text, "apps/web", &wanted());
        assert_eq!(web["@clerk/nextjs"], v("6.9.0"));
        assert_eq!(web["next"], v("15.2.4"));
        let admin = versions(text, "apps/admin", &wanted());
        assert_eq!(admin["@clerk/nextjs"], v("5.7.1"));
        // The root project declares neither; the packages section has two clerk versions, and
        // the root's range (^6) picks one of them.
        let root = versions(text, "", &wanted());
        assert_eq!(root["@clerk/nextjs"], v("6.9.0"));
        assert!(!root.contains_key("next"));
    }

    #[test]
    fn v6_single_project() {
        let text = "lockfileVersion: '6.0'\n\ndependencies:\n  '@clerk/nextjs':\n    specifier: ^4.29.1\n    version: 4.29.1(next@14.0.4)(react@18.2.0)\n  next:\n    specifier: 14.0.4\n    version: 14.0.4(react-dom@18.2.0)(react@18.2.0)\n\npackages:\n\n  /@clerk/nextjs@4.29.1(next@14.0.4)(react@18.2.0):\n    resolution: {integrity: sha512-z}\n";
        let found = versions(text, "", &wanted());
        assert_eq!(found["@clerk/nextjs"], v("4.29.1"));
        assert_eq!(found["next"], v("14.0.4"));
    }

    #[test]
    fn v5_inline_versions_and_importers() {
        let single = "lockfileVersion: 5.4\n\nspecifiers:\n  '@clerk/nextjs': ^4.0.0\n\ndependencies:\n  '@clerk/nextjs': 4.29.1_react@18.2.0\n  next: 13.5.6_biqbaboplfbrettd7655fr4n2y\n\npackages:\n\n  /@clerk/nextjs/4.29.1_react@18.2.0:\n    resolution: {integrity: sha512-z}\n";
        let found = versions(single, "", &wanted());
        assert_eq!(found["@clerk/nextjs"], v("4.29.1"));
        assert_eq!(found["next"], v("13.5.6"));
        let mono = "lockfileVersion: 5.4\n\nimporters:\n\n  apps/web:\n    specifiers:\n      next: ^13.0.0\n    dependencies:\n      next: 13.4.0_react@18.2.0\n      ui: link:../../packages/ui\n";
        assert_eq!(versions(mono, "apps/web", &wanted())["next"], v("13.4.0"));
    }

    #[test]
    fn falls_back_to_package_keys() {
        let text = "lockfileVersion: 5.3\n\npackages:\n\n  /@clerk/nextjs/5.0.0:\n    dev: false\n  /next/14.1.0_react@18.2.0:\n    dev: false\n";
        let found = versions(text, "apps/web", &wanted());
        assert_eq!(found["@clerk/nextjs"], v("5.0.0"));
        assert_eq!(found["next"], v("14.1.0"));
        let prerelease =
            "lockfileVersion: '9.0'\npackages:\n  '@clerk/nextjs@7.0.0-snapshot.v20260301':\n    resolution: {}\n";
        assert_eq!(versions(prerelease, "", &wanted())["@clerk/nextjs"].to_string(), "7.0.0-snapshot.v20260301");
    }

    #[test]
    fn garbage_gives_nothing() {
        for text in ["", ":::", "importers:\n  .:\n    dependencies:\n      next:\n        version: banana", "\0\0\0"] {
            assert!(versions(text, "", &wanted()).is_empty());
        }
    }
}

//! The advisory table (`advisories.json`, easy to extend) and its evaluation with semver
//! ordering, prereleases included: `7.2.1-canary.0` is below the fixed `7.2.1`; the fixed
//! version itself is not affected.

use semver::Version;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Advisory {
    pub id: String,
    pub package: String,
    /// npm-style ranges, each `>=a <b` (or `<b`).
    pub affected: Vec<String>,
    /// The first fixed version of each release line.
    pub fixed: Vec<String>,
    /// `always`, or `uses:<feature>` when only projects using a feature are exposed.
    pub condition: String,
    pub summary: String,
    pub url: String,
}

pub fn advisories() -> &'static [Advisory] {
    static TABLE: std::sync::OnceLock<Vec<Advisory>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| serde_json::from_str(include_str!("advisories.json")).unwrap_or_default())
}

/// Whether `version` falls in one of the advisory's ranges.
pub fn is_affected(advisory: &Advisory, version: &Version) -> bool {
    advisory.affected.iter().any(|range| in_range(range, version))
}

fn in_range(range: &str, version: &Version) -> bool {
    range.split_whitespace().all(|comparator| {
        let (op, bound) = match comparator.find(|c: char| c.is_ascii_digit()) {
            Some(i) => comparator.split_at(i),
            None => return false,
        };
        let Ok(bound) = Version::parse(bound) else { return false };
        match op {
            // A prerelease of the lower bound ships that line's code: it is in range.
            ">=" => version >= &bound || same_release(version, &bound),
            ">" => version > &bound,
            "<" => version < &bound,
            "<=" => version <= &bound,
            "=" | "" => version == &bound,
            _ => false,
        }
    })
}

fn same_release(a: &Version, b: &Version) -> bool {
    (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
}

/// The fixed version to move to from `version`: the fix on its own release line (same major),
/// else the lowest fix above it.
pub fn fixed_for(advisory: &Advisory, version: &Version) -> Option<Version> {
    let fixes: Vec<Version> = advisory.fixed.iter().filter_map(|f| Version::parse(f).ok()).collect();
    fixes
        .iter()
        .filter(|f| f.major == version.major && *f > version)
        .min()
        .or_else(|| fixes.iter().filter(|f| *f > version).min())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn boundaries() {
        let vqx2 = advisories().iter().find(|a| a.id == "GHSA-vqx2-fgx2-5wq9").unwrap();
        assert!(is_affected(vqx2, &v("6.39.1")));
        assert!(!is_affected(vqx2, &v("6.39.2")));
        assert!(is_affected(vqx2, &v("7.2.1-canary.3")));
        assert!(!is_affected(vqx2, &v("7.2.1")));
        assert!(is_affected(vqx2, &v("7.0.0-beta.2")));
        assert!(!is_affected(vqx2, &v("4.29.0")));
        assert!(is_affected(vqx2, &v("5.7.5")));
        assert!(!is_affected(vqx2, &v("5.7.6")));
        assert_eq!(fixed_for(vqx2, &v("6.12.0")), Some(v("6.39.2")));
        let cve = advisories().iter().find(|a| a.id == "CVE-2024-22206").unwrap();
        assert!(is_affected(cve, &v("4.29.2")) && !is_affected(cve, &v("4.29.3")) && !is_affected(cve, &v("4.6.0")));
        assert_eq!(advisories().len(), 4);
    }
}

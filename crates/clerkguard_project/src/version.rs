//! Version questions rules ask: "is the installed `@clerk/nextjs` at least 6.0.0?"

/// A requirement over an installed version, answered conservatively when only a range is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionReq {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl VersionReq {
    pub const fn at_least(major: u64, minor: u64, patch: u64) -> Self {
        Self { major, minor, patch }
    }

    pub fn version(self) -> semver::Version {
        semver::Version::new(self.major, self.minor, self.patch)
    }
}

/// Parses a version as lockfiles write it: `6.9.0`, `v6.9.0`, `=6.9.0`, prereleases such as
/// `7.0.0-snapshot.v20260301`, and npm aliases (`npm:@clerk/nextjs@6.9.0`). Anything else
/// (git URLs, `link:`/`workspace:` protocols, garbage) is `None`.
pub fn parse_loose_version(text: &str) -> Option<semver::Version> {
    let text = text.trim().trim_matches(['"', '\'']);
    let text = text.strip_prefix("npm:").unwrap_or(text);
    // `name@version` (aliases, pnpm/bun package ids): the version follows the last `@` that is
    // not the scope marker at the start.
    let text = match text.rfind('@') {
        Some(at) if at > 0 => &text[at + 1..],
        _ => text,
    };
    let text = text.trim_start_matches(['v', '=']);
    semver::Version::parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_versions() {
        assert_eq!(parse_loose_version("6.9.0"), Some(semver::Version::new(6, 9, 0)));
        assert_eq!(parse_loose_version(" v6.9.0 "), Some(semver::Version::new(6, 9, 0)));
        assert_eq!(parse_loose_version("npm:@clerk/nextjs@6.9.0"), Some(semver::Version::new(6, 9, 0)));
        assert_eq!(parse_loose_version("@clerk/nextjs@6.9.0"), Some(semver::Version::new(6, 9, 0)));
        let pre = parse_loose_version("7.0.0-snapshot.v20260301").unwrap();
        assert_eq!(pre.pre.as_str(), "snapshot.v20260301");
        assert_eq!(parse_loose_version("link:../x"), None);
        assert_eq!(parse_loose_version("git+https://github.com/a/b.git"), None);
        assert_eq!(parse_loose_version(""), None);
    }
}

/// Whether `version` satisfies an npm range (`^6.0.0`, `>=6 <7`, `6.x || 7.x`). `None` when the
/// range is not a semver range (tags, URLs, `workspace:` protocols).
pub fn range_matches(range: &str, version: &semver::Version) -> Option<bool> {
    let range = range.trim();
    let range = range.strip_prefix("npm:").map_or(range, |r| r.rsplit_once('@').map_or(r, |(_, v)| v));
    let mut any_parsed = false;
    for alternative in range.split("||") {
        let alternative = alternative.trim();
        let normalized = if alternative.is_empty() || alternative == "x" {
            "*".to_string()
        } else {
            normalize_comparators(alternative)
        };
        if let Ok(req) = semver::VersionReq::parse(&normalized) {
            any_parsed = true;
            if req.matches(version) {
                return Some(true);
            }
        }
    }
    any_parsed.then_some(false)
}

/// npm separates comparators with spaces (`>=6.0.0 <7`) and writes hyphen ranges
/// (`1.2 - 2.3`); the semver crate wants commas.
fn normalize_comparators(range: &str) -> String {
    let tokens: Vec<&str> = range.split_whitespace().collect();
    if let [low, "-", high] = tokens.as_slice() {
        return format!(">={low}, <={high}");
    }
    let mut out: Vec<String> = Vec::new();
    let mut operator = String::new();
    for token in tokens {
        // `>= 6.0.0` (operator written apart from its version).
        if token.chars().all(|c| matches!(c, '<' | '>' | '=' | '^' | '~')) {
            operator.push_str(token);
            continue;
        }
        out.push(format!("{operator}{token}"));
        operator.clear();
    }
    out.join(", ")
}

#[cfg(test)]
mod range_tests {
    use super::*;

    #[test]
    fn npm_ranges() {
        let v = semver::Version::new(6, 9, 0);
        assert_eq!(range_matches("^6.0.0", &v), Some(true));
        assert_eq!(range_matches(">=6.0.0 <7", &v), Some(true));
        assert_eq!(range_matches(">= 6.0.0 < 6.5", &v), Some(false));
        assert_eq!(range_matches("5.x || 6.x", &v), Some(true));
        assert_eq!(range_matches("6.0 - 6.8", &v), Some(false));
        assert_eq!(range_matches("npm:@clerk/nextjs@^6", &v), Some(true));
        assert_eq!(range_matches("latest", &v), None);
        assert_eq!(range_matches("*", &v), Some(true));
    }
}

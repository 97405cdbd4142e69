//! Clerk's `createRouteMatcher` semantics (`@clerk/shared` `createPathMatcher`).

use semver::Version;
use thiserror::Error;

use super::Match;
use super::path_to_regexp::Dialect;
use super::pattern::{CompiledPattern, Flavour, MatcherError, Pattern};

/// One argument element of `createRouteMatcher`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteMatcherParam {
    /// A string, compiled with path-to-regexp 6, case-insensitive. Empty strings are dropped,
    /// as Clerk's `.filter(Boolean)` does.
    Path(String),
    /// A RegExp literal, used as-is: `regexp.test(pathname)`, not anchored.
    RegExp { source: String, flags: String },
    /// `createRouteMatcher((req) => ...)`: a predicate that cannot be evaluated statically.
    Function,
}

/// Options that differ between `@clerk/nextjs` versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClerkMatcherOptions {
    /// Normalize the pathname before matching (`decodeURI` once, collapse `//+`): v7 and the
    /// GHSA-vqx2-fgx2-5wq9 patches 5.7.6 / 6.39.2 / 7.2.1.
    pub normalize_paths: bool,
    /// Clerk 5 depends on path-to-regexp 6.2 (`Legacy`); 6 and later vendor 6.3.
    pub dialect: Dialect,
}

impl Default for ClerkMatcherOptions {
    fn default() -> Self {
        Self { normalize_paths: true, dialect: Dialect::V6_3 }
    }
}

impl ClerkMatcherOptions {
    /// The options of a given `@clerk/nextjs` version.
    pub fn for_version(version: &Version) -> Self {
        let at_least = |major, minor, patch| *version >= Version::new(major, minor, patch);
        let normalize_paths = match version.major {
            5 => at_least(5, 7, 6),
            6 => at_least(6, 39, 2),
            7 => at_least(7, 2, 1),
            major => major > 7,
        };
        let dialect = if version.major < 6 { Dialect::Legacy } else { Dialect::V6_3 };
        Self { normalize_paths, dialect }
    }
}

#[derive(Clone, Debug)]
struct ClerkEntry {
    /// Index of the parameter as written.
    index: usize,
    pattern: CompiledPattern,
}

/// A compiled `createRouteMatcher(...)`.
#[derive(Clone, Debug)]
pub struct ClerkRouteMatcher {
    entries: Vec<ClerkEntry>,
    has_function: bool,
    options: ClerkMatcherOptions,
}

impl ClerkRouteMatcher {
    /// Compiles the parameters; an invalid string fails the whole matcher, as Clerk throws
    /// `Invalid path` when `createRouteMatcher()` runs.
    pub fn new(params: &[RouteMatcherParam], options: ClerkMatcherOptions) -> Result<Self, MatcherError> {
        let mut entries = Vec::new();
        let mut has_function = false;
        for (index, param) in params.iter().enumerate() {
            let pattern = match param {
                RouteMatcherParam::Path(path) if path.is_empty() => continue,
                RouteMatcherParam::Path(path) => {
                    Pattern::compile(path, Flavour::PathToRegexp { sensitive: false, dialect: options.dialect })
                }
                RouteMatcherParam::RegExp { source, flags } => Pattern::compile_regexp(source, flags),
                RouteMatcherParam::Function => {
                    has_function = true;
                    continue;
                }
            };
            let pattern = pattern.map_err(|error| MatcherError { index, error })?;
            entries.push(ClerkEntry { index, pattern });
        }
        Ok(Self { entries, has_function, options })
    }

    /// The compiled patterns with the index of the parameter each came from.
    pub fn patterns(&self) -> impl Iterator<Item = (usize, &CompiledPattern)> {
        self.entries.iter().map(|e| (e.index, &e.pattern))
    }

    /// Does the matcher accept this pathname (`req.nextUrl.pathname`: no `basePath`, no locale)?
    /// A pathname that is not valid percent-encoding is answered with a 400 by Clerk before any
    /// matching; it gives `Match::No` here.
    pub fn matches(&self, pathname: &str) -> Match {
        if !self.matching_entries(pathname).is_empty() {
            Match::Yes
        } else if self.has_function {
            Match::Unknown
        } else {
            Match::No
        }
    }

    /// Indices (as written) of the parameters that match this pathname.
    pub fn matching_entries(&self, pathname: &str) -> Vec<usize> {
        let normalized;
        let path = if self.options.normalize_paths {
            match normalize_path(pathname) {
                Ok(path) => {
                    normalized = path;
                    normalized.as_str()
                }
                Err(_) => return Vec::new(),
            }
        } else {
            pathname
        };
        self.entries.iter().filter(|e| e.pattern.is_match_pathname(path)).map(|e| e.index).collect()
    }
}

/// A pathname with a `%` escape that `decodeURI` rejects.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("malformed percent-encoding at byte {0}")]
pub struct MalformedPath(pub usize);

/// Clerk's path normalization: `decodeURI` once, then runs of `/` collapsed to one.
/// Dot-segments are left alone, as in Clerk.
pub fn normalize_path(pathname: &str) -> Result<String, MalformedPath> {
    let decoded = decode_uri(pathname)?;
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    Ok(out)
}

/// JavaScript's `decodeURI`: decodes `%XX` UTF-8 sequences except those that decode to one of
/// `;/?:@&=+$,#`, which stay encoded.
pub fn decode_uri(text: &str) -> Result<String, MalformedPath> {
    const RESERVED: &str = ";/?:@&=+$,#";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let next = text[i..].find('%').map_or(text.len(), |n| i + n);
            out.push_str(&text[i..next]);
            i = next;
            continue;
        }
        let first = hex_byte(bytes, i)?;
        if first < 0x80 {
            let c = char::from(first);
            if RESERVED.contains(c) {
                out.push_str(&text[i..i + 3]);
            } else {
                out.push(c);
            }
            i += 3;
            continue;
        }
        let len = match first {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return Err(MalformedPath(i)),
        };
        let mut buf = vec![first];
        for k in 1..len {
            let at = i + 3 * k;
            if bytes.get(at) != Some(&b'%') {
                return Err(MalformedPath(at));
            }
            buf.push(hex_byte(bytes, at)?);
        }
        let decoded = std::str::from_utf8(&buf).map_err(|_| MalformedPath(i))?;
        out.push_str(decoded);
        i += 3 * len;
    }
    Ok(out)
}

fn hex_byte(bytes: &[u8], at: usize) -> Result<u8, MalformedPath> {
    let digits = bytes.get(at + 1..at + 3).ok_or(MalformedPath(at))?;
    let text = std::str::from_utf8(digits).map_err(|_| MalformedPath(at))?;
    u8::from_str_radix(text, 16).map_err(|_| MalformedPath(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_decode_uri() {
        assert_eq!(decode_uri("/%64ashboard").unwrap(), "/dashboard");
        assert_eq!(decode_uri("/a%2Fb%3f").unwrap(), "/a%2Fb%3f");
        assert_eq!(decode_uri("/caf%C3%A9").unwrap(), "/café");
        assert!(decode_uri("/%E0%A4%A").is_err());
        assert!(decode_uri("/%zz").is_err());
        assert!(decode_uri("/%C3").is_err());
        assert_eq!(normalize_path("//a///b/../c").unwrap(), "/a/b/../c");
    }

    #[test]
    fn knows_which_versions_normalize() {
        let v = |s| ClerkMatcherOptions::for_version(&Version::parse(s).unwrap()).normalize_paths;
        assert!(!v("5.7.5") && v("5.7.6"));
        assert!(!v("6.39.1") && v("6.39.2"));
        assert!(!v("7.2.0") && v("7.2.1") && v("7.9.17"));
    }
}

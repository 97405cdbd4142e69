//! Route patterns as Next.js and Clerk evaluate them.
//!
//! Both `config.matcher` (Next.js) and `createRouteMatcher` (Clerk) compile their string patterns
//! with path-to-regexp 6, but with different options and wrappers: Next.js matches
//! case-sensitively and adds `_next/data` and `.json`/`.rsc` variants, Clerk matches
//! case-insensitively and normalizes the path first. No crate implements path-to-regexp 6, so
//! [`path_to_regexp`] is a port of its algorithm that emits fancy-regex patterns (Clerk's
//! recommended matcher needs lookaheads).
//!
//! Paths given to the matchers are *app paths*: what a route's URL is inside the app, without
//! `basePath` and without a locale prefix, as [`crate::RouteTable`] samples are. The Next.js
//! matcher adds both the way Next.js does before it tests the request.

mod clerk;
mod js_regex;
mod next;
pub mod path_to_regexp;
mod pattern;
mod samples;

pub use clerk::{ClerkMatcherOptions, ClerkRouteMatcher, MalformedPath, RouteMatcherParam, decode_uri, normalize_path};
pub use js_regex::{JsRegexError, TranslatedRegex, translate as translate_js_regex};
pub use next::{ConditionKind, I18nConfig, NextMatcher, NextMatcherEntry, NextOptions, RouteCondition};
pub use path_to_regexp::{Dialect, Key, KeyName, PathSyntaxError, Token};
pub use pattern::{CompiledPattern, Flavour, MatcherError, Pattern, PatternError};
pub use samples::{SAMPLE_SUBPATH, route_samples};

/// Whether a matcher applies to a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Match {
    Yes,
    No,
    /// The path matches an entry that also has `has`/`missing` conditions (headers, cookies,
    /// query, host): whether the middleware runs depends on the request.
    Conditional,
    /// The matcher cannot be evaluated statically (a function passed to `createRouteMatcher`).
    Unknown,
}

impl Match {
    /// `Yes` only.
    pub fn is_yes(self) -> bool {
        self == Self::Yes
    }

    /// Anything but a definite `No`.
    pub fn is_possible(self) -> bool {
        self != Self::No
    }

    /// Folds the results of several entries: any `Yes` wins, then `Conditional`, then `Unknown`.
    pub fn any(results: impl IntoIterator<Item = Match>) -> Match {
        let mut best = Match::No;
        for result in results {
            best = match (best, result) {
                (_, Match::Yes) | (Match::Yes, _) => return Match::Yes,
                (Match::Conditional, _) | (_, Match::Conditional) => Match::Conditional,
                (Match::Unknown, _) | (_, Match::Unknown) => Match::Unknown,
                _ => Match::No,
            };
        }
        best
    }
}

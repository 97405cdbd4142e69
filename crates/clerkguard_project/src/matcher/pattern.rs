//! One compiled pattern: a path-to-regexp string or a RegExp literal, as a fancy-regex.

use fancy_regex::Regex;
use thiserror::Error;

use super::js_regex::{self, JsRegexError};
use super::next::NextOptions;
use super::path_to_regexp::{self, Dialect, PathSyntaxError, Token};

/// Next.js rejects longer matcher sources.
const MAX_NEXT_SOURCE_LEN: usize = 4096;

/// Why a pattern cannot be compiled. Next.js fails the build and Clerk throws at
/// `createRouteMatcher()` time for all of these.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PatternError {
    /// path-to-regexp rejects the string (Clerk: `Invalid path: <pattern>.`).
    #[error("Invalid path: {pattern}. {error}")]
    InvalidPath {
        pattern: String,
        #[source]
        error: PathSyntaxError,
    },
    #[error("matcher source must start with `/`: `{0}`")]
    SourceNotAbsolute(String),
    #[error("matcher source is longer than {MAX_NEXT_SOURCE_LEN} characters")]
    SourceTooLong,
    /// The regular expression uses JavaScript syntax with no fancy-regex equivalent.
    #[error("unsupported regular expression `{pattern}`: {error}")]
    UnsupportedRegex {
        pattern: String,
        #[source]
        error: JsRegexError,
    },
    /// The regular expression is invalid (or uses a feature fancy-regex lacks).
    #[error("invalid regular expression `{pattern}`: {message}")]
    InvalidRegex { pattern: String, message: String },
}

/// A pattern error located in a list of matcher entries.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("matcher entry {index}: {error}")]
pub struct MatcherError {
    /// Position in the list as written (0-based).
    pub index: usize,
    #[source]
    pub error: PatternError,
}

/// How a string pattern is interpreted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// A `createRouteMatcher` string: `pathToRegexp(pattern)` with default options, so
    /// case-insensitive, matched against the pathname as is.
    Clerk,
    /// Plain `pathToRegexp(pattern, keys, { sensitive })` of a given release, other options at
    /// their defaults. `Clerk` is `{ sensitive: false, dialect: V6_3 }`; Clerk 5 used 6.2
    /// (`Legacy`).
    PathToRegexp { sensitive: bool, dialect: Dialect },
    /// A Next.js `config.matcher` source: case-sensitive, wrapped with the `_next/data` prefix,
    /// the `.json` suffix (plus `.rsc` and segment-prefetch suffixes on versions with the
    /// CVE-2026-44575 fix), the locale parameter (when the app has i18n and the entry does not
    /// set `locale: false`) and `basePath`.
    Next { options: NextOptions, locale: bool },
}

/// Namespace for compiling string patterns.
pub struct Pattern;

impl Pattern {
    /// Compiles a path-to-regexp string the way `flavour` does.
    pub fn compile(source: &str, flavour: Flavour) -> Result<CompiledPattern, PatternError> {
        let invalid = |error| PatternError::InvalidPath { pattern: source.to_string(), error };
        let (sensitive, dialect, next) = match flavour {
            Flavour::Clerk => (false, Dialect::V6_3, None),
            Flavour::PathToRegexp { sensitive, dialect } => (sensitive, dialect, None),
            Flavour::Next { options, locale } => (true, options.dialect(), Some((options, locale))),
        };
        let tokens = path_to_regexp::parse_with(source, dialect).map_err(invalid)?;
        let flags = if sensitive { "" } else { "i" };
        let (js_route, next) = match next {
            None => (path_to_regexp::tokens_to_regexp_with(&tokens, dialect).map_err(invalid)?, None),
            Some((options, locale)) => {
                if !source.starts_with('/') {
                    return Err(PatternError::SourceNotAbsolute(source.to_string()));
                }
                if source.chars().count() > MAX_NEXT_SOURCE_LEN {
                    return Err(PatternError::SourceTooLong);
                }
                // Next.js validates the source, then wraps it and compiles the wrapped string.
                path_to_regexp::next_path_to_regexp_source(source, dialect).map_err(invalid)?;
                let wrapped = options.wrap_source(source, locale);
                (path_to_regexp::next_path_to_regexp_source(&wrapped, dialect).map_err(invalid)?, Some(options))
            }
        };
        let js_source = regexp_source(&js_route);
        let regex = compile_js(&js_source, flags)?;
        Ok(CompiledPattern {
            source: source.to_string(),
            kind: PatternKind::Path { tokens },
            js_source,
            js_flags: flags.into(),
            regex,
            notes: Vec::new(),
            next,
        })
    }

    /// Compiles a JavaScript RegExp (`/source/flags`) used as-is: `.test(pathname)`, unanchored.
    pub fn compile_regexp(source: &str, flags: &str) -> Result<CompiledPattern, PatternError> {
        let translated = js_regex::translate(source, flags)
            .map_err(|error| PatternError::UnsupportedRegex { pattern: source.to_string(), error })?;
        let regex = Regex::new(&translated.pattern)
            .map_err(|e| PatternError::InvalidRegex { pattern: source.to_string(), message: e.to_string() })?;
        Ok(CompiledPattern {
            source: source.to_string(),
            kind: PatternKind::RegExp,
            js_source: source.to_string(),
            js_flags: flags.to_string(),
            regex,
            notes: translated.notes,
            next: None,
        })
    }
}

/// What `new RegExp(route).source` returns: `/` outside character classes escaped.
fn regexp_source(route: &str) -> String {
    let mut out = String::with_capacity(route.len() + 8);
    let (mut escaped, mut in_class) = (false, false);
    for c in route.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '/' if !in_class => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

fn compile_js(js_source: &str, flags: &str) -> Result<Regex, PatternError> {
    let translated = js_regex::translate(js_source, flags)
        .map_err(|error| PatternError::UnsupportedRegex { pattern: js_source.to_string(), error })?;
    Regex::new(&translated.pattern)
        .map_err(|e| PatternError::InvalidRegex { pattern: js_source.to_string(), message: e.to_string() })
}

#[derive(Clone, Debug)]
enum PatternKind {
    Path { tokens: Vec<Token> },
    RegExp,
}

/// A compiled matcher pattern.
#[derive(Clone, Debug)]
pub struct CompiledPattern {
    source: String,
    kind: PatternKind,
    js_source: String,
    js_flags: String,
    regex: Regex,
    notes: Vec<String>,
    /// Set for Next.js matcher sources: how an app path becomes the tested pathname.
    next: Option<NextOptions>,
}

impl CompiledPattern {
    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The JavaScript regular expression Node.js would test (`regexp.source`), e.g.
    /// `^\/dashboard[\/#\?]?$`.
    pub fn js_regex_source(&self) -> &str {
        &self.js_source
    }

    /// The JavaScript flags of that regular expression (`"i"` for Clerk strings).
    pub fn js_flags(&self) -> &str {
        &self.js_flags
    }

    /// The parsed path-to-regexp tokens of the source; `None` for a RegExp literal.
    pub fn tokens(&self) -> Option<&[Token]> {
        match &self.kind {
            PatternKind::Path { tokens } => Some(tokens),
            PatternKind::RegExp => None,
        }
    }

    /// Remarks on JavaScript features approximated here (ignored regex flags).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Does the pattern match this app path? For Next.js sources the path first gets the
    /// `basePath` and (with i18n) the default locale, as Next.js adds them before matching.
    pub fn is_match(&self, path: &str) -> bool {
        match &self.next {
            Some(options) => self.is_match_pathname(&options.request_pathname(path)),
            None => self.is_match_pathname(path),
        }
    }

    /// Tests the compiled regular expression against `pathname` exactly as given.
    pub fn is_match_pathname(&self, pathname: &str) -> bool {
        // fancy-regex only fails when its backtracking limit is hit; Node.js would keep going,
        // which for these short paths is not expected to happen.
        self.regex.is_match(pathname).unwrap_or(false)
    }

    /// Does the pattern also match paths below `base` (`'/dashboard'` vs `/dashboard/x`)?
    /// Checks one and two extra segments.
    pub fn matches_subpaths(&self, base: &str) -> bool {
        let base = base.trim_end_matches('/');
        let one = format!("{base}/{}", super::SAMPLE_SUBPATH);
        let two = format!("{one}/{}", super::SAMPLE_SUBPATH);
        self.is_match(&one) && self.is_match(&two)
    }
}

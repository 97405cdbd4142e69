//! Next.js `config.matcher` semantics (`getMiddlewareMatchers` + the runtime route matcher).

use semver::Version;

use super::Match;
use super::path_to_regexp::Dialect;
use super::pattern::{CompiledPattern, Flavour, MatcherError, Pattern};

/// The app settings that change how Next.js compiles and tests matcher sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextOptions {
    /// The installed `next`: decides the path-to-regexp release and the suffixes matched.
    pub next_version: Version,
    /// `basePath` from next.config (`""` when unset).
    pub base_path: String,
    /// `i18n` from next.config (Pages Router internationalized routing).
    pub i18n: Option<I18nConfig>,
}

impl Default for NextOptions {
    /// Next.js 15.5.15, the last 15.x before `.rsc` variants were matched.
    fn default() -> Self {
        Self::new(Version::new(15, 5, 15))
    }
}

/// `i18n: { locales, defaultLocale }` from next.config.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct I18nConfig {
    pub locales: Vec<String>,
    pub default_locale: Option<String>,
}

impl I18nConfig {
    fn default_locale(&self) -> &str {
        self.default_locale.as_deref().or(self.locales.first().map(String::as_str)).unwrap_or("__locale__")
    }

    fn is_locale(&self, segment: &str) -> bool {
        self.locales.iter().any(|l| l.eq_ignore_ascii_case(segment))
    }
}

impl NextOptions {
    /// Options for a `next` version, without `basePath` or i18n.
    pub fn new(next_version: Version) -> Self {
        Self { next_version, base_path: String::new(), i18n: None }
    }

    /// Next.js 14 vendors path-to-regexp 6.1; 15 and later 6.3.
    pub fn dialect(&self) -> Dialect {
        if self.next_version.major < 15 { Dialect::Legacy } else { Dialect::V6_3 }
    }

    /// Whether matchers also cover App Router transport URLs (`.rsc`, segment prefetches):
    /// the CVE-2026-44575 fix, 15.5.16 and 16.2.5.
    pub fn matches_rsc_variants(&self) -> bool {
        let v = &self.next_version;
        (v.major == 15 && *v >= Version::new(15, 5, 16)) || *v >= Version::new(16, 2, 5)
    }

    /// The string Next.js really compiles for a matcher `source` (`getMiddlewareMatchers`).
    pub fn wrap_source(&self, source: &str, locale: bool) -> String {
        let is_root = source == "/";
        let mut wrapped = source.to_string();
        if self.i18n.as_ref().is_some_and(|i| !i.locales.is_empty()) && locale {
            wrapped = format!("/:nextInternalLocale((?!_next/)[^/.]{{1,}}){}", if is_root { "" } else { source });
        }
        let transport = r"\.rsc|\.segments/.+\.segment\.rsc";
        let suffix = if is_root {
            let json = if self.i18n.is_some() { r"|\.json|" } else { "" };
            let rsc = if self.matches_rsc_variants() { format!("|/?index(?:{transport})") } else { String::new() };
            format!(r"({json}/?index|/?index\.json{rsc})?")
        } else if self.matches_rsc_variants() {
            format!(r"{{(\.json|{transport})}}?")
        } else if self.dialect() == Dialect::Legacy {
            // Next.js 14: unescaped dot, and a trailing `:param` takes this group as its pattern.
            "(.json)?".to_string()
        } else {
            r"{(\.json)}?".to_string()
        };
        format!("{}/:nextData(_next/data/[^/]{{1,}})?{wrapped}{suffix}", self.base_path)
    }

    /// The pathname Next.js tests for an app path: `basePath`, then (for `/_next/data/<build>`
    /// requests) the data prefix, then the default locale when the path has none (other
    /// `/_next/` paths are never localized).
    pub fn request_pathname(&self, app_path: &str) -> String {
        let (data_prefix, rest) = split_data_prefix(app_path);
        let mut rest = rest.to_string();
        let internal = data_prefix.is_empty() && rest.starts_with("/_next/");
        if let Some(i18n) = self.i18n.as_ref().filter(|i| !i.locales.is_empty() && !internal) {
            let first = rest.trim_start_matches('/').split('/').next().unwrap_or("");
            if !i18n.is_locale(first) {
                let tail = if rest == "/" { "" } else { rest.as_str() };
                rest = format!("/{}{tail}", i18n.default_locale());
            }
        }
        format!("{}{data_prefix}{rest}", self.base_path)
    }
}

/// `/_next/data/<build>/x.json` → (`/_next/data/<build>`, `/x.json`).
fn split_data_prefix(path: &str) -> (&str, &str) {
    let Some(after) = path.strip_prefix("/_next/data/") else { return ("", path) };
    match after.find('/') {
        Some(slash) => path.split_at("/_next/data/".len() + slash),
        None => ("", path),
    }
}

/// The request property a `has`/`missing` condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionKind {
    Header,
    Query,
    Cookie,
    Host,
}

/// One `has`/`missing` item: `{ type, key, value? }` (`host` has only a value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteCondition {
    pub kind: ConditionKind,
    pub key: Option<String>,
    pub value: Option<String>,
}

/// One `config.matcher` entry: a string, or the object form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextMatcherEntry {
    pub source: String,
    /// `false` when the entry sets `locale: false` (no locale parameter is added).
    pub locale: bool,
    pub has: Vec<RouteCondition>,
    pub missing: Vec<RouteCondition>,
}

impl NextMatcherEntry {
    /// A plain string entry.
    pub fn new(source: impl Into<String>) -> Self {
        Self { source: source.into(), locale: true, has: Vec::new(), missing: Vec::new() }
    }

    /// Whether the entry's match depends on the request (`has`/`missing`).
    pub fn is_conditional(&self) -> bool {
        !self.has.is_empty() || !self.missing.is_empty()
    }
}

impl From<&str> for NextMatcherEntry {
    fn from(source: &str) -> Self {
        Self::new(source)
    }
}

#[derive(Clone, Debug)]
struct CompiledEntry {
    pattern: CompiledPattern,
    conditional: bool,
}

/// A middleware's `config.matcher`, compiled. Without a matcher the middleware runs on every
/// path; an empty list matches nothing.
#[derive(Clone, Debug)]
pub struct NextMatcher {
    /// `None`: no `config.matcher`.
    entries: Option<Vec<CompiledEntry>>,
}

impl NextMatcher {
    /// The middleware has no `config.matcher`: every path.
    pub fn every_path() -> Self {
        Self { entries: None }
    }

    /// Compiles the entries; the first invalid one fails the whole matcher, as `next build` does.
    pub fn compile(entries: &[NextMatcherEntry], options: &NextOptions) -> Result<Self, MatcherError> {
        let compiled = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let flavour = Flavour::Next { options: options.clone(), locale: entry.locale };
                Pattern::compile(&entry.source, flavour)
                    .map(|pattern| CompiledEntry { pattern, conditional: entry.is_conditional() })
                    .map_err(|error| MatcherError { index, error })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { entries: Some(compiled) })
    }

    /// Whether there is a `config.matcher` at all.
    pub fn is_every_path(&self) -> bool {
        self.entries.is_none()
    }

    /// The compiled entries, in order (empty without a matcher).
    pub fn patterns(&self) -> impl Iterator<Item = &CompiledPattern> {
        self.entries.iter().flatten().map(|e| &e.pattern)
    }

    /// Does the middleware run for this app path (without `basePath` or locale)?
    pub fn matches(&self, app_path: &str) -> Match {
        self.evaluate(|p| p.is_match(app_path))
    }

    /// Same for a raw request pathname, tested as given (`basePath` and locale included).
    pub fn matches_pathname(&self, pathname: &str) -> Match {
        self.evaluate(|p| p.is_match_pathname(pathname))
    }

    /// Indices of the entries that match this app path.
    pub fn matching_entries(&self, app_path: &str) -> Vec<usize> {
        let entries = self.entries.iter().flatten();
        entries.enumerate().filter(|(_, e)| e.pattern.is_match(app_path)).map(|(i, _)| i).collect()
    }

    fn evaluate(&self, test: impl Fn(&CompiledPattern) -> bool) -> Match {
        let Some(entries) = &self.entries else { return Match::Yes };
        Match::any(entries.iter().map(|e| match (test(&e.pattern), e.conditional) {
            (false, _) => Match::No,
            (true, false) => Match::Yes,
            (true, true) => Match::Conditional,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_base_path_data_prefix_and_locale() {
        let options = NextOptions {
            next_version: Version::new(15, 5, 15),
            base_path: "/docs".into(),
            i18n: Some(I18nConfig { locales: vec!["en".into(), "fr".into()], default_locale: Some("en".into()) }),
        };
        assert_eq!(options.request_pathname("/"), "/docs/en");
        assert_eq!(options.request_pathname("/a/b"), "/docs/en/a/b");
        assert_eq!(options.request_pathname("/fr/a"), "/docs/fr/a");
        assert_eq!(options.request_pathname("/_next/data/build/a.json"), "/docs/_next/data/build/en/a.json");
        assert_eq!(options.request_pathname("/_next/static/x.js"), "/docs/_next/static/x.js");
    }
}

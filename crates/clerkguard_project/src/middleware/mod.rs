//! The middleware as Next.js and Clerk run it: which file Next.js loads (`middleware.*`, or
//! `proxy.*` on Next.js 16+), its `config.matcher`, and which requests the Clerk handler rejects
//! when nobody is signed in.
//!
//! This is a data model over one parsed file (plus the modules its route lists are imported
//! from); evaluating it against the route table is the linter's job.

mod ast;
mod condition;
mod config;
mod handler;
mod lists;
mod location;

use std::path::{Path, PathBuf};

use clerkguard_syntax::{SourceKind, TextRange, parse_source};

pub use condition::{Dnf, Lit, Truth};
pub use config::{MatcherConfig, MatcherEntrySpan, read_matcher};
pub use handler::{MiddlewareKind, ProtectKind, ProtectSite};
pub use lists::{ImportResolver, ListRole, RouteList, RouteListEntry};
pub use location::{MiddlewareLocation, MisplacedMiddleware, MisplacedReason, locate_middleware};

use crate::ProjectInfo;
use crate::matcher::{ClerkMatcherOptions, Match, MatcherError, NextMatcher, NextOptions};

/// Clerk's recommended `config.matcher` (docs, `clerk-middleware.mdx`), by `@clerk/nextjs` major.
pub fn recommended_matcher(clerk_major: u64) -> Vec<&'static str> {
    if clerk_major < 5 {
        return vec![r"/((?!.+\.[\w]+$|_next).*)", "/", "/(api|trpc)(.*)"];
    }
    let mut entries = vec![
        r"/((?!_next|[^?]*\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
        "/(api|trpc)(.*)",
    ];
    if clerk_major >= 7 {
        entries.push("/__clerk/(.*)");
    }
    entries
}

/// Whether a matcher source is one of Clerk's recommended entries (current or historical).
pub fn is_recommended_matcher_entry(source: &str) -> bool {
    const HISTORICAL: [&str; 4] =
        [r"/((?!.*\..*|_next).*)", "/", "/(api|trpc|__clerk)(.*)", r"/((?!.+\.[\w]+$|_next).*)"];
    recommended_matcher(7).contains(&source) || HISTORICAL.contains(&source) || source == "/__clerk/(.*)"
}

/// The middleware file Next.js loads, read statically.
#[derive(Debug)]
pub struct MiddlewareModel {
    pub file: PathBuf,
    pub kind: MiddlewareKind,
    /// The `clerkMiddleware(...)` / `authMiddleware(...)` call.
    pub call_range: Option<TextRange>,
    pub matcher: MatcherConfig,
    /// `config.matcher` compiled for the installed `next` (`None` when there is no static one).
    pub compiled_matcher: Option<Result<NextMatcher, MatcherError>>,
    pub lists: Vec<RouteList>,
    pub sites: Vec<ProtectSite>,
    /// Lists of routes the middleware does not run for (`ignoredRoutes`).
    pub ignored_lists: Vec<usize>,
    /// What could not be read.
    pub notes: Vec<String>,
    /// The file does not parse.
    pub parse_failed: bool,
}

/// What the middleware does with a signed-out request to one path, when it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Rejected by `sites[site]`.
    Protected { site: usize },
    /// Let through. `list`/`entry` name what decided it: a public list entry that matched, or a
    /// protect list that did not (`entry: None`).
    NotProtected { list: Option<usize>, entry: Option<usize> },
    /// Depends on something not known statically (a role check, a function matcher).
    Depends { site: usize },
}

impl MiddlewareModel {
    /// Reads the middleware file. `resolve` finds modules route lists are imported from.
    pub fn analyze(
        file: &Path,
        text: &str,
        project: &ProjectInfo,
        next_options: &NextOptions,
        resolve: &ImportResolver<'_>,
    ) -> MiddlewareModel {
        let kind = SourceKind::from_path(file).unwrap_or(SourceKind::TypeScript);
        let parsed = parse_source(text, kind);
        let mut model = MiddlewareModel {
            file: file.to_path_buf(),
            kind: MiddlewareKind::NotClerk,
            call_range: None,
            matcher: MatcherConfig::EveryPath,
            compiled_matcher: None,
            lists: Vec::new(),
            sites: Vec::new(),
            ignored_lists: Vec::new(),
            notes: Vec::new(),
            parse_failed: parsed.module.is_none(),
        };
        let Some(module) = parsed.module.as_ref() else { return model };
        model.matcher = read_matcher(module);
        model.compiled_matcher = match &model.matcher {
            MatcherConfig::Static { entries, .. } => {
                let entries: Vec<_> = entries.iter().map(|e| e.entry.clone()).collect();
                Some(NextMatcher::compile(&entries, next_options))
            }
            MatcherConfig::EveryPath => Some(Ok(NextMatcher::every_path())),
            MatcherConfig::NotStatic { .. } => None,
        };
        let clerk_version = project.clerk.as_ref().and_then(|c| c.effective());
        let options = clerk_version.as_ref().map(ClerkMatcherOptions::for_version).unwrap_or_default();
        let handler = handler::analyze(module, file, project.clerk_major(), options, resolve);
        model.kind = handler.kind;
        model.call_range = handler.call_range;
        model.lists = handler.lists;
        model.sites = handler.sites;
        model.ignored_lists = handler.ignored_lists;
        model.notes = handler.notes;
        model
    }

    /// Does the middleware run for this app path? `Unknown` when the matcher is not static or
    /// does not compile.
    pub fn runs_for(&self, path: &str) -> Match {
        let runs = match &self.compiled_matcher {
            Some(Ok(matcher)) => matcher.matches(path),
            _ => Match::Unknown,
        };
        if runs == Match::No {
            return Match::No;
        }
        if self.ignored_lists.iter().any(|&l| self.lists.get(l).is_some_and(|l| l.matches(path) == Match::Yes)) {
            return Match::No;
        }
        runs
    }

    /// The `config.matcher` entries that match this path.
    pub fn matching_matcher_entries(&self, path: &str) -> Vec<usize> {
        match &self.compiled_matcher {
            Some(Ok(matcher)) => matcher.matching_entries(path),
            _ => Vec::new(),
        }
    }

    /// What the handler does with a signed-out request to `path` (assuming it runs).
    pub fn verdict(&self, path: &str) -> Verdict {
        let list_match = |l: usize| self.lists.get(l).map_or(Match::Unknown, |list| list.matches(path));
        let mut depends = None;
        for (i, site) in self.sites.iter().enumerate() {
            match site.condition.eval(&list_match) {
                Truth::True => return Verdict::Protected { site: i },
                Truth::Unknown => depends = depends.or(Some(i)),
                Truth::False => {}
            }
        }
        if let Some(site) = depends {
            return Verdict::Depends { site };
        }
        // What made the protect conditions false: a public entry that matched, else a protect
        // list that did not.
        let mut missed_protect = None;
        for site in &self.sites {
            for conj in &site.condition.0 {
                for lit in conj {
                    if let Lit::Route { list, positive } = *lit {
                        let matched = list_match(list);
                        if !positive && matched == Match::Yes {
                            let entry = self.lists.get(list).and_then(|l| l.matching_entries(path).first().copied());
                            return Verdict::NotProtected { list: Some(list), entry };
                        }
                        if positive && matched == Match::No {
                            missed_protect = missed_protect.or(Some(list));
                        }
                    }
                }
            }
        }
        Verdict::NotProtected { list: missed_protect, entry: None }
    }

    /// Whether the handler protects every path it runs for unless a public list matches
    /// (deny by default), rather than a list of protected paths.
    pub fn is_deny_by_default(&self) -> bool {
        self.sites.iter().any(|s| {
            s.condition
                .0
                .iter()
                .any(|conj| conj.iter().all(|l| matches!(l, Lit::Route { positive: false, .. } | Lit::SignedIn(false))))
        })
    }
}

/// A `Resolver`-backed [`ImportResolver`] reading files through `read` (so editor buffers count).
pub fn import_resolver<'r>(
    resolver: &'r crate::Resolver,
    read: &'r dyn Fn(&Path) -> Option<String>,
) -> impl Fn(&Path, &str) -> Option<(PathBuf, String)> + 'r {
    move |from: &Path, specifier: &str| match resolver.resolve(from, specifier) {
        crate::Resolution::File(path) => read(&path).map(|text| (path, text)),
        _ => None,
    }
}

//! Which routes the middleware protects: the middleware model (`clerkguard_project::middleware`)
//! evaluated against the route table, for a signed-out request to each route.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use clerkguard_project::matcher::{Match, NextOptions};
use clerkguard_project::middleware::{
    ListRole, MatcherConfig, MiddlewareKind, MiddlewareLocation, MiddlewareModel, Verdict, import_resolver,
    locate_middleware,
};
use clerkguard_project::{Resolver, Route, RouteKind};
use clerkguard_syntax::TextRange;

use super::ProjectIndex;

/// What the middleware does for a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteStatus {
    /// No middleware file is loaded (or it does not use Clerk): Clerk's helpers throw here.
    NoMiddleware,
    /// The middleware does not run for this route (`config.matcher`, `ignoredRoutes`).
    OutsideMatcher,
    /// The middleware runs but lets signed-out requests through.
    Public,
    /// The middleware rejects signed-out requests.
    Protected,
    /// The middleware rejects signed-out requests under a condition not known statically
    /// (a role check, a function matcher, `has`/`missing` matcher conditions).
    Conditional,
    /// The matcher cannot be read statically (or does not compile).
    Unknown,
}

impl RouteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoMiddleware => "no-middleware",
            Self::OutsideMatcher => "outside-matcher",
            Self::Public => "public",
            Self::Protected => "protected-by-middleware",
            Self::Conditional => "conditionally-protected",
            Self::Unknown => "unknown",
        }
    }
}

/// What decided a route's status, with where it is written (for related information).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decider {
    pub file: PathBuf,
    pub range: TextRange,
    /// The source text (`'/dashboard(.*)'`, `await auth.protect()`), or a description.
    pub text: String,
}

/// One route and what the middleware does for it.
#[derive(Clone, Debug)]
pub struct RouteProtection {
    pub route: Route,
    pub status: RouteStatus,
    /// The sample path that decided the status.
    pub sample: String,
    pub decided_by: Option<Decider>,
    /// What the handler would do if the middleware ran for this route (set for routes outside
    /// the matcher): `Some(true)` when it would reject signed-out requests.
    pub protected_if_matched: Option<bool>,
}

/// The middleware model evaluated against the route table.
#[derive(Debug, Default)]
pub struct RoutingModel {
    pub location: MiddlewareLocation,
    /// The model of the loaded middleware file.
    pub middleware: Option<MiddlewareModel>,
    /// Models of middleware files Next.js does not load (misplaced, in conflict).
    pub unloaded: Vec<MiddlewareModel>,
    pub routes: Vec<RouteProtection>,
    /// The `next` version the matcher was evaluated for.
    pub next_options: NextOptions,
    /// Position in `routes` of each route file (rules ask per file, for every file).
    /// Keyed by the file's bytes (hashing a `Path` walks its components; three rules ask on
    /// every file).
    by_file: rustc_hash::FxHashMap<std::ffi::OsString, usize>,
    /// The files an entry of the loaded middleware's route lists is written in, by their bytes
    /// like `by_file` (three rules look for their entries in every file).
    list_entry_files: rustc_hash::FxHashSet<std::ffi::OsString>,
    /// The middleware files (loaded or not) and the files their route lists are written in, by
    /// their bytes (the routing rules ask on every file).
    involved_files: rustc_hash::FxHashSet<std::ffi::OsString>,
}

impl RoutingModel {
    /// The route a file serves.
    pub fn route_for(&self, file: &Path) -> Option<&RouteProtection> {
        self.by_file.get(file.as_os_str()).and_then(|&i| self.routes.get(i))
    }

    /// Whether `file` is a middleware file (loaded or not) or defines one of its route lists (a
    /// list's entries are written in the list's file).
    pub fn involves(&self, file: &Path) -> bool {
        self.involved_files.contains(file.as_os_str())
    }

    /// Whether an entry of a route list of the loaded middleware is written in `file`.
    pub fn has_list_entries_in(&self, file: &Path) -> bool {
        self.list_entry_files.contains(file.as_os_str())
    }

    /// The model of `file` when it is a middleware file (loaded or not).
    pub fn middleware_at(&self, file: &Path) -> Option<&MiddlewareModel> {
        self.middleware.iter().chain(&self.unloaded).find(|m| m.file == file)
    }
}

pub fn build(index: &ProjectIndex) -> RoutingModel {
    build_with(index, None)
}

/// The model with `text` standing for the content of `path` (a middleware or route-list file
/// being linted from a buffer the index has not seen).
pub fn build_with(index: &ProjectIndex, replaced: Option<(&Path, &str)>) -> RoutingModel {
    let read_file = |path: &Path| match replaced {
        Some((p, text)) if p == path => Some(text.to_string()),
        _ => index.read(path).map(|text| text.to_string()),
    };
    let next_version = index.project.next.as_ref().and_then(|n| n.effective());
    let mut files = index.files.clone();
    files.extend(index.sources.overlay_paths().into_iter().filter(|p| !index.files.contains(p)));
    let location = locate_middleware(
        &index.root,
        &files,
        &index.routes,
        next_version.as_ref(),
        &index.route_options.page_extensions,
    );
    let next_options = match &next_version {
        Some(version) => index.route_options.next_options(version),
        None => index.route_options.next_options(&NextOptions::default().next_version),
    };
    let resolver = Resolver::new(&index.project);
    let resolve = import_resolver(&resolver, &read_file);
    let analyze = |file: &Path| {
        read_file(file).map(|text| MiddlewareModel::analyze(file, &text, &index.project, &next_options, &resolve))
    };
    let middleware = location.loaded.as_deref().and_then(analyze);
    let mut unloaded: Vec<MiddlewareModel> = location.misplaced.iter().filter_map(|m| analyze(&m.path)).collect();
    if let Some((m, _)) = &location.conflict {
        unloaded.extend(analyze(m));
    }
    // Every sample of every route against the matchers: in parallel (rules wait for this).
    let routes: Vec<RouteProtection> = index
        .routes
        .routes
        .par_iter()
        .filter(|r| !r.intercepting)
        .map(|route| evaluate(route, middleware.as_ref()))
        .collect();
    let mut by_file = rustc_hash::FxHashMap::with_capacity_and_hasher(routes.len(), Default::default());
    for (i, r) in routes.iter().enumerate() {
        by_file.entry(r.route.file.as_os_str().to_owned()).or_insert(i);
    }
    let list_entry_files = middleware
        .iter()
        .flat_map(|m| &m.lists)
        .flat_map(|l| &l.entries)
        .map(|e| e.file.as_os_str().to_owned())
        .collect();
    let involved_files = middleware
        .iter()
        .chain(&unloaded)
        .flat_map(|m| std::iter::once(&m.file).chain(m.lists.iter().map(|l| &l.file)))
        .map(|file| file.as_os_str().to_owned())
        .collect();
    RoutingModel { location, middleware, unloaded, routes, next_options, by_file, list_entry_files, involved_files }
}

fn evaluate(route: &Route, middleware: Option<&MiddlewareModel>) -> RouteProtection {
    let first = route.samples.first().cloned().unwrap_or_else(|| route.url_pattern.clone());
    let mut result = RouteProtection {
        route: route.clone(),
        status: RouteStatus::NoMiddleware,
        sample: first.clone(),
        decided_by: None,
        protected_if_matched: None,
    };
    let Some(model) = middleware.filter(|m| m.kind != MiddlewareKind::NotClerk) else { return result };
    // Per sample, then the weakest wins: outside > unknown > public > conditional > protected.
    let rank = |s: RouteStatus| match s {
        RouteStatus::NoMiddleware | RouteStatus::OutsideMatcher => 0,
        RouteStatus::Unknown => 1,
        RouteStatus::Public => 2,
        RouteStatus::Conditional => 3,
        RouteStatus::Protected => 4,
    };
    let mut best: Option<(RouteStatus, String, Option<Decider>)> = None;
    for sample in &route.samples {
        let (status, decider) = sample_status(model, sample);
        if best.as_ref().is_none_or(|(s, _, _)| rank(status) < rank(*s)) {
            best = Some((status, sample.clone(), decider));
        }
    }
    if let Some((status, sample, decider)) = best {
        result.status = status;
        result.decided_by = decider;
        if status == RouteStatus::OutsideMatcher {
            result.protected_if_matched = Some(matches!(model.verdict(&sample), Verdict::Protected { .. }));
        }
        result.sample = sample;
    }
    result
}

fn sample_status(model: &MiddlewareModel, sample: &str) -> (RouteStatus, Option<Decider>) {
    match model.runs_for(sample) {
        Match::No => return (RouteStatus::OutsideMatcher, outside_decider(model, sample)),
        Match::Unknown => return (RouteStatus::Unknown, matcher_decider(model)),
        Match::Yes | Match::Conditional => {}
    }
    let conditional_run = model.runs_for(sample) == Match::Conditional;
    match model.verdict(sample) {
        Verdict::Protected { site } => {
            let status = if conditional_run { RouteStatus::Conditional } else { RouteStatus::Protected };
            (status, Some(protect_decider(model, site, sample)))
        }
        Verdict::Depends { site } => (RouteStatus::Conditional, Some(site_decider(model, site))),
        Verdict::NotProtected { list, entry } => {
            let decider = match (list, entry) {
                (Some(list), Some(entry)) => list_entry_decider(model, list, entry),
                (Some(list), None) => model.lists.get(list).map(|l| Decider {
                    file: l.file.clone(),
                    range: l.range,
                    text: format!("`{}` does not match `{sample}`", l.name),
                }),
                _ => model.call_range.map(|range| Decider {
                    file: model.file.clone(),
                    range,
                    text: "the middleware protects no route".into(),
                }),
            };
            (RouteStatus::Public, decider)
        }
    }
}

fn outside_decider(model: &MiddlewareModel, sample: &str) -> Option<Decider> {
    for &l in &model.ignored_lists {
        let Some(list) = model.lists.get(l) else { continue };
        if let Some(&entry) = list.matching_entries(sample).first() {
            return list_entry_decider(model, l, entry);
        }
    }
    matcher_decider(model)
}

fn matcher_decider(model: &MiddlewareModel) -> Option<Decider> {
    match &model.matcher {
        MatcherConfig::Static { value_range, .. } | MatcherConfig::NotStatic { range: value_range, .. } => {
            Some(Decider { file: model.file.clone(), range: *value_range, text: "config.matcher".into() })
        }
        MatcherConfig::EveryPath => None,
    }
}

fn list_entry_decider(model: &MiddlewareModel, list: usize, entry: usize) -> Option<Decider> {
    let list = model.lists.get(list)?;
    let entry = list.entries.get(entry)?;
    let text = match &entry.param {
        clerkguard_project::matcher::RouteMatcherParam::Path(p) => format!("'{p}'"),
        clerkguard_project::matcher::RouteMatcherParam::RegExp { source, flags } => format!("/{source}/{flags}"),
        clerkguard_project::matcher::RouteMatcherParam::Function => "a function".into(),
    };
    Some(Decider { file: entry.file.clone(), range: entry.range, text: format!("{} in `{}`", text, list.name) })
}

fn protect_decider(model: &MiddlewareModel, site: usize, sample: &str) -> Decider {
    // Prefer the protect-list entry that named the route.
    if let Some(s) = model.sites.get(site) {
        for conj in &s.condition.0 {
            for lit in conj {
                if let clerkguard_project::middleware::Lit::Route { list, positive: true } = *lit
                    && model.lists.get(list).is_some_and(|l| l.role == ListRole::Protect)
                    && let Some(&entry) = model.lists[list].matching_entries(sample).first()
                    && let Some(decider) = list_entry_decider(model, list, entry)
                {
                    return decider;
                }
            }
        }
    }
    site_decider(model, site)
}

fn site_decider(model: &MiddlewareModel, site: usize) -> Decider {
    let range = model.sites.get(site).map(|s| s.range).unwrap_or_default();
    let text = match model.kind {
        MiddlewareKind::AuthMiddleware => "authMiddleware (deny by default)".to_string(),
        _ => "the middleware handler".to_string(),
    };
    Decider { file: model.file.clone(), range, text }
}

/// Whether a route kind calls for a signed-in check of its own when the middleware is its only
/// protection (everything but plain pages that render no user data is an entry point).
pub fn is_handler(kind: RouteKind) -> bool {
    matches!(kind, RouteKind::RouteHandler | RouteKind::PagesApi)
}

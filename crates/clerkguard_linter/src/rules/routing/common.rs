//! What the routing rules share: the route a file serves, whether it checks the caller itself,
//! Clerk helper use, and edits into matcher / route-list arrays.

use std::path::Path;

use clerkguard_project::ProjectInfo;
use clerkguard_project::middleware::{MatcherConfig, MiddlewareModel, RouteList};
use clerkguard_syntax::{LineIndex, SourceKind, TextRange, parse_source};
use semver::Version;

use crate::analysis::{FileSemantics, ImportedName, NoSummaries, clerk_api::is_clerk_server_module};
use crate::project_index::routing::RoutingModel;
use crate::rules::entry_points::AnalyzedEntry;
use crate::{Config, Edit, FileContext, FileInput, ProjectIndex, Workspace};

/// The first import of a Clerk helper that needs the middleware at runtime (`auth`,
/// `currentUser`, `getAuth`): they throw when `clerkMiddleware` did not run for the request.
pub fn clerk_helper_import(sem: &FileSemantics) -> Option<(TextRange, String)> {
    let mut found: Vec<(TextRange, String)> = sem
        .imports
        .values()
        .filter(|b| !b.type_only && is_clerk_server_module(&b.source))
        .filter_map(|b| match &b.imported {
            ImportedName::Named(name) if matches!(name.as_str(), "auth" | "currentUser" | "getAuth") => {
                Some((b.range, format!("{name}()")))
            }
            _ => None,
        })
        .collect();
    found.sort_by_key(|(r, _)| r.start);
    found.into_iter().next()
}

/// The routing model as seen from the file being linted: when it is the middleware file or
/// defines one of its route lists and its text differs from what the index read, the model is
/// rebuilt with this text so findings and fixes line up with it.
pub fn routing_for<'a>(ctx: &FileContext<'a>) -> RoutingView<'a> {
    let routing = ctx.index.routing();
    view_for(ctx, routing, routing.involves(ctx.path))
}

/// [`routing_for`] for the rules that report only in the middleware and its route-list files:
/// `None` for every other file (without building anything).
pub fn routing_if_involved<'a>(ctx: &FileContext<'a>) -> Option<RoutingView<'a>> {
    let routing = ctx.index.routing();
    routing.involves(ctx.path).then(|| view_for(ctx, routing, true))
}

fn view_for<'a>(ctx: &FileContext<'a>, routing: &'a RoutingModel, involved: bool) -> RoutingView<'a> {
    if involved && ctx.index.read(ctx.path).as_deref() != Some(ctx.text) {
        return RoutingView::Owned(Box::new(crate::project_index::routing::build_with(
            ctx.index,
            Some((ctx.path, ctx.text)),
        )));
    }
    RoutingView::Shared(routing)
}

/// The project's routing model, or one rebuilt for the text being linted.
pub enum RoutingView<'a> {
    Shared(&'a RoutingModel),
    Owned(Box<RoutingModel>),
}

impl std::ops::Deref for RoutingView<'_> {
    type Target = RoutingModel;

    fn deref(&self) -> &RoutingModel {
        match self {
            Self::Shared(model) => model,
            Self::Owned(model) => model,
        }
    }
}

/// Whether one entry point checks its caller itself.
pub fn entry_guards(entry: &AnalyzedEntry) -> bool {
    entry.wrapper_guards || entry.facts.guard_seen || entry.facts.summary.ensures_signed_in
}

/// Whether the file's entry points rely on the middleware alone: none checks the caller and at
/// least one touches data.
pub fn relies_on_middleware_alone(entries: &[AnalyzedEntry]) -> bool {
    !entries.is_empty() && !entries.iter().any(entry_guards) && entries.iter().any(|e| !e.facts.effects.is_empty())
}

/// Where file-level findings on a route are reported: the first entry point, else the first
/// Clerk helper import, else the start of the file.
pub fn route_report_range(ctx: &FileContext<'_>) -> TextRange {
    ctx.entries()
        .first()
        .map(|e| e.report_range)
        .or_else(|| clerk_helper_import(ctx.semantics).map(|(r, _)| r))
        .unwrap_or_default()
}

/// URLs that are public by design: auth pages, webhooks, health checks, metadata files.
pub fn is_public_by_design(url: &str) -> bool {
    const NAMES: [&str; 16] = [
        "sign-in",
        "sign-up",
        "signin",
        "signup",
        "login",
        "register",
        "webhook",
        "webhooks",
        "health",
        "healthz",
        "status",
        "ping",
        "robots.txt",
        "sitemap.xml",
        "favicon.ico",
        "manifest",
    ];
    url.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase();
        NAMES.iter().any(|n| seg == *n || seg.starts_with("[[...sign-"))
    })
}

/// The quote a list of literals uses (from its first string element), else `style_quote`.
pub fn quote_in(text: &str, range: TextRange, style_quote: char) -> char {
    text.get(range.as_usize_range())
        .and_then(|t| t.chars().find(|c| matches!(c, '\'' | '"' | '`')))
        .filter(|c| *c != '`')
        .unwrap_or(style_quote)
}

/// The edit adding `entry` (already quoted) to an array literal at `array` whose last element
/// ends at `last_end`, in `file`.
pub fn array_insert(text: &str, array: TextRange, last_end: Option<u32>, entry: &str) -> Option<Edit> {
    let arr = text.get(array.as_usize_range())?;
    if !arr.starts_with('[') || !arr.ends_with(']') {
        return None;
    }
    Some(match last_end {
        Some(end) => Edit::insert(end, format!(", {entry}")),
        None => Edit::insert(array.end - 1, entry.to_string()),
    })
}

/// The edit adding a matcher source to `config.matcher` of the middleware file.
pub fn matcher_insert(model: &MiddlewareModel, text: &str, source: &str) -> Option<Edit> {
    let MatcherConfig::Static { entries, value_range, is_array } = &model.matcher else { return None };
    let quote = entries.first().map_or('"', |e| quote_in(text, e.source_range, '"'));
    let quoted = js_string(source, quote);
    let edit = if *is_array {
        array_insert(text, *value_range, entries.last().map(|e| e.range.end), &quoted)?
    } else {
        let original = text.get(value_range.as_usize_range())?;
        Edit::replace(*value_range, format!("[{original}, {quoted}]"))
    };
    Some(edit.in_file(model.file.clone()))
}

/// The edit adding a path to a route list (its array literal), in the list's file.
pub fn list_insert(list: &RouteList, text: &str, path: &str) -> Option<Edit> {
    if !list.is_array {
        return None;
    }
    let in_file: Vec<_> = list.entries.iter().filter(|e| e.file == list.file).collect();
    let quote = in_file.first().map_or('"', |e| quote_in(text, e.range, '"'));
    let last_end = in_file.iter().map(|e| e.range.end).filter(|end| *end < list.range.end).max();
    array_insert(text, list.range, last_end, &js_string(path, quote)).map(|e| e.in_file(list.file.clone()))
}

/// A JavaScript string literal.
pub fn js_string(value: &str, quote: char) -> String {
    let escaped = value.replace('\\', "\\\\").replace(quote, &format!("\\{quote}"));
    format!("{quote}{escaped}{quote}")
}

/// A path-to-regexp entry covering a route URL's first segment and everything below it:
/// `/api/admin/x` → `/api/:path*`; a dynamic first segment → `/:path*`.
pub fn covering_prefix(url: &str) -> String {
    match url.trim_start_matches('/').split('/').next() {
        None | Some("") => "/".to_string(),
        Some(seg) if seg.starts_with('[') => "/:path*".to_string(),
        Some(seg) => format!("/{seg}/:path*"),
    }
}

/// The patched `next` release for CVE-2025-29927, when `version` is affected: 15.2.3, 14.2.25,
/// 13.5.9, 12.3.5 (`Some(None)`: 11.x, no patched release on its line).
pub fn cve_2025_29927_fix(version: &Version) -> Option<Option<Version>> {
    let mut v = version.clone();
    v.pre = semver::Prerelease::EMPTY;
    let patched = match v.major {
        15 => Version::new(15, 2, 3),
        14 => Version::new(14, 2, 25),
        13 => Version::new(13, 5, 9),
        12 => Version::new(12, 3, 5),
        11 => return Some(None),
        _ => return None,
    };
    (v < patched).then_some(Some(patched))
}

/// Whether the project's `next` is affected by CVE-2025-29927.
pub fn next_is_bypassable(project: &ProjectInfo) -> bool {
    project.next.as_ref().and_then(|n| n.effective()).is_some_and(|v| cve_2025_29927_fix(&v).is_some())
}

/// Runs `f` on a file context for `input`'s file, outside the lint driver.
pub fn with_file_context<R>(input: FileInput<'_>, f: impl FnOnce(&FileContext<'_>) -> R) -> Option<R> {
    let kind = SourceKind::from_path(input.path)?;
    let parsed = parse_source(input.text, kind);
    let module = parsed.module.as_ref()?;
    let semantics = FileSemantics::build(module, input.text);
    let line_index = LineIndex::new(input.text);
    let ctx = FileContext::new(input, &line_index, module, &semantics);
    Some(f(&ctx))
}

/// `f` on the context of another file of the project (a route file a routing rule looks into),
/// read through the index and analysed alone (no cross-module summaries). `None` when the file
/// cannot be read or parsed.
pub fn with_route_file<R>(
    index: &ProjectIndex,
    project: &ProjectInfo,
    config: &Config,
    path: &Path,
    f: impl FnOnce(&FileContext<'_>) -> R,
) -> Option<R> {
    let text = index.read(path)?;
    with_file_context(FileInput { path, text: &text, project, config, summaries: &NoSummaries, index }, f)
}

/// Whether the route file at `path` checks its caller itself (every entry point guards), with
/// cross-module guard helpers resolved through the workspace. `None` when the file cannot be
/// read or has no entry points.
pub fn route_guards_itself(workspace: &Workspace, path: &Path) -> Option<bool> {
    let crate::WorkspaceFile::Text(text) = workspace.read(path) else { return None };
    let project = workspace.project_for(path);
    let index = workspace.index_for(path);
    let cache = crate::analysis::ModuleSummaryCache::default();
    let lookup = cache.lookup(workspace, path);
    with_file_context(project.file_input(path, &text, &lookup, &index), |ctx| {
        let entries = ctx.entries();
        (!entries.is_empty()).then(|| entries.iter().all(entry_guards))
    })
    .flatten()
}

/// One line describing how the route `path` serves is protected, for editors (a code lens):
/// `None` when the file is not a route.
pub fn route_protection_summary(workspace: &Workspace, path: &Path) -> Option<String> {
    use crate::project_index::routing::RouteStatus;
    let index = workspace.index_for(path);
    let route = index.routing().route_for(path)?.clone();
    let status = match route.status {
        RouteStatus::NoMiddleware => "no middleware runs for it".to_string(),
        RouteStatus::OutsideMatcher => "outside the middleware matcher".to_string(),
        RouteStatus::Public => "public in the middleware".to_string(),
        RouteStatus::Protected => "protected by the middleware".to_string(),
        RouteStatus::Conditional => "conditionally protected by the middleware".to_string(),
        RouteStatus::Unknown => "middleware matcher not readable statically".to_string(),
    };
    let decided = route.decided_by.as_ref().map(|d| format!(" ({})", d.text)).unwrap_or_default();
    let own = match route_guards_itself(workspace, path) {
        Some(true) => " · checks the caller itself",
        Some(false) => " · no check of its own",
        None => "",
    };
    Some(format!("{}: {status}{decided}{own}", route.route.url_pattern))
}

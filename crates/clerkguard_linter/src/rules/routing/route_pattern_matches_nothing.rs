use std::collections::BTreeSet;

use clerkguard_project::matcher::{NextMatcher, RouteMatcherParam};
use clerkguard_project::middleware::ListRole;
use clerkguard_syntax::TextRange;

use crate::project_index::routing::RoutingModel;
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds `createRouteMatcher` entries, `publicRoutes` entries and `config.matcher` sources
    /// that match no route of the app because of a mistake that can be seen:
    ///
    /// - a route-group folder name in the pattern — `'/(protected)(.*)'` — although groups never
    ///   appear in URLs;
    /// - a near miss of a real route — `'/dashbaord(.*)'`, `'/Dashboard'` (the Next.js matcher is
    ///   case-sensitive).
    ///
    /// Patterns for paths the route table cannot see (rewrites, other apps) are left alone when
    /// no route is close to them.
    ///
    /// ## Why is this bad?
    ///
    /// A protect pattern that matches nothing protects nothing, and nothing warns about it.
    ///
    /// ## Example
    ///
    /// ```ts
    /// // app/(protected)/dashboard/page.tsx serves /dashboard
    /// const isProtectedRoute = createRouteMatcher(["/(protected)(.*)"]);
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const isProtectedRoute = createRouteMatcher(["/dashboard/:path*"]);
    /// ```
    ///
    /// ## Fix safety
    ///
    /// No fix: the intended pattern cannot be derived. The message names the nearest real route.
    pub RoutePatternMatchesNothing {
        id: "route-pattern-matches-nothing",
        category: Routing,
        severity: Warning,
        fix: None,
        summary: "A route pattern matches no route of the app (route-group name or typo)",
    }
}

impl Rule for RoutePatternMatchesNothing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(routing) = super::common::routing_if_involved(ctx) else { return };
        let routing = &*routing;
        let Some(model) = routing.middleware.as_ref() else { return };
        if routing.routes.is_empty() {
            return;
        }
        let mut candidates: Vec<(TextRange, String, bool)> = Vec::new();
        for list in model.lists.iter().filter(|l| l.role != ListRole::Other) {
            let Ok(matcher) = &list.matcher else { continue };
            for (index, pattern) in matcher.patterns() {
                let Some(entry) = list.entries.get(index).filter(|e| e.file == ctx.path) else { continue };
                let RouteMatcherParam::Path(source) = &entry.param else { continue };
                let hits = routing.routes.iter().any(|r| r.route.samples.iter().any(|s| pattern.is_match(s)));
                candidates.push((entry.range, source.clone(), hits));
            }
        }
        if model.file == ctx.path
            && let clerkguard_project::middleware::MatcherConfig::Static { entries, .. } = &model.matcher
        {
            for entry in entries {
                let Ok(matcher) = NextMatcher::compile(std::slice::from_ref(&entry.entry), &routing.next_options)
                else {
                    continue;
                };
                let hits =
                    routing.routes.iter().any(|r| r.route.samples.iter().any(|s| matcher.matches(s).is_possible()));
                candidates.push((entry.source_range, entry.entry.source.clone(), hits));
            }
        }
        // Only the middleware and route-list files have candidates; most files stop here.
        candidates.retain(|(_, _, hits)| !hits);
        if candidates.is_empty() {
            return;
        }
        let groups = route_groups(ctx, routing);
        for (range, source, _) in candidates {
            let message = if let Some(group) = groups.iter().find(|g| source.contains(&format!("/{g}"))) {
                format!("`{source}` matches no route: the route group `{group}` never appears in URLs")
            } else if let Some(near) = nearest_route(&source, routing) {
                format!("`{source}` matches no route; did you mean `{near}`?")
            } else {
                continue;
            };
            out.push(
                ctx.diagnostic(&Self::META, range, message)
                    .with_help("Write the URL the route serves (folders in parentheses are not part of it)"),
            );
        }
    }
}

/// Route-group folder names (`(protected)`) on the app's route paths.
fn route_groups(ctx: &FileContext<'_>, routing: &RoutingModel) -> BTreeSet<String> {
    let Some(app_dir) = &ctx.index.routes.app_dir else { return BTreeSet::new() };
    routing
        .routes
        .iter()
        .filter_map(|r| r.route.file.strip_prefix(app_dir).ok())
        .flat_map(|rel| rel.components().filter_map(|c| c.as_os_str().to_str().map(str::to_string)).collect::<Vec<_>>())
        .filter(|c| c.starts_with('(') && c.ends_with(')') && !c.starts_with("(."))
        .collect()
}

/// The literal start of a pattern: `/dashbaord(.*)` → `/dashbaord`.
fn static_prefix(source: &str) -> &str {
    let end = source.find(['(', ':', '*', '?', '{', '[', '+']).unwrap_or(source.len());
    source[..end].trim_end_matches('/')
}

/// A real route URL within two edits of the pattern's literal start.
fn nearest_route(source: &str, routing: &RoutingModel) -> Option<String> {
    let prefix = static_prefix(source);
    if prefix.len() < 4 || super::common::is_public_by_design(prefix) {
        return None;
    }
    let depth = prefix.matches('/').count();
    let mut best: Option<(usize, String)> = None;
    for route in &routing.routes {
        let url = &route.route.url_pattern;
        let cut: String = url.split('/').take(depth + 1).collect::<Vec<_>>().join("/");
        if cut.contains('[') {
            continue;
        }
        let distance = levenshtein(prefix, &cut);
        if distance > 0 && distance <= 2 && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, cut));
        }
    }
    best.map(|(_, url)| url)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}

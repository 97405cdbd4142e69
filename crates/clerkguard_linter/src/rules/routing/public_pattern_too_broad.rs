use clerkguard_project::matcher::RouteMatcherParam;
use clerkguard_project::middleware::ListRole;

use super::common::{clerk_helper_import, is_public_by_design, with_route_file};
use crate::analysis::entry_points::EntryPointKind;
use crate::project_index::routing::{RouteProtection, RouteStatus};
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds public-list patterns (`createRouteMatcher` lists used as `!isPublicRoute(req)`,
    /// `authMiddleware`'s `publicRoutes`) that make more routes public than meant:
    ///
    /// - a pattern that matches every route, such as `'/(.*)'`;
    /// - a wildcard such as `'/api(.*)'` over mutating route handlers that do not check the
    ///   caller themselves;
    /// - a dynamic pattern such as `'/events/:id'` that also matches a static sibling route
    ///   (`/events/create`).
    ///
    /// ## Why is this bad?
    ///
    /// With deny-by-default protection, the public list is the exception list: every route it
    /// matches is served to signed-out users, including ones added later under the same prefix.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const isPublicRoute = createRouteMatcher(["/", "/events/:id"]);
    /// // app/events/create/page.tsx is public too
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const isPublicRoute = createRouteMatcher(["/", "/events/:id(\\d+)"]);
    /// ```
    ///
    /// ## Fix safety
    ///
    /// No fix: which routes are meant to be public is a decision. The message names the routes
    /// the pattern opens up.
    pub PublicPatternTooBroad {
        id: "public-pattern-too-broad",
        category: Routing,
        severity: Warning,
        fix: None,
        summary: "A public route pattern also makes routes public that are not meant to be",
    }
}

impl Rule for PublicPatternTooBroad {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let routing = super::common::routing_for(ctx);
        let routing = &*routing;
        let Some(model) = routing.middleware.as_ref() else { return };
        // Only entries written in this file are reported: most files hold none.
        if !routing.has_list_entries_in(ctx.path) {
            return;
        }
        let rel = |r: &RouteProtection| r.route.url_pattern.clone();
        for list in model.lists.iter().filter(|l| l.role == ListRole::Public) {
            let Ok(matcher) = &list.matcher else { continue };
            for (index, pattern) in matcher.patterns() {
                let Some(entry) = list.entries.get(index).filter(|e| e.file == ctx.path) else { continue };
                let RouteMatcherParam::Path(source) = &entry.param else { continue };
                let matched: Vec<&RouteProtection> =
                    routing.routes.iter().filter(|r| pattern.is_match(&r.sample)).collect();
                let message = if routing.routes.len() >= 2 && matched.len() == routing.routes.len() {
                    Some(format!("`{source}` makes every route of the app public"))
                } else if let Some(sibling) = static_sibling(source, &matched) {
                    Some(format!(
                        "`{source}` also matches the static route `{}`, which becomes public",
                        sibling.route.url_pattern
                    ))
                } else if is_wildcard(source) {
                    let open: Vec<String> = matched
                        .iter()
                        .filter(|r| r.status == RouteStatus::Public && unguarded_mutation(ctx, r))
                        .map(|r| rel(r))
                        .collect();
                    (!open.is_empty()).then(|| {
                        format!(
                            "`{source}` makes mutating handlers public that do not check the caller: {}",
                            open.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
                        )
                    })
                } else {
                    None
                };
                if let Some(message) = message {
                    out.push(
                        ctx.diagnostic(&Self::META, entry.range, message)
                            .with_help("List the public routes precisely, or constrain the parameter"),
                    );
                }
            }
        }
    }
}

fn is_wildcard(source: &str) -> bool {
    source.ends_with("(.*)") || source.ends_with(":path*") || source.ends_with("(.*)?") || source.ends_with('*')
}

/// A static route the pattern matches in a position where it has a parameter, next to a
/// dynamic sibling it also matches (`/events/:id` over `/events/create` and `/events/[id]`).
fn static_sibling<'a>(source: &str, matched: &[&'a RouteProtection]) -> Option<&'a RouteProtection> {
    let pattern: Vec<&str> = source.trim_start_matches('/').split('/').collect();
    let param_at = pattern.iter().position(|s| s.starts_with(':'))?;
    let segment =
        |r: &RouteProtection| r.route.url_pattern.trim_start_matches('/').split('/').nth(param_at).map(str::to_string);
    let has_dynamic = matched.iter().any(|r| segment(r).is_some_and(|s| s.starts_with('[')));
    if !has_dynamic {
        return None;
    }
    matched
        .iter()
        .copied()
        .find(|r| segment(r).is_some_and(|s| !s.starts_with('[')) && !is_public_by_design(&r.route.url_pattern))
}

/// A mutating route handler that checks nobody (webhooks and public-by-design routes aside).
fn unguarded_mutation(ctx: &FileContext<'_>, route: &RouteProtection) -> bool {
    if is_public_by_design(&route.route.url_pattern) {
        return false;
    }
    with_route_file(ctx.index, ctx.project, ctx.config, &route.route.file, |other| {
        // Files that use Clerk's helpers or import helpers of their own may check in ways a
        // single-file analysis misses: give them the benefit of the doubt.
        if clerk_helper_import(other.semantics).is_some() || other.text.contains("svix") {
            return false;
        }
        other.entries().iter().any(|e| {
            (e.kind.is_mutating_handler() || e.kind == EntryPointKind::PagesApi)
                && !super::common::entry_guards(e)
                && !e.facts.effects.is_empty()
        })
    })
    .unwrap_or(false)
}

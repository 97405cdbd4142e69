use clerkguard_project::RouteKind;
use clerkguard_project::matcher::{NextMatcher, NextMatcherEntry};

use super::common::{clerk_helper_import, covering_prefix, is_public_by_design, matcher_insert, route_report_range};
use crate::project_index::routing::RouteStatus;
use crate::{Diagnostic, FileContext, Fix, RelatedInfo, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds routes (pages, route handlers, Pages Router API routes) whose URL the middleware's
    /// `config.matcher` does not cover, when that matters:
    ///
    /// - the route **relies on the middleware** for protection — the middleware protects every
    ///   route that is not public (deny by default), or a protect-list pattern names the route —
    ///   so it **runs unauthenticated**;
    /// - the route **calls Clerk's server helpers** (`auth()`, `currentUser()`, `getAuth()`),
    ///   which **throw at runtime** when `clerkMiddleware` did not run for the request.
    ///
    /// Routes that are public by design and call no Clerk helper are not reported. The
    /// diagnostic points at the matcher as related information.
    ///
    /// ## Why is this bad?
    ///
    /// Next.js only runs the middleware for paths its matcher matches (case-sensitively, with
    /// path-to-regexp semantics). A protect rule in the handler never sees the other requests,
    /// and Clerk's helpers fail with "auth() was called but Clerk can't detect usage of
    /// clerkMiddleware()".
    ///
    /// ## Example
    ///
    /// ```ts
    /// // middleware.ts: the matcher only covers the App Router
    /// export const config = { matcher: ["/dashboard/:path*"] };
    ///
    /// // pages/api/admin/do-thing.ts: never reaches the middleware
    /// export default async function handler(req, res) {
    ///   const { userId } = getAuth(req); // throws
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export const config = { matcher: ["/dashboard/:path*", "/api/:path*"] };
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix adds a positive matcher entry covering the route's first URL segment
    /// (`/api/:path*`) to `config.matcher` in the middleware file. It is **unsafe**: the
    /// middleware then runs — and may reject requests — for every route under that prefix.
    pub RouteOutsideMatcher {
        id: "route-outside-matcher",
        category: Routing,
        severity: Error,
        fix: Unsafe,
        summary: "A route that needs the middleware is not covered by its matcher",
    }
}

impl Rule for RouteOutsideMatcher {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let routing = ctx.index.routing();
        let Some(route) = routing.route_for(ctx.path) else { return };
        if route.status != RouteStatus::OutsideMatcher {
            return;
        }
        let Some(model) = routing.middleware.as_ref() else { return };
        let helper = clerk_helper_import(ctx.semantics);
        let relies = route.protected_if_matched == Some(true)
            && !is_public_by_design(&route.route.url_pattern)
            && (matches!(route.route.kind, RouteKind::RouteHandler | RouteKind::PagesApi)
                || ctx.entries().iter().any(|e| !e.facts.effects.is_empty()));
        let message = match (&helper, relies) {
            (Some((_, name)), _) => format!(
                "`{}` is outside the middleware matcher, so `{name}` throws at runtime here (Clerk cannot detect clerkMiddleware())",
                route.sample
            ),
            (None, true) => format!(
                "`{}` is outside the middleware matcher: the middleware would protect it, but never runs, so it runs unauthenticated",
                route.sample
            ),
            (None, false) => return,
        };
        let Some(mw_text) = ctx.index.read(&model.file) else { return };
        let prefix = covering_prefix(&route.route.url_pattern);
        let covers = NextMatcher::compile(&[NextMatcherEntry::new(prefix.clone())], &routing.next_options)
            .is_ok_and(|m| m.matches(&route.sample).is_yes());
        let fix = covers
            .then(|| matcher_insert(model, &mw_text, &prefix))
            .flatten()
            .map(|edit| Fix::unsafe_(format!("Add `{prefix}` to the middleware matcher"), vec![edit]));
        let mut diagnostic = ctx
            .diagnostic(&Self::META, route_report_range(ctx), message)
            .with_help(format!("Add a matcher entry covering the route, e.g. `{prefix}`"))
            .with_fix(fix);
        if let Some(decider) = &route.decided_by {
            diagnostic = diagnostic.with_related(RelatedInfo {
                path: decider.file.clone(),
                range: decider.range,
                message: format!("`{}` is not matched here", route.sample),
            });
        }
        out.push(diagnostic);
    }
}

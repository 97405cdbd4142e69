use clerkguard_project::matcher::{Flavour, Pattern, RouteMatcherParam};
use clerkguard_project::middleware::ListRole;

use super::common::{js_string, quote_in};
use crate::project_index::routing::RouteStatus;
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds protect-list patterns like `'/dashboard'` — no `(.*)`, no `/:path*` — while the app
    /// has routes below that path, which the pattern leaves unprotected.
    ///
    /// A pattern without a wildcard on a route that has no sub-routes is fine and not reported.
    ///
    /// ## Why is this bad?
    ///
    /// `createRouteMatcher` compiles strings with path-to-regexp 6 and `end: true`: `'/dashboard'`
    /// matches `/dashboard` and `/dashboard/`, not `/dashboard/settings`. The sub-routes stay
    /// public.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const isProtectedRoute = createRouteMatcher(["/dashboard"]);
    /// // app/dashboard/settings/page.tsx is not protected
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const isProtectedRoute = createRouteMatcher(["/dashboard/:path*"]);
    /// ```
    ///
    /// `/dashboard/:path*` matches `/dashboard` itself too, and not `/dashboardxyz` (which
    /// `'/dashboard(.*)'` would).
    ///
    /// ## Fix safety
    ///
    /// The fix rewrites the pattern to `'<pattern>/:path*'`. It is **unsafe**: routes below the
    /// path become protected, which is almost always the intent but changes who can reach them.
    pub RoutePatternMissingSubpaths {
        id: "route-pattern-missing-subpaths",
        category: Routing,
        severity: Error,
        fix: Unsafe,
        summary: "A protect pattern without a wildcard leaves the routes below it unprotected",
    }
}

impl Rule for RoutePatternMissingSubpaths {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(routing) = super::common::routing_if_involved(ctx) else { return };
        let routing = &*routing;
        let Some(model) = routing.middleware.as_ref() else { return };
        // Public routes by URL, so the routes below a base are one contiguous run.
        let mut public: Vec<_> = routing.routes.iter().filter(|r| r.status == RouteStatus::Public).collect();
        public.sort_by(|a, b| a.route.url_pattern.cmp(&b.route.url_pattern));
        for list in model.lists.iter().filter(|l| l.role == ListRole::Protect) {
            let Ok(matcher) = &list.matcher else { continue };
            for (index, pattern) in matcher.patterns() {
                let Some(entry) = list.entries.get(index).filter(|e| e.file == ctx.path) else { continue };
                let RouteMatcherParam::Path(source) = &entry.param else { continue };
                // Routes the pattern names, and public routes below them it misses.
                let named: Vec<_> =
                    routing.routes.iter().filter(|r| r.route.samples.iter().any(|s| pattern.is_match(s))).collect();
                let missed = named.iter().find_map(|base| {
                    let below = format!("{}/", base.route.url_pattern.trim_end_matches('/'));
                    let first = public.partition_point(|r| r.route.url_pattern.as_str() < below.as_str());
                    public[first..].iter().copied().take_while(|r| r.route.url_pattern.starts_with(&below)).find(|r| {
                        r.route.url_pattern != base.route.url_pattern
                            && !r.route.samples.iter().any(|s| pattern.is_match(s))
                    })
                });
                let Some(missed) = missed else { continue };
                let widened = format!("{}/:path*", source.trim_end_matches('/'));
                let valid = Pattern::compile(&widened, Flavour::Clerk).is_ok_and(|p| p.is_match(&missed.sample));
                let fix = valid.then(|| {
                    let quote = quote_in(ctx.text, entry.range, ctx.style().quote);
                    Fix::unsafe_(
                        format!("Rewrite to `{widened}`"),
                        vec![Edit::replace(entry.range, js_string(&widened, quote))],
                    )
                });
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        entry.range,
                        format!(
                            "`{source}` does not match the routes below it: `{}` ({}) is left unprotected",
                            missed.route.url_pattern,
                            missed.route.file.strip_prefix(&ctx.index.root).unwrap_or(&missed.route.file).display()
                        ),
                    )
                    .with_help(format!("Use `{widened}` to protect the path and everything below it"))
                    .with_fix(fix),
                );
            }
        }
    }
}

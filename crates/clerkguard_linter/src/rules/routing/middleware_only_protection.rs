use super::common::{entry_guards, next_is_bypassable, relies_on_middleware_alone};
use crate::project_index::routing::RouteStatus;
use crate::{Diagnostic, FileContext, RelatedInfo, Rule, RuleMeta, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds route handlers, API routes and pages that touch data and whose only protection is
    /// the middleware: the middleware rejects signed-out requests for them, and they check
    /// nothing themselves.
    ///
    /// This is a hint, shown only when the rule is turned on in `clerkguard.json` — except on a
    /// `next` version vulnerable to the CVE-2025-29927 middleware bypass (below 15.2.3, 14.2.25,
    /// 13.5.9, 12.3.5; all of 11.x), where it is always reported, as an **error**.
    ///
    /// ## Why is this bad?
    ///
    /// Middleware checks paths, not resources: Server Functions are called by id on whatever
    /// page is open, matcher and `createRouteMatcher` semantics differ (case, normalization),
    /// and framework bugs have bypassed middleware entirely. Clerk v7 deprecates
    /// `createRouteMatcher` and recommends checking at each resource.
    ///
    /// ## Example
    ///
    /// ```ts
    /// // protected only by `createRouteMatcher(["/api/admin(.*)"])` in middleware.ts
    /// export async function DELETE(req: Request) {
    ///   await db.user.deleteMany();
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export async function DELETE(req: Request) {
    ///   await auth.protect();
    ///   await db.user.deleteMany();
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// No fix yet: `route-handler-missing-auth` offers the per-resource check for handlers
    /// that are not protected by the middleware.
    pub MiddlewareOnlyProtection {
        id: "middleware-only-protection",
        category: Routing,
        severity: Hint,
        fix: None,
        summary: "The middleware is the route's only protection (an error on Next.js versions with a middleware bypass)",
    }
}

impl Rule for MiddlewareOnlyProtection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let bypassable = next_is_bypassable(ctx.project);
        if !bypassable && !ctx.config.rule_levels.contains_key(Self::META.id) {
            return;
        }
        let routing = ctx.index.routing();
        let Some(route) = routing.route_for(ctx.path) else { return };
        if route.status != RouteStatus::Protected || !relies_on_middleware_alone(ctx.entries()) {
            return;
        }
        for entry in ctx.entries().iter().filter(|e| !entry_guards(e) && !e.facts.effects.is_empty()) {
            let message = if bypassable {
                format!(
                    "`{}` is protected only by the middleware, which CVE-2025-29927 lets attackers skip on this `next` version",
                    entry.name
                )
            } else {
                format!("`{}` is protected only by the middleware; check the caller here too", entry.name)
            };
            let mut diagnostic = ctx
                .diagnostic(&Self::META, entry.report_range, message)
                .with_help("Call `await auth.protect()` (or check `userId`) before touching data");
            if bypassable {
                diagnostic.severity = Severity::Error;
            }
            if let Some(decider) = &route.decided_by {
                diagnostic = diagnostic.with_related(RelatedInfo {
                    path: decider.file.clone(),
                    range: decider.range,
                    message: "the middleware protection this route relies on".into(),
                });
            }
            out.push(diagnostic);
        }
    }
}

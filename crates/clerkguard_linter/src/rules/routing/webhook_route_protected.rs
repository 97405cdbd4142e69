use clerkguard_project::middleware::ListRole;

use super::common::{list_insert, route_report_range};
use crate::analysis::clerk_api::ClerkFn;
use crate::project_index::routing::RouteStatus;
use crate::{Diagnostic, FileContext, Fix, RelatedInfo, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds webhook route handlers — under a `webhook`/`webhooks` path segment, or verifying
    /// Svix / Standard Webhooks signatures, or calling `verifyWebhook` — that the middleware
    /// protects.
    ///
    /// ## Why is this bad?
    ///
    /// Webhook deliveries come from Clerk's servers (Svix) and carry no session: a protected
    /// route answers them with a redirect to sign-in or a 404, so every delivery fails and is
    /// retried until Svix gives up. The signature check is the webhook's authentication.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const isPublicRoute = createRouteMatcher(["/", "/sign-in(.*)"]);
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (!isPublicRoute(req)) await auth.protect();
    /// });
    /// // app/api/webhooks/clerk/route.ts is protected
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const isPublicRoute = createRouteMatcher(["/", "/sign-in(.*)", "/api/webhooks/clerk"]);
    /// ```
    ///
    /// ## Fix safety
    ///
    /// When the middleware has a public list written as an array literal, the fix adds the
    /// route's URL to it (an edit in the file that defines the list). It is **unsafe**: the
    /// route becomes reachable without a session, so it must verify the signature (see
    /// `webhook-unverified`).
    pub WebhookRouteProtected {
        id: "webhook-route-protected",
        category: Routing,
        severity: Warning,
        fix: Unsafe,
        summary: "A webhook route is protected by the middleware, so deliveries without a session fail",
    }
}

impl Rule for WebhookRouteProtected {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let routing = ctx.index.routing();
        let Some(route) = routing.route_for(ctx.path) else { return };
        if route.status != RouteStatus::Protected || !is_webhook(ctx, &route.route.url_pattern) {
            return;
        }
        let url = to_path_pattern(&route.route.url_pattern);
        let fix = routing.middleware.as_ref().and_then(|model| {
            let list = model.lists.iter().find(|l| l.role == ListRole::Public && l.is_array)?;
            let text = ctx.index.read(&list.file)?;
            let edit = list_insert(list, &text, &url)?;
            Some(Fix::unsafe_(format!("Add `{url}` to `{}`", list.name), vec![edit]))
        });
        let mut diagnostic = ctx
            .diagnostic(
                &Self::META,
                route_report_range(ctx),
                format!(
                    "The webhook route `{}` is protected by the middleware: deliveries carry no session and are rejected",
                    route.route.url_pattern
                ),
            )
            .with_help("Make the route public in the middleware and verify the webhook signature instead")
            .with_fix(fix);
        if let Some(decider) = &route.decided_by {
            diagnostic = diagnostic.with_related(RelatedInfo {
                path: decider.file.clone(),
                range: decider.range,
                message: "the middleware protection that rejects deliveries".into(),
            });
        }
        out.push(diagnostic);
    }
}

fn is_webhook(ctx: &FileContext<'_>, url: &str) -> bool {
    url.split('/').any(|s| s.eq_ignore_ascii_case("webhook") || s.eq_ignore_ascii_case("webhooks"))
        || ctx.semantics.imports.values().any(|b| matches!(b.source.as_str(), "svix" | "standardwebhooks"))
        || ctx
            .semantics
            .imports
            .keys()
            .any(|local| ctx.semantics.clerk_fn_of_ident(local) == Some(ClerkFn::VerifyWebhook))
        || (ctx.mentions("svix-") && ctx.mentions("svix-signature"))
}

/// A route URL as a path-to-regexp pattern: `[id]` → `:id`, `[...slug]` → `:slug+`,
/// `[[...slug]]` → `:slug*`.
fn to_path_pattern(url: &str) -> String {
    let segments: Vec<String> = url
        .split('/')
        .map(|seg| {
            if let Some(name) = seg.strip_prefix("[[...").and_then(|s| s.strip_suffix("]]")) {
                format!(":{name}*")
            } else if let Some(name) = seg.strip_prefix("[...").and_then(|s| s.strip_suffix(']')) {
                format!(":{name}+")
            } else if let Some(name) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                format!(":{name}")
            } else {
                seg.to_string()
            }
        })
        .collect();
    segments.join("/")
}

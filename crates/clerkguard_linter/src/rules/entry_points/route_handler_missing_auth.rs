use crate::analysis::effects::EffectKind;
use crate::analysis::entry_points::EntryPointKind;
use crate::{Applicability, Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

use super::guard_fix::insert_session_check;

declare_rule! {
    /// ## What it does
    ///
    /// Finds mutating route handlers — App Router `POST`, `PUT`, `PATCH` and `DELETE` exports
    /// of `app/**/route.ts`, and Pages Router API handlers (`pages/api/**`) that write data —
    /// that touch data without checking the caller themselves, while the middleware does not
    /// protect the route either.
    ///
    /// A handler checks its caller with `auth()` / `getAuth(req)` and an early return when
    /// `userId` is null, `await auth.protect()`, a guard helper, a wrapper such as
    /// `withAuth(handler)`, or — for machine callers — a signature or shared-secret check
    /// (`stripe.webhooks.constructEvent`, `timingSafeEqual`, a comparison with a
    /// `process.env` secret). Webhook handlers are left to the webhook rules.
    ///
    /// Until the route table and middleware model are wired in, every route is treated as not
    /// protected by the middleware.
    ///
    /// ## Why is this bad?
    ///
    /// Route handlers are public URLs. `clerkMiddleware()` protects nothing by default, and a
    /// handler outside the matcher or on a public pattern runs for anyone.
    ///
    /// ## Example
    ///
    /// ```ts
    /// // app/api/posts/route.ts
    /// export async function POST(req: Request) {
    ///   const body = await req.json();
    ///   await db.post.create({ data: body });
    ///   return Response.json({ ok: true });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export async function POST(req: Request) {
    ///   const { userId } = await auth();
    ///   if (!userId) return new Response("Unauthorized", { status: 401 });
    ///   const body = await req.json();
    ///   await db.post.create({ data: { ...body, authorId: userId } });
    ///   return Response.json({ ok: true });
    /// }
    /// ```
    ///
    /// On the Pages Router: `const { userId } = getAuth(req); if (!userId) return res.status(401).json(...)`.
    ///
    /// ## Fix safety
    ///
    /// The fix inserts the session lookup and a 401 response at the top of the handler. It is
    /// **unsafe**: it changes who may call the route.
    pub RouteHandlerMissingAuth {
        id: "route-handler-missing-auth",
        category: EntryPoints,
        severity: Error,
        fix: Unsafe,
        summary: "A mutating route handler touches data without checking the caller",
    }
}

/// Paths and contents that mark a webhook receiver (covered by the webhook rules).
pub(crate) fn is_webhook_file(ctx: &FileContext<'_>) -> bool {
    let path = ctx.path.to_string_lossy().to_ascii_lowercase();
    path.contains("webhook")
        || ctx
            .semantics
            .imports
            .values()
            .any(|b| matches!(b.source.as_str(), "svix" | "standardwebhooks" | "@clerk/nextjs/webhooks"))
        // (`svix-` first: most files have none, and then no header name either.)
        || (ctx.mentions("svix-") && ctx.mentions("svix-signature"))
        || ctx.mentions("stripe-signature")
}

impl Rule for RouteHandlerMissingAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if is_webhook_file(ctx) || ctx.middleware_protection() == crate::MiddlewareProtection::Protected {
            return;
        }
        for entry in ctx.entries() {
            let mutating = match &entry.kind {
                kind @ EntryPointKind::RouteHandler { .. } => kind.is_mutating_handler(),
                EntryPointKind::PagesApi => true,
                _ => false,
            };
            if !mutating || entry.wrapper_guards {
                continue;
            }
            let pages = entry.kind == EntryPointKind::PagesApi;
            let Some(effect) = entry.facts.unguarded_effects().find(|e| {
                e.unchecked_auth.is_none()
                    && e.effect.what != "fetch"
                    && (!pages || e.effect.kind == EffectKind::Mutation)
            }) else {
                continue;
            };
            let what = if pages { "API route".to_string() } else { format!("`{}` handler", entry.name) };
            let fix = insert_session_check(ctx, entry, "Return 401 when nobody is signed in", Applicability::Unsafe);
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    entry.report_range,
                    format!(
                        "{what} calls `{}` without checking the caller, and no middleware protects this route",
                        effect.effect.what
                    ),
                )
                .with_help(if pages {
                    "Call `getAuth(req)` and return 401 when `userId` is null before touching data"
                } else {
                    "Call `auth()` and return 401 when `userId` is null before touching data"
                })
                .with_fix(fix),
            );
        }
    }
}

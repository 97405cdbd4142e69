use clerkguard_project::VersionReq;
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, MemberExpr};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::ast_util::{chain_names, member_prop_name, peel, range_of};
use crate::analysis::clerk_api::ClerkFn;
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds Clerk APIs that the installed `@clerk/nextjs` deprecates or removed:
    /// - `authMiddleware` (deprecated in v5, removed in v6) — use `clerkMiddleware`;
    /// - `createRouteMatcher` on 7.5.14 and later (deprecated; checks belong at each resource);
    /// - the `clerkClient` singleton (`clerkClient.users...`) on 5.2 to 5.x — call `clerkClient()`;
    /// - `sessionClaims.org_role` / `org_id` / `org_slug` reads, which are empty under session
    ///   token v2 (organization claims moved to `o`) — read `orgRole` / `orgId` from `auth()`.
    ///
    /// ## Why is this bad?
    ///
    /// Deprecated APIs disappear in the next major, usually with a security-relevant change of
    /// default (`authMiddleware` protected everything, `clerkMiddleware` protects nothing), and
    /// raw claim reads silently turn `undefined` when the token format changes: an
    /// `org_role === "admin"` check then fails closed at best.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const users = await clerkClient.users.getUserList();
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const users = await clerkClient().users.getUserList();
    /// ```
    ///
    /// ## Fix safety
    ///
    /// Calling the `clerkClient` singleton is rewritten to `clerkClient()` (safe on 5.2+). The
    /// other cases need a rewrite by hand.
    pub DeprecatedClerkApi {
        id: "deprecated-clerk-api",
        category: Advisories,
        severity: Warning,
        fix: Safe,
        summary: "A Clerk API deprecated or removed in the installed version",
    }
}

impl Rule for DeprecatedClerkApi {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(clerk) = &ctx.project.clerk else { return };
        let at_least = |r: VersionReq| clerk.satisfies(r) == Some(true);
        let major = clerk.major().unwrap_or(0);
        let mut bindings: Vec<_> = ctx.semantics.imports.iter().filter(|(_, b)| !b.type_only).collect();
        bindings.sort_by_key(|(_, b)| b.range.start);
        for (local, binding) in bindings {
            match ctx.semantics.clerk_fn_of_ident(local) {
                Some(ClerkFn::AuthMiddleware) if major >= 5 => {
                    let what = if major >= 6 {
                        "was removed in @clerk/nextjs 6"
                    } else {
                        "is deprecated since @clerk/nextjs 5"
                    };
                    out.push(
                        ctx.diagnostic(&Self::META, binding.range, format!("`authMiddleware` {what}"))
                            .with_help("Use `clerkMiddleware` — note it protects nothing by default: protect routes with `auth.protect()` or checks in each route"),
                    );
                }
                Some(ClerkFn::CreateRouteMatcher) if at_least(VersionReq::at_least(7, 5, 14)) => {
                    out.push(
                        ctx.diagnostic(
                            &Self::META,
                            binding.range,
                            "`createRouteMatcher` is deprecated since @clerk/nextjs 7.5.14",
                        )
                        .with_help(
                            "Check access at each resource (`await auth.protect()` in the page, layout or handler)",
                        ),
                    );
                }
                _ => {}
            }
        }
        let singleton = at_least(VersionReq::at_least(5, 2, 0)) && major == 5;
        // The walk reports the `clerkClient` singleton (5.2+ on 5) and `sessionClaims.org_*`.
        if !singleton && !ctx.mentions("sessionClaims") {
            return;
        }
        let mut finder = Finder { ctx, singleton, found: Vec::new() };
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut finder);
            out.append(&mut finder.found);
            true
        });
    }
}

struct Finder<'c, 'a> {
    ctx: &'c FileContext<'a>,
    singleton: bool,
    found: Vec<Diagnostic>,
}

impl Visit for Finder<'_, '_> {
    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if self.singleton
            && let Expr::Ident(id) = peel(&m.obj)
            && self.ctx.semantics.clerk_fn_of_ident(&id.sym) == Some(ClerkFn::ClerkClient)
        {
            let end = range_of(id).end;
            self.found.push(
                self.ctx
                    .diagnostic(
                        &DeprecatedClerkApi::META,
                        range_of(id),
                        "The `clerkClient` singleton is deprecated since @clerk/nextjs 5.2",
                    )
                    .with_help("Call it: `clerkClient().users...`")
                    .with_fix(Some(Fix::safe("Call `clerkClient()`", vec![Edit::insert(end, "()")]))),
            );
        }
        // `sessionClaims.org_*` only: the property decides before the chain is built (cloning
        // every member expression to name its chain was a tenth of this rule's files' time).
        let claim_prop = member_prop_name(&m.prop)
            .is_some_and(|p| matches!(&*p, "org_role" | "org_id" | "org_slug" | "org_permissions"));
        let names = if claim_prop { chain_names(&Expr::Member(m.clone())) } else { Vec::new() };
        if let Some(pos) = names.iter().position(|n| n == "sessionClaims")
            && names.len() == pos + 2
            && matches!(names[pos + 1].as_str(), "org_role" | "org_id" | "org_slug" | "org_permissions")
        {
            let claim = &names[pos + 1];
            let replacement = match claim.as_str() {
                "org_role" => "orgRole",
                "org_id" => "orgId",
                "org_slug" => "orgSlug",
                _ => "orgPermissions",
            };
            self.found.push(
                self.ctx
                    .diagnostic(
                        &DeprecatedClerkApi::META,
                        TextRange::new(range_of(m).start, range_of(m).end),
                        format!("`sessionClaims.{claim}` is empty under session token v2"),
                    )
                    .with_help(format!("Read `{replacement}` from `auth()` instead")),
            );
            return;
        }
        m.visit_children_with(self);
    }
}

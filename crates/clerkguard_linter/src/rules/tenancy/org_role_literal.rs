use clerkguard_project::VersionReq;
use clerkguard_syntax::ast::{BinExpr, BinaryOp, CallExpr, Callee, Expr, Lit, Prop, PropOrSpread};
use clerkguard_syntax::visit::{Visit, VisitWith};
use clerkguard_syntax::{Directive, TextRange};

use crate::analysis::ast_util::{as_member, peel, prop_name, range_of};
use crate::analysis::queries::values::origin_of;
use crate::analysis::queries::{Bindings, Origin};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

/// `has({ role: 'admin' })` matches `org:admin` from this version on (prefix normalization).
const PREFIX_NORMALIZATION: VersionReq = VersionReq::at_least(6, 19, 0);

declare_rule! {
    /// ## What it does
    ///
    /// Finds organization role and permission checks written with keys Clerk never produces:
    ///
    /// - `orgRole === 'admin'` (any version): the auth object's `orgRole` is always prefixed,
    ///   `org:admin`, so the comparison is always false;
    /// - `has({ role: 'admin' })` / `has({ permission: 'invoices:read' })` and
    ///   `auth.protect({ role: 'admin' })` without the `org:` prefix on `@clerk/nextjs` before
    ///   6.19.0, where `has()` compares keys exactly (from 6.19.0 `'admin'` and `'org:admin'` are
    ///   equivalent, and the rule is silent);
    /// - `has({ permission: 'org:sys_...' })` in server code: system permissions are not in the
    ///   session token, so the server-side check is always false.
    ///
    /// ## Why is this bad?
    ///
    /// A check that is always false locks out the people it is meant to let in, and the usual
    /// "fix" under time pressure is to remove the check altogether. With a negated check
    /// (`if (orgRole !== 'admin') return`) every admin is rejected; the same code with `===` in a
    /// permissive branch silently never grants.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const { orgRole } = await auth();
    /// if (orgRole !== "admin") throw new Error("Forbidden");
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const { has } = await auth();
    /// if (!has({ role: "org:admin" })) throw new Error("Forbidden");
    /// ```
    ///
    /// For system permissions (`org:sys_memberships:manage`, ...), check the role instead.
    ///
    /// ## Fix safety
    ///
    /// The fix adds the `org:` prefix. It is **unsafe**: the check starts granting access it
    /// never granted before, so confirm that the role key is the one you mean.
    pub OrgRoleLiteral {
        id: "org-role-literal",
        category: Tenancy,
        severity: Warning,
        fix: Unsafe,
        summary: "An organization role or permission check uses a key Clerk never produces",
    }
}

impl Rule for OrgRoleLiteral {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Findings are a `role`/`permission` key or a comparison with an `orgRole` value: a
        // file without those words has neither.
        if !["role", "Role", "ROLE", "permission"].iter().any(|w| ctx.mentions(w)) {
            return;
        }
        // The module's bindings take a walk of their own, as long as the scan. Most files have
        // nothing to report whatever their bindings say, so a first scan assumes every name
        // could be the one that matters and only looks for something to report.
        let normalizes_prefix = ctx.project.clerk_at_least(PREFIX_NORMALIZATION);
        let client = ctx.semantics.has_directive(Directive::UseClient);
        let mut found = Vec::new();
        if ctx.mentions("orgRole") {
            let mut first = Scan { ctx, bindings: None, normalizes_prefix, client, out: &mut found };
            ctx.module.visit_with(&mut first);
        } else {
            // Without `orgRole` in the file no comparison can be a candidate, so the first scan
            // reads one item at a time and an editor buffer reuses what unchanged items gave.
            ctx.each_item(&Self::META, &mut found, |item, out| {
                item.visit_with(&mut Scan { ctx, bindings: None, normalizes_prefix, client, out });
                true
            });
        }
        if found.is_empty() {
            return;
        }
        let bindings = Bindings::for_module(ctx.module, ctx.semantics);
        let mut scan = Scan { ctx, bindings: Some(&bindings), normalizes_prefix, client, out };
        ctx.module.visit_with(&mut scan);
    }
}

struct Scan<'c, 'a> {
    ctx: &'c FileContext<'a>,
    /// `None` in the first scan: then every name may have any origin, and what it reports
    /// is a superset of the findings.
    bindings: Option<&'c Bindings>,
    normalizes_prefix: bool,
    client: bool,
    out: &'c mut Vec<Diagnostic>,
}

impl Scan<'_, '_> {
    /// Whether `expr` may hold the session's `orgRole` (only a binding or member named
    /// `orgRole` can).
    fn is_org_role(&self, expr: &Expr) -> bool {
        match self.bindings {
            Some(bindings) => origin_of(expr, bindings, self.ctx.semantics, None) == Origin::OrgRole,
            None => self.ctx.mentions("orgRole"),
        }
    }

    fn prefix_fix(&self, literal: TextRange) -> Option<Fix> {
        // Insert right after the opening quote.
        let at = literal.start + 1;
        Some(Fix::unsafe_("Prefix the key with `org:`", vec![Edit::insert(at, "org:")]))
    }

    fn report(&mut self, range: TextRange, message: String, help: &str, fix: Option<Fix>) {
        let diagnostic = self.ctx.diagnostic(&OrgRoleLiteral::META, range, message).with_help(help).with_fix(fix);
        self.out.push(diagnostic);
    }

    /// Whether the call is `has(...)` of an auth object, or `auth.protect(...)`.
    fn is_auth_params_call(&self, callee: &Expr) -> bool {
        let sem = self.ctx.semantics;
        if sem.is_any_protect_callee(callee) {
            return true;
        }
        let Some(bindings) = self.bindings else {
            return matches!(peel(callee), Expr::Ident(_)) || as_member(peel(callee)).is_some_and(|(_, p)| p == "has");
        };
        match peel(callee) {
            Expr::Ident(id) => bindings.origin_of_name(&id.sym) == Some(Origin::Has),
            other => as_member(other).is_some_and(|(obj, p)| {
                p == "has"
                    && matches!(
                        origin_of(obj, bindings, self.ctx.semantics, None),
                        Origin::AuthObject | Origin::HelperSession
                    )
            }),
        }
    }
}

fn string_lit(expr: &Expr) -> Option<(String, TextRange)> {
    match peel(expr) {
        Expr::Lit(Lit::Str(s)) => Some((s.value.to_string_lossy().into_owned(), range_of(s))),
        _ => None,
    }
}

impl Visit for Scan<'_, '_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        call.visit_children_with(self);
        let Callee::Expr(callee) = &call.callee else { return };
        if !self.is_auth_params_call(callee) {
            return;
        }
        let Some(Expr::Object(obj)) = call.args.first().map(|a| peel(&a.expr)) else { return };
        for prop in &obj.props {
            let PropOrSpread::Prop(prop) = prop else { continue };
            let Prop::KeyValue(kv) = &**prop else { continue };
            let Some(key) = prop_name(&kv.key).filter(|k| k == "role" || k == "permission") else { continue };
            let Some((value, range)) = string_lit(&kv.value) else { continue };
            if key == "permission" && value.starts_with("org:sys_") {
                if !self.client {
                    self.report(
                        range,
                        format!("`{value}` is a system permission: it is not in the session token, so this server-side check is always false"),
                        "Check the role that carries the permission instead (`has({ role: 'org:admin' })`)",
                        None,
                    );
                }
                continue;
            }
            if !value.is_empty() && !value.starts_with("org:") && !self.normalizes_prefix {
                self.report(
                    range,
                    format!("`{value}` lacks the `org:` prefix: before @clerk/nextjs 6.19 `has()` compares keys exactly, so this is always false"),
                    "Write the key as Clerk issues it: `org:` + key",
                    self.prefix_fix(range),
                );
            }
        }
    }

    fn visit_bin_expr(&mut self, bin: &BinExpr) {
        bin.visit_children_with(self);
        if !matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::NotEqEq | BinaryOp::EqEq | BinaryOp::NotEq) {
            return;
        }
        for (side, other) in [(&bin.left, &bin.right), (&bin.right, &bin.left)] {
            if !self.is_org_role(side) {
                continue;
            }
            let Some((value, range)) = string_lit(other) else { continue };
            if value.is_empty() || value.starts_with("org:") {
                continue;
            }
            self.report(
                range,
                format!("`orgRole` is always prefixed (`org:{value}`), so comparing it with `{value}` is always false"),
                "Use `has({ role: 'org:...' })`, or compare with the prefixed key",
                self.prefix_fix(range),
            );
        }
    }
}

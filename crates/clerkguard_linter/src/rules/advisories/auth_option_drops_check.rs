use clerkguard_project::VersionReq;
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{CallExpr, Callee, Expr, Module, ObjectLit, Prop, PropOrSpread};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::FileSemantics;
use crate::analysis::ast_util::{chain_parts, member_prop_name, peel, prop_name, range_of};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// On `@clerk/nextjs` versions before the GHSA-w24r-5266-9c3c fix (6.0.0–6.39.2 and
    /// 7.0.0–7.2.3), finds `auth.protect({ role | permission, unauthorizedUrl |
    /// unauthenticatedUrl | token })` — authorization parameters mixed with options in one
    /// object — and `has()` calls that combine dimensions (`reverification` with a role,
    /// permission, feature or plan; a feature or plan with a role or permission).
    ///
    /// ## Why is this bad?
    ///
    /// On those versions `auth.protect()` dropped the role/permission check when the object also
    /// carried a redirect URL or token type, and combined `has()` checks could pass when one
    /// dimension failed: the "admins only" page lets every signed-in user in.
    ///
    /// ## Example
    ///
    /// ```ts
    /// await auth.protect({ role: "org:admin", unauthorizedUrl: "/denied" });
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// await auth.protect({ role: "org:admin" }, { unauthorizedUrl: "/denied" });
    /// ```
    ///
    /// or upgrade to 6.39.3 / 7.2.4 or later (see `vulnerable-clerk-version`).
    ///
    /// ## Fix safety
    ///
    /// For `auth.protect`, the fix moves the options into the second argument, which every
    /// version reads correctly. It is safe. Combined `has()` checks get no automatic fix: split
    /// them into separate `has()` calls joined with `&&`.
    pub AuthOptionDropsCheck {
        id: "auth-option-drops-check",
        category: Advisories,
        severity: Error,
        fix: Safe,
        summary: "auth.protect()/has() parameter combinations whose role check is dropped before 6.39.3 / 7.2.4",
    }
}

const AUTH_KEYS: [&str; 5] = ["role", "permission", "feature", "plan", "reverification"];
const OPTION_KEYS: [&str; 3] = ["unauthorizedUrl", "unauthenticatedUrl", "token"];

/// Whether an `@clerk/nextjs` version has the GHSA-w24r-5266-9c3c bug.
pub fn is_affected_version(project: &clerkguard_project::ProjectInfo) -> bool {
    let Some(clerk) = &project.clerk else { return false };
    let at_least = |r: VersionReq| clerk.satisfies(r).unwrap_or(false);
    (at_least(VersionReq::at_least(6, 0, 0)) && !at_least(VersionReq::at_least(6, 39, 3)))
        || (at_least(VersionReq::at_least(7, 0, 0)) && !at_least(VersionReq::at_least(7, 2, 4)))
}

/// A mixed call: (range, is protect, the fix's replacement for the object when splittable).
pub struct Mixed {
    pub range: TextRange,
    pub protect: bool,
    pub split: Option<(TextRange, Vec<TextRange>, Vec<TextRange>)>,
}

pub fn find_mixed(module: &Module, sem: &FileSemantics) -> Vec<Mixed> {
    let mut f = Finder { sem, found: Vec::new() };
    module.visit_with(&mut f);
    f.found
}

struct Finder<'s> {
    sem: &'s FileSemantics,
    found: Vec<Mixed>,
}

fn keys(obj: &ObjectLit) -> Option<Vec<(String, TextRange)>> {
    obj.props
        .iter()
        .map(|p| match p {
            PropOrSpread::Prop(p) => match &**p {
                Prop::KeyValue(kv) => prop_name(&kv.key).map(|k| (k.into_owned(), range_of(&**p))),
                Prop::Shorthand(id) => Some((id.sym.as_str().to_owned(), range_of(&**p))),
                _ => None,
            },
            PropOrSpread::Spread(_) => None,
        })
        .collect()
}

/// `has(...)` or `x.has(...)`: the callee's last name is `has`, not itself called.
fn is_has_callee(callee: &Expr) -> bool {
    match peel(callee) {
        Expr::Ident(id) => &*id.sym == "has",
        Expr::Member(m) => member_prop_name(&m.prop).is_some_and(|name| name == "has"),
        _ => chain_parts(callee).last().is_some_and(|(name, calls)| name == "has" && *calls == 0),
    }
}

impl Visit for Finder<'_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Callee::Expr(callee) = &call.callee
            && let Some(first) = call.args.first()
            && let Expr::Object(obj) = peel(&first.expr)
            && let protect = self.sem.is_any_protect_callee(callee)
            && let has_call = (!protect && is_has_callee(callee))
            && (protect || has_call)
            && let Some(keys) = keys(obj)
        {
            let auth: Vec<&(String, TextRange)> =
                keys.iter().filter(|(k, _)| AUTH_KEYS.contains(&k.as_str())).collect();
            let options: Vec<&(String, TextRange)> =
                keys.iter().filter(|(k, _)| OPTION_KEYS.contains(&k.as_str())).collect();
            if protect && !auth.is_empty() && !options.is_empty() && auth.iter().any(|(k, _)| k != "reverification") {
                let split = (call.args.len() == 1 && auth.len() + options.len() == keys.len()).then(|| {
                    (range_of(obj), auth.iter().map(|(_, r)| *r).collect(), options.iter().map(|(_, r)| *r).collect())
                });
                self.found.push(Mixed { range: range_of(call), protect: true, split });
            } else if has_call {
                let has = |k: &str| keys.iter().any(|(key, _)| key == k);
                let billing = has("feature") || has("plan");
                let role = has("role") || has("permission");
                if (has("reverification") && (billing || role)) || (billing && role) {
                    self.found.push(Mixed { range: range_of(call), protect: false, split: None });
                }
            }
        }
        call.visit_children_with(self);
    }
}

impl Rule for AuthOptionDropsCheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !is_affected_version(ctx.project) || (!ctx.mentions("protect") && !ctx.mentions("has(")) {
            return;
        }
        let version = ctx.project.clerk.as_ref().and_then(|c| c.effective()).map(|v| v.to_string()).unwrap_or_default();
        let mut finder = Finder { sem: ctx.semantics, found: Vec::new() };
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut finder);
            for mixed in finder.found.drain(..) {
                report(ctx, &version, mixed, out);
            }
            true
        });
    }
}

/// The finding for one mixed call.
fn report(ctx: &FileContext<'_>, version: &str, mixed: Mixed, out: &mut Vec<Diagnostic>) {
    if mixed.protect {
        let fix = mixed.split.map(|(obj, auth, options)| {
            let join = |ranges: &[TextRange]| ranges.iter().map(|r| ctx.source(*r)).collect::<Vec<_>>().join(", ");
            Fix::safe(
                "Pass the options as the second argument",
                vec![Edit::replace(obj, format!("{{ {} }}, {{ {} }}", join(&auth), join(&options)))],
            )
        });
        out.push(
            ctx.diagnostic(&AuthOptionDropsCheck::META, mixed.range, format!("On @clerk/nextjs {version}, `auth.protect()` ignores the role/permission when the same object has a redirect URL or token option (GHSA-w24r-5266-9c3c)"))
                .with_help("Pass options separately: `auth.protect({ role }, { unauthorizedUrl })`, or upgrade to 6.39.3 / 7.2.4")
                .with_fix(fix),
        );
    } else {
        out.push(
            ctx.diagnostic(&AuthOptionDropsCheck::META, mixed.range, format!("On @clerk/nextjs {version}, a `has()` combining these checks can pass when one of them fails (GHSA-w24r-5266-9c3c)"))
                .with_help("Check each dimension in its own `has()` call joined with `&&`, or upgrade to 6.39.3 / 7.2.4"),
        );
    }
}

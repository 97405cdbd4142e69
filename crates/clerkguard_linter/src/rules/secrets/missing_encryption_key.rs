use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{CallExpr, Callee, Expr, ObjectLit, Prop, PropOrSpread};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::values::project_env_files;
use crate::analysis::ast_util::{prop_name, range_of};
use crate::analysis::clerk_api::ClerkFn;
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds `clerkMiddleware(..., { secretKey })` (dynamic keys, passed at runtime) in a project
    /// whose env files do not define `CLERK_ENCRYPTION_KEY` and that passes no `encryptionKey`
    /// option. Projects without env files are not reported (their variables live elsewhere).
    ///
    /// ## Why is this bad?
    ///
    /// When the secret key is passed to the middleware, Clerk encrypts it into the request data
    /// it hands to server components, and needs `CLERK_ENCRYPTION_KEY` to do so. Without it the
    /// key travels unencrypted (older versions) or every request fails (a hard error from
    /// `@clerk/nextjs` 7).
    ///
    /// ## Example
    ///
    /// ```ts
    /// export default clerkMiddleware(handler, { secretKey: getTenantSecret() });
    /// ```
    ///
    /// ## Use instead
    ///
    /// Set `CLERK_ENCRYPTION_KEY` (a random 32-byte value) in the environment, or pass
    /// `encryptionKey` next to `secretKey`.
    ///
    /// ## Fix safety
    ///
    /// No fix: the key must be generated and stored as a secret.
    pub MissingEncryptionKey {
        id: "missing-encryption-key",
        category: Secrets,
        severity: Warning,
        fix: None,
        summary: "clerkMiddleware gets a secretKey option but no CLERK_ENCRYPTION_KEY is configured",
    }
}

impl Rule for MissingEncryptionKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Findings are options of `clerkMiddleware` calls: a file that cannot call it has none.
        if !ctx.semantics.may_refer_to(ClerkFn::ClerkMiddleware) || !ctx.mentions("secretKey") {
            return;
        }
        let mut finder = Finder { ctx, found: Vec::new() };
        ctx.module.visit_with(&mut finder);
        if finder.found.is_empty() {
            return;
        }
        let envs = project_env_files(ctx.index, &ctx.project.root);
        if envs.is_empty() || envs.iter().any(|(_, e)| e.defines("CLERK_ENCRYPTION_KEY")) {
            return;
        }
        for range in finder.found {
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    range,
                    "`secretKey` is passed to `clerkMiddleware`, but no env file defines `CLERK_ENCRYPTION_KEY`",
                )
                .with_help("Set `CLERK_ENCRYPTION_KEY` to a random 32-byte value (or pass `encryptionKey`)"),
            );
        }
    }
}

struct Finder<'c, 'a> {
    ctx: &'c FileContext<'a>,
    found: Vec<TextRange>,
}

fn options_objects(expr: &Expr, out: &mut Vec<ObjectLit>) {
    match expr {
        Expr::Object(o) => out.push(o.clone()),
        Expr::Paren(p) => options_objects(&p.expr, out),
        Expr::Arrow(a) => {
            if let clerkguard_syntax::ast::ArrowFunctionBody::Expr(e) = &*a.body {
                options_objects(e, out);
            }
        }
        _ => {}
    }
}

impl Visit for Finder<'_, '_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Callee::Expr(callee) = &call.callee
            && self.ctx.semantics.clerk_fn_of_expr(callee) == Some(ClerkFn::ClerkMiddleware)
        {
            let mut objects = Vec::new();
            call.args.iter().for_each(|a| options_objects(&a.expr, &mut objects));
            for obj in objects {
                let key_of = |p: &PropOrSpread| match p {
                    PropOrSpread::Prop(p) => match &**p {
                        Prop::KeyValue(kv) => prop_name(&kv.key).map(|k| (k.into_owned(), range_of(&kv.key))),
                        Prop::Shorthand(id) => Some((id.sym.as_str().to_owned(), range_of(id))),
                        _ => None,
                    },
                    PropOrSpread::Spread(_) => None,
                };
                let keys: Vec<(String, TextRange)> = obj.props.iter().filter_map(key_of).collect();
                let spreads = obj.props.iter().any(|p| matches!(p, PropOrSpread::Spread(_)));
                if let Some((_, range)) = keys.iter().find(|(k, _)| k == "secretKey")
                    && !keys.iter().any(|(k, _)| k == "encryptionKey")
                    && !spreads
                {
                    self.found.push(*range);
                }
            }
        }
        call.visit_children_with(self);
    }
}

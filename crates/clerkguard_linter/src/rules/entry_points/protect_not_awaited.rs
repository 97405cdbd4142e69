use clerkguard_syntax::ast::{
    ArrowExpr, BinaryOp, CallExpr, Callee, CatchClause, Expr, ExprStmt, Function, Pat, Stmt, TryStmt, UnaryOp,
};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::ast_util::{chain_names, peel, range_of};
use crate::fixer::{ensure_import, indent_at};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

use super::async_scope::AsyncScope;

declare_rule! {
    /// ## What it does
    ///
    /// On `@clerk/nextjs` 6 and later, finds `auth.protect()` calls whose Promise is neither
    /// awaited nor returned — including `void auth.protect()` and `cond && auth.protect()` — and
    /// `try { await auth.protect() } catch {}` blocks that swallow the redirect/404 that
    /// `protect()` throws, without `unstable_rethrow`.
    ///
    /// ## Why is this bad?
    ///
    /// `auth.protect()` is async since v6. Without `await`, the signed-out rejection becomes an
    /// unhandled promise rejection and the request goes on: in `clerkMiddleware` the route is
    /// served to everyone (verified on 6.39 and 7.9: status 200 instead of a redirect). A `catch`
    /// that does not rethrow has the same effect.
    ///
    /// ## Example
    ///
    /// ```ts
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (isProtectedRoute(req)) auth.protect();
    /// });
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (isProtectedRoute(req)) await auth.protect();
    /// });
    /// ```
    ///
    /// Returning the promise (`(auth) => auth.protect()`) is also fine: Clerk awaits it.
    ///
    /// ## Fix safety
    ///
    /// The fix inserts `await` (replacing `void`) and makes the enclosing function `async`, or
    /// inserts `unstable_rethrow(error)` at the top of the `catch` block with its import from
    /// `next/navigation`. Both are safe.
    pub ProtectNotAwaited {
        id: "protect-not-awaited",
        category: EntryPoints,
        severity: Error,
        fix: Safe,
        summary: "auth.protect() is not awaited, or its error is swallowed, so nothing is protected",
    }
}

impl Rule for ProtectNotAwaited {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Every finding is an `auth.protect` call.
        if ctx.project.clerk_major() < 6 || !ctx.semantics.may_refer_to(crate::analysis::clerk_api::ClerkFn::Auth) {
            return;
        }
        let mut visitor = Finder { ctx, scope: AsyncScope::default(), found: Vec::new() };
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut visitor);
            out.append(&mut visitor.found);
            true
        });
    }
}

struct Finder<'c, 'a> {
    ctx: &'c FileContext<'a>,
    scope: AsyncScope,
    found: Vec<Diagnostic>,
}

impl Finder<'_, '_> {
    fn is_protect_call<'e>(&self, expr: &'e Expr) -> Option<&'e CallExpr> {
        let Expr::Call(call) = peel(expr) else { return None };
        let Callee::Expr(callee) = &call.callee else { return None };
        self.ctx.semantics.is_auth_protect_callee(callee).then_some(call)
    }

    /// Protect calls whose value is discarded by the statement.
    fn discarded_protect_calls<'e>(
        &self,
        expr: &'e Expr,
        void_range: Option<clerkguard_syntax::TextRange>,
        out: &mut Vec<(&'e Expr, Option<clerkguard_syntax::TextRange>)>,
    ) {
        match peel(expr) {
            Expr::Unary(u) if u.op == UnaryOp::Void => {
                let void_only = clerkguard_syntax::TextRange::new(range_of(u).start, range_of(&*u.arg).start);
                self.discarded_protect_calls(&u.arg, Some(void_only), out);
            }
            Expr::Bin(b)
                if matches!(b.op, BinaryOp::LogicalAnd | BinaryOp::LogicalOr | BinaryOp::NullishCoalescing) =>
            {
                self.discarded_protect_calls(&b.right, None, out);
            }
            Expr::Cond(c) => {
                self.discarded_protect_calls(&c.cons, None, out);
                self.discarded_protect_calls(&c.alt, None, out);
            }
            Expr::Seq(s) => s.exprs.iter().for_each(|e| self.discarded_protect_calls(e, None, out)),
            e if self.is_protect_call(e).is_some() => out.push((e, void_range)),
            _ => {}
        }
    }
}

impl Visit for Finder<'_, '_> {
    super::async_scope::track_async_scope!();

    fn visit_expr_stmt(&mut self, stmt: &ExprStmt) {
        let mut calls = Vec::new();
        self.discarded_protect_calls(&stmt.expr, None, &mut calls);
        for (call, void_range) in calls {
            let range = range_of(call);
            let mut edits = match void_range {
                Some(void_range) => vec![Edit::replace(void_range, "await ")],
                None => vec![Edit::insert(range.start, "await ")],
            };
            edits.extend(self.scope.make_async_edit());
            self.found.push(
                self.ctx
                    .diagnostic(
                        &ProtectNotAwaited::META,
                        range,
                        "`auth.protect()` is not awaited: signed-out requests continue as if it passed",
                    )
                    .with_help("`auth.protect()` is async since @clerk/nextjs v6: `await` it (or return its promise)")
                    .with_fix(Some(Fix::safe("Add `await`", edits))),
            );
        }
        stmt.visit_children_with(self);
    }

    fn visit_try_stmt(&mut self, t: &TryStmt) {
        if let Some(handler) = &t.handler {
            let mut probe = ProtectProbe { ctx: self.ctx, found: false };
            t.block.visit_with(&mut probe);
            if probe.found && !rethrows(handler) {
                self.found.push(self.swallow_diagnostic(handler));
            }
        }
        t.visit_children_with(self);
    }
}

impl Finder<'_, '_> {
    fn swallow_diagnostic(&self, handler: &CatchClause) -> Diagnostic {
        let style = self.ctx.style();
        let mut edits = Vec::new();
        let (rethrow, import) = ensure_import(
            self.ctx.module,
            self.ctx.semantics,
            self.ctx.text,
            &style,
            "unstable_rethrow",
            "next/navigation",
            &[],
        );
        edits.extend(import);
        let param = match &handler.param {
            Some(Pat::Ident(b)) => Some(b.id.sym.as_str().to_owned()),
            Some(_) => None,
            None => {
                // `catch {` → `catch (error) {`
                let clause = range_of(handler);
                let text = self.ctx.source(clause);
                text.starts_with("catch").then(|| {
                    edits.push(Edit::insert(clause.start + "catch".len() as u32, " (error)"));
                    "error".to_string()
                })
            }
        };
        let body = range_of(&handler.body);
        let fix = param.map(|param| {
            let inner_indent = handler
                .body
                .stmts
                .first()
                .map(|s| indent_at(self.ctx.text, range_of(s).start))
                .unwrap_or_else(|| format!("{}{}", indent_at(self.ctx.text, body.start), style.indent_unit));
            let closing = if handler.body.stmts.is_empty() {
                format!("\n{}", indent_at(self.ctx.text, body.start))
            } else {
                String::new()
            };
            edits.push(Edit::insert(
                body.start + 1,
                format!("\n{inner_indent}{rethrow}({param}){}{closing}", style.semi()),
            ));
            Fix::safe("Rethrow Next.js control-flow errors with `unstable_rethrow`", edits)
        });
        self.ctx
            .diagnostic(
                &ProtectNotAwaited::META,
                range_of(handler),
                "This `catch` swallows the redirect/404 thrown by `auth.protect()`, so signed-out requests pass",
            )
            .with_help("Call `unstable_rethrow(error)` first in the `catch` block (from `next/navigation`)")
            .with_fix(fix)
    }
}

/// Whether a catch clause rethrows (`throw`, or `unstable_rethrow(e)`).
fn rethrows(handler: &CatchClause) -> bool {
    struct Probe(bool);
    impl Visit for Probe {
        fn visit_throw_stmt(&mut self, _: &clerkguard_syntax::ast::ThrowStmt) {
            self.0 = true;
        }
        fn visit_call_expr(&mut self, c: &CallExpr) {
            if let Callee::Expr(callee) = &c.callee
                && chain_names(callee).last().is_some_and(|n| n == "unstable_rethrow")
            {
                self.0 = true;
            }
            c.visit_children_with(self);
        }
        fn visit_function(&mut self, _: &Function) {}
        fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    }
    let mut probe = Probe(false);
    handler.body.visit_with(&mut probe);
    probe.0
}

struct ProtectProbe<'c, 'a> {
    ctx: &'c FileContext<'a>,
    found: bool,
}

impl Visit for ProtectProbe<'_, '_> {
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(callee) = &c.callee
            && self.ctx.semantics.is_auth_protect_callee(callee)
        {
            self.found = true;
        }
        c.visit_children_with(self);
    }
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_stmt(&mut self, s: &Stmt) {
        s.visit_children_with(self);
    }
}

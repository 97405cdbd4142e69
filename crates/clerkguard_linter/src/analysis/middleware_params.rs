//! The `auth` parameter of `clerkMiddleware` handlers behaves like Clerk's `auth` helper.

use clerkguard_syntax::ast::{CallExpr, Expr, Module, Pat};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::FileSemantics;
use super::ast_util::peel;
use super::clerk_api::ClerkFn;

pub fn collect(module: &Module, sem: &FileSemantics) -> Vec<String> {
    // Only a call of an imported `clerkMiddleware` counts: a file without one is not walked.
    if !sem.may_refer_to(ClerkFn::ClerkMiddleware) {
        return Vec::new();
    }
    let mut finder = Finder { sem, names: Vec::new() };
    module.visit_with(&mut finder);
    finder.names.sort();
    finder.names.dedup();
    finder.names
}

struct Finder<'a> {
    sem: &'a FileSemantics,
    names: Vec<String>,
}

impl Visit for Finder<'_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if self.sem.clerk_call(&call.callee) == Some(ClerkFn::ClerkMiddleware)
            && let Some(first) = call.args.first()
        {
            let first_param = match peel(&first.expr) {
                Expr::Arrow(arrow) => arrow.params.first().cloned(),
                Expr::Fn(f) => f.function.params.first().map(|p| p.pat.clone()),
                _ => None,
            };
            if let Some(Pat::Ident(id)) = first_param {
                self.names.push(id.id.sym.as_str().to_owned());
            }
        }
        call.visit_children_with(self);
    }
}

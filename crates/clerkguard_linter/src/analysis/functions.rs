//! A uniform view of the function-like nodes the analysis walks.

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{ArrowExpr, ArrowFunctionBody, Expr, Function, Pat, Stmt};
use clerkguard_syntax::function_directives;

use super::ast_util::range_of;

#[derive(Clone, Copy)]
pub enum FnRef<'a> {
    Function(&'a Function),
    Arrow(&'a ArrowExpr),
}

pub enum FnBody<'a> {
    Block(&'a [Stmt]),
    Expr(&'a Expr),
}

impl<'a> FnRef<'a> {
    pub fn from_expr(expr: &'a Expr) -> Option<Self> {
        match super::ast_util::peel(expr) {
            Expr::Arrow(a) => Some(Self::Arrow(a)),
            Expr::Fn(f) => Some(Self::Function(&f.function)),
            _ => None,
        }
    }

    pub fn body(self) -> Option<FnBody<'a>> {
        match self {
            Self::Function(f) => f.body.as_ref().map(|b| FnBody::Block(&b.stmts)),
            Self::Arrow(a) => Some(match &*a.body {
                ArrowFunctionBody::FunctionBody(b) => FnBody::Block(&b.stmts),
                ArrowFunctionBody::Expr(e) => FnBody::Expr(e),
            }),
        }
    }

    pub fn params(self) -> Vec<&'a Pat> {
        match self {
            Self::Function(f) => f.params.iter().map(|p| &p.pat).collect(),
            Self::Arrow(a) => a.params.iter().collect(),
        }
    }

    pub fn is_async(self) -> bool {
        match self {
            Self::Function(f) => f.is_async,
            Self::Arrow(a) => a.is_async,
        }
    }

    pub fn range(self) -> TextRange {
        match self {
            Self::Function(f) => range_of(f),
            Self::Arrow(a) => range_of(a),
        }
    }

    /// Whether the body starts with a `"use server"` directive (an inline Server Function).
    pub fn has_use_server(self) -> bool {
        match self.body() {
            Some(FnBody::Block(b)) => function_directives(b).contains(&clerkguard_syntax::Directive::UseServer),
            _ => false,
        }
    }
}

/// Visitor methods that do not descend into nested inline Server Functions (bodies starting with
/// `"use server"`): those are entry points of their own, analysed separately.
macro_rules! skip_inline_server_functions {
    () => {
        fn visit_function(&mut self, f: &clerkguard_syntax::ast::Function) {
            if !$crate::analysis::functions::FnRef::Function(f).has_use_server() {
                clerkguard_syntax::visit::VisitWith::visit_children_with(f, self);
            }
        }

        fn visit_arrow_expr(&mut self, a: &clerkguard_syntax::ast::ArrowExpr) {
            if !$crate::analysis::functions::FnRef::Arrow(a).has_use_server() {
                clerkguard_syntax::visit::VisitWith::visit_children_with(a, self);
            }
        }
    };
}

pub(crate) use skip_inline_server_functions;

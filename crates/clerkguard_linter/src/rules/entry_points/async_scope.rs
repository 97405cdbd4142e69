//! Tracks the enclosing function while visiting, so an `await` fix can also make it `async`,
//! and which call expressions sit where a promise is already handled (awaited, returned, an
//! arrow's body, an argument).

use rustc_hash::FxHashSet;

use clerkguard_syntax::ast::{ArrowExpr, ArrowFunctionBody, Expr, Function, ReturnStmt};

use crate::Edit;
use crate::analysis::ast_util::{peel, range_of};
use crate::analysis::functions::FnRef;
use crate::fixer::{async_edit, async_insert_at};

#[derive(Default)]
pub struct AsyncScope {
    /// For each enclosing function: where `async ` makes it async (None when it already is).
    /// The edit itself is built only for a finding.
    stack: Vec<Option<u32>>,
    /// Start offsets of expressions whose promise is handled by their context.
    handled: FxHashSet<u32>,
}

impl AsyncScope {
    pub fn enter_function(&mut self, f: &Function, text: &str) {
        self.stack.push(async_insert_at(FnRef::Function(f), text));
    }

    pub fn enter_arrow(&mut self, a: &ArrowExpr, text: &str) {
        self.stack.push(async_insert_at(FnRef::Arrow(a), text));
        if let ArrowFunctionBody::Expr(body) = &*a.body {
            self.mark_handled(body);
        }
    }

    pub fn exit(&mut self) {
        self.stack.pop();
    }

    /// The edit making the innermost function async; `None` if it is already async or at top level.
    pub fn make_async_edit(&self) -> Option<Edit> {
        self.stack.last().copied().flatten().map(async_edit)
    }

    pub fn mark_handled(&mut self, expr: &Expr) {
        self.handled.insert(range_of(peel(expr)).start);
    }

    pub fn mark_return(&mut self, ret: &ReturnStmt) {
        if let Some(arg) = &ret.arg {
            self.mark_handled(arg);
        }
    }

    pub fn is_handled(&self, expr: &Expr) -> bool {
        self.handled.contains(&range_of(peel(expr)).start)
    }
}

/// Visitor methods that keep `self.scope` (an [`AsyncScope`]) on the enclosing function.
macro_rules! track_async_scope {
    () => {
        fn visit_function(&mut self, f: &clerkguard_syntax::ast::Function) {
            self.scope.enter_function(f, self.ctx.text);
            clerkguard_syntax::visit::VisitWith::visit_children_with(f, self);
            self.scope.exit();
        }

        fn visit_arrow_expr(&mut self, a: &clerkguard_syntax::ast::ArrowExpr) {
            self.scope.enter_arrow(a, self.ctx.text);
            clerkguard_syntax::visit::VisitWith::visit_children_with(a, self);
            self.scope.exit();
        }
    };
}

pub(crate) use track_async_scope;

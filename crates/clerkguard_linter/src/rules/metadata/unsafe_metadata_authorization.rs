use std::collections::HashSet;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{BinExpr, BinaryOp, CondExpr, Expr, IfStmt, UnaryExpr, UnaryOp};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::shapes::is_privilege_key;
use crate::analysis::ast_util::{chain_names, peel, range_of};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds decisions on `unsafeMetadata` — `user.unsafeMetadata.role === "admin"`,
    /// `if (sessionClaims?.unsafe_metadata?.plan)` — for keys that decide what a user may do
    /// (`role`, `plan`, `isAdmin`, `permissions`, ...).
    ///
    /// ## Why is this bad?
    ///
    /// `unsafeMetadata` is writable from the browser: any user can call
    /// `user.update({ unsafeMetadata: { role: "admin" } })` and pass the check. Session claims
    /// built from `user.unsafe_metadata` carry the same user-controlled values.
    ///
    /// ## Example
    ///
    /// ```ts
    /// if (user.unsafeMetadata.role !== "admin") redirect("/");
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// if (user.publicMetadata.role !== "admin") redirect("/");
    /// // or, with Organizations: if (!has({ role: "org:admin" })) redirect("/");
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix reads `publicMetadata` instead. It is unsafe: the value must be written to
    /// public metadata (from the server) for the check to pass.
    pub UnsafeMetadataAuthorization {
        id: "unsafe-metadata-authorization",
        category: Metadata,
        severity: Error,
        fix: Unsafe,
        summary: "An authorization decision reads unsafeMetadata, which users can write themselves",
    }
}

impl Rule for UnsafeMetadataAuthorization {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // (`unsafe` first: both spellings contain it.)
        if !ctx.mentions("unsafe") || (!ctx.mentions("unsafeMetadata") && !ctx.mentions("unsafe_metadata")) {
            return;
        }
        let mut finder = Finder { found: Vec::new(), seen: HashSet::new() };
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut finder);
            for (range, key) in finder.found.drain(..) {
                report(ctx, range, key, out);
            }
            // `seen` holds offsets of this item only.
            true
        });
    }
}

/// The finding for a privilege key read from unsafe metadata at `range`.
fn report(ctx: &FileContext<'_>, range: TextRange, key: String, out: &mut Vec<Diagnostic>) {
    let text = ctx.source(range);
    let fix = text.find("unsafeMetadata").map(|i| {
        let at = range.start + i as u32;
        Fix::unsafe_(
            "Read `publicMetadata` (writable only by the backend)",
            vec![Edit::replace(TextRange::new(at, at + "unsafeMetadata".len() as u32), "publicMetadata")],
        )
    });
    out.push(
        ctx.diagnostic(
            &UnsafeMetadataAuthorization::META,
            range,
            format!("`{key}` in `unsafeMetadata` is writable by the user; it cannot decide what they may do"),
        )
        .with_help("Store it in `publicMetadata` (set from the server) or use `has({ role })` / `has({ permission })`")
        .with_fix(fix),
    );
}

struct Finder {
    found: Vec<(TextRange, String)>,
    seen: HashSet<u32>,
}

impl Finder {
    /// Reports `expr` when it reads a privilege key of unsafe metadata.
    fn check(&mut self, expr: &Expr) {
        let expr = peel(expr);
        let names = chain_names(expr);
        let Some(pos) = names.iter().position(|n| n == "unsafeMetadata" || n == "unsafe_metadata") else {
            // `a.unsafeMetadata.role === x && ...`: look into logical operands.
            if let Expr::Bin(b) = expr
                && matches!(b.op, BinaryOp::LogicalAnd | BinaryOp::LogicalOr)
            {
                self.check(&b.left);
                self.check(&b.right);
            }
            return;
        };
        let Some(key) = names.get(pos + 1) else { return };
        if is_privilege_key(key) && self.seen.insert(range_of(expr).start) {
            self.found.push((range_of(expr), key.clone()));
        }
    }
}

impl Visit for Finder {
    fn visit_bin_expr(&mut self, b: &BinExpr) {
        if matches!(
            b.op,
            BinaryOp::EqEq
                | BinaryOp::EqEqEq
                | BinaryOp::NotEq
                | BinaryOp::NotEqEq
                | BinaryOp::LogicalAnd
                | BinaryOp::LogicalOr
        ) {
            self.check(&b.left);
            self.check(&b.right);
        }
        b.visit_children_with(self);
    }

    fn visit_if_stmt(&mut self, i: &IfStmt) {
        self.check(&i.test);
        i.visit_children_with(self);
    }

    fn visit_cond_expr(&mut self, c: &CondExpr) {
        self.check(&c.test);
        c.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, u: &UnaryExpr) {
        if u.op == UnaryOp::Bang {
            self.check(&u.arg);
        }
        u.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &clerkguard_syntax::ast::CallExpr) {
        // `roles.includes(user.unsafeMetadata.role)`
        if let clerkguard_syntax::ast::Callee::Expr(callee) = &c.callee
            && chain_names(callee).last().is_some_and(|n| n == "includes")
        {
            c.args.iter().for_each(|a| self.check(&a.expr));
        }
        c.visit_children_with(self);
    }
}

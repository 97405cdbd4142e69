use rustc_hash::FxHashMap;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{AwaitExpr, CallExpr, Callee, Expr, MemberExpr, Pat, ReturnStmt, VarDeclarator};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::ast_util::{member_prop_name, peel, range_of};
use crate::analysis::clerk_api::ClerkFn;
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

use super::async_scope::AsyncScope;

declare_rule! {
    /// ## What it does
    ///
    /// On `@clerk/nextjs` 6 and later, finds `auth()` and `clerkClient()` results used without
    /// `await`: destructured (`const { userId } = auth()`), read (`auth().userId`), or called
    /// through (`auth().protect()`), and the `clerkClient.users` singleton form.
    ///
    /// ## Why is this bad?
    ///
    /// Since v6 `auth()` and `clerkClient()` return Promises. Destructuring a Promise gives
    /// `undefined`, so `if (!userId)` treats every caller as signed out — or, worse, code that
    /// does not check silently runs with `undefined`. `auth().protect()` throws
    /// `TypeError: auth(...).protect is not a function`, and `clerkClient.users` is `undefined`.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const { userId } = auth();
    /// const user = await clerkClient.users.getUser(userId);
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const { userId } = await auth();
    /// const user = await (await clerkClient()).users.getUser(userId);
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix inserts `await` (and makes the enclosing function `async` when it is not);
    /// `auth().protect()` becomes `await auth.protect()`. It is safe.
    pub AuthNotAwaited {
        id: "auth-not-awaited",
        category: EntryPoints,
        severity: Error,
        fix: Safe,
        summary: "auth() or clerkClient() used without await on Clerk v6+",
    }
}

impl Rule for AuthNotAwaited {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Every finding starts at an `auth` or `clerkClient` reference.
        let sem = ctx.semantics;
        if ctx.project.clerk_major() < 6 || !(sem.may_refer_to(ClerkFn::Auth) || sem.may_refer_to(ClerkFn::ClerkClient))
        {
            return;
        }
        let mut visitor =
            Finder { ctx, scope: AsyncScope::default(), pending: FxHashMap::default(), found: Vec::new() };
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut visitor);
            out.append(&mut visitor.found);
            // A binding of `auth()` not yet read from may be read in a later item.
            visitor.pending.is_empty()
        });
    }
}

struct Finder<'c, 'a> {
    ctx: &'c FileContext<'a>,
    scope: AsyncScope,
    /// `const session = auth()` bindings, flagged when a member of them is read.
    pending: FxHashMap<String, (TextRange, Option<Edit>)>,
    found: Vec<Diagnostic>,
}

impl Finder<'_, '_> {
    fn clerk_fn(&self, expr: &Expr) -> Option<(ClerkFn, TextRange)> {
        let Expr::Call(call) = peel(expr) else { return None };
        match self.ctx.semantics.clerk_call(&call.callee)? {
            f @ (ClerkFn::Auth | ClerkFn::ClerkClient) => Some((f, range_of(call))),
            _ => None,
        }
    }

    fn report(&mut self, range: TextRange, message: String, edits: Vec<Edit>, title: &str) {
        let mut edits = edits;
        if let Some(async_edit) = self.scope.make_async_edit() {
            edits.push(async_edit);
        }
        let fix = Fix::safe(title, edits);
        self.found.push(
            self.ctx
                .diagnostic(&AuthNotAwaited::META, range, message)
                .with_help("Since @clerk/nextjs v6, `auth()` and `clerkClient()` return Promises: add `await`")
                .with_fix(Some(fix)),
        );
    }

    fn name_of(f: ClerkFn) -> &'static str {
        if f == ClerkFn::Auth { "auth()" } else { "clerkClient()" }
    }
}

impl Visit for Finder<'_, '_> {
    super::async_scope::track_async_scope!();

    fn visit_return_stmt(&mut self, r: &ReturnStmt) {
        self.scope.mark_return(r);
        r.visit_children_with(self);
    }

    fn visit_await_expr(&mut self, a: &AwaitExpr) {
        self.scope.mark_handled(&a.arg);
        a.visit_children_with(self);
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if let Some(init) = &d.init
            && let Some((f, range)) = self.clerk_fn(init)
        {
            match &d.name {
                Pat::Object(_) | Pat::Array(_) => {
                    let message = format!(
                        "`{}` returns a Promise on Clerk v6+; destructuring it gives `undefined`",
                        Self::name_of(f)
                    );
                    self.report(range, message, vec![Edit::insert(range.start, "await ")], "Add `await`");
                }
                Pat::Ident(b) => {
                    let async_edit = self.scope.make_async_edit();
                    self.pending.insert(b.id.sym.as_str().to_owned(), (range, async_edit));
                }
                _ => {}
            }
        }
        d.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, m: &MemberExpr) {
        let prop = member_prop_name(&m.prop).unwrap_or_default();
        let promise_method = matches!(&*prop, "then" | "catch" | "finally");
        if let Some((f, call_range)) = self.clerk_fn(&m.obj).filter(|_| !promise_method) {
            if f == ClerkFn::Auth && prop == "protect" {
                // `auth().protect(...)` → `await auth.protect(...)`
                let member_range = range_of(m);
                let auth_callee = match peel(&m.obj) {
                    Expr::Call(CallExpr { callee: Callee::Expr(c), .. }) => self.ctx.source(range_of(&**c)).to_string(),
                    _ => "auth".into(),
                };
                let mut edits = vec![Edit::replace(member_range, format!("{auth_callee}.protect"))];
                if !self.scope.is_handled(&Expr::Member(m.clone())) {
                    edits.push(Edit::insert(member_range.start, "await "));
                }
                self.report(
                    call_range,
                    "`auth().protect()` throws a TypeError on Clerk v6+: `protect` moved to `auth.protect()`".into(),
                    edits,
                    "Use `await auth.protect()`",
                );
            } else {
                let message =
                    format!("`{}` returns a Promise on Clerk v6+; `.{prop}` on it is `undefined`", Self::name_of(f));
                self.report(
                    call_range,
                    message,
                    vec![Edit::insert(call_range.start, "(await "), Edit::insert(call_range.end, ")")],
                    "Add `await`",
                );
            }
        } else if let Expr::Ident(id) = peel(&m.obj)
            && !promise_method
        {
            if let Some((range, async_edit)) =
                (!self.pending.is_empty()).then(|| self.pending.remove(&*id.sym)).flatten()
            {
                let message = format!(
                    "`{}` returns a Promise on Clerk v6+; `{}.{prop}` is `undefined`",
                    self.ctx.source(range),
                    id.sym
                );
                let mut edits = vec![Edit::insert(range.start, "await ")];
                edits.extend(async_edit);
                let fix = Fix::safe("Add `await`", edits);
                self.found.push(
                    self.ctx
                        .diagnostic(&AuthNotAwaited::META, range, message)
                        .with_help("Since @clerk/nextjs v6, `auth()` and `clerkClient()` return Promises: add `await`")
                        .with_fix(Some(fix)),
                );
            }
            // clerkClient.users.x — the v5 singleton, gone in v6.
            if self.ctx.semantics.clerk_fn_of_ident(&id.sym) == Some(ClerkFn::ClerkClient)
                && self.ctx.semantics.imports.get(&*id.sym).is_some_and(|b| b.source.starts_with("@clerk/nextjs"))
                && matches!(&*prop, "users" | "organizations" | "sessions" | "invitations" | "allowlistIdentifiers")
            {
                let range = range_of(&*m.obj);
                let name = id.sym.as_str().to_owned();
                self.report(
                    range,
                    format!("`{name}` is an async function on Clerk v6+; `{name}.{prop}` is `undefined`"),
                    vec![Edit::replace(range, format!("(await {name}())"))],
                    "Call and await `clerkClient()`",
                );
            }
        }
        m.visit_children_with(self);
    }
}

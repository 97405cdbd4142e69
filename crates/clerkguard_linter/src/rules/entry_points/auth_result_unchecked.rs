use crate::analysis::effects::EffectKind;
use crate::analysis::entry_points::EntryPointKind;
use crate::analysis::flow::{AuthDecl, AuthSource};
use crate::fixer::{ensure_import, indent_at, line_end_after};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

use super::AnalyzedEntry;
use super::guard_fix::Rejection;

declare_rule! {
    /// ## What it does
    ///
    /// Finds `auth()`, `getAuth(req)` and `currentUser()` results (and those of helpers that
    /// return the session or `null`) that are used for data access before anything checks that a
    /// user is signed in — or, in a Server Function or route handler, calls whose result is never
    /// checked before the function touches data.
    ///
    /// ## Why is this bad?
    ///
    /// `auth()` does not throw for signed-out callers: it returns `{ userId: null }`, and
    /// `currentUser()` returns `null`. TypeScript's `string | null` does not force a check, so
    /// `db.post.findMany({ where: { userId } })` runs with `userId: null` — on many ORMs that
    /// matches every row without an owner, or drops the filter.
    ///
    /// ## Example
    ///
    /// ```ts
    /// export async function createOrder(input: FormData) {
    ///   "use server";
    ///   const { userId } = await auth();
    ///   await db.order.create({ data: { userId, item: String(input.get("item")) } });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export async function createOrder(input: FormData) {
    ///   "use server";
    ///   const { userId } = await auth();
    ///   if (!userId) throw new Error("Unauthenticated");
    ///   await db.order.create({ data: { userId, item: String(input.get("item")) } });
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix inserts the check right after the declaration: a thrown error in Server Functions,
    /// a 401 response in route handlers, `redirectToSignIn()` (or `notFound()`) in pages. It is
    /// safe: the code already meant to act for a signed-in user.
    pub AuthResultUnchecked {
        id: "auth-result-unchecked",
        category: EntryPoints,
        severity: Error,
        fix: Safe,
        summary: "An auth() / currentUser() result is used before checking that a user is signed in",
    }
}

impl Rule for AuthResultUnchecked {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in ctx.entries() {
            if entry.wrapper_guards {
                continue;
            }
            let acts = !matches!(entry.kind, EntryPointKind::Page);
            for (index, decl) in entry.facts.auth_decls.iter().enumerate() {
                // Reads that never use the session may be public reads; writes never are.
                let unguarded_effect = entry
                    .facts
                    .effects
                    .iter()
                    .find(|e| !e.guarded && e.unchecked_auth == Some(index) && e.effect.kind == EffectKind::Mutation)
                    .filter(|_| acts);
                let message = if let Some(use_range) = decl.unchecked_use {
                    let used = ctx.source(use_range);
                    format!("`{used}` is used for data access before checking that a user is signed in")
                } else if let Some(effect) = unguarded_effect {
                    if decl.checked {
                        continue; // checked on another path; the unguarded path is reported by the use
                    }
                    format!(
                        "The result of `{}` is never checked before `{}` runs",
                        ctx.source(decl.call_range),
                        effect.effect.what
                    )
                } else {
                    continue;
                };
                out.push(
                    ctx.diagnostic(&Self::META, decl.call_range, message)
                        .with_help(match decl.source {
                            AuthSource::CurrentUser | AuthSource::Helper => {
                                "Stop when the user is null before using it"
                            }
                            _ => "Stop when `userId` is null before using the session",
                        })
                        .with_fix(check_fix(ctx, entry, decl)),
                );
            }
        }
    }
}

fn check_fix(ctx: &FileContext<'_>, entry: &AnalyzedEntry, decl: &AuthDecl) -> Option<Fix> {
    let style = ctx.style();
    let semi = style.semi();
    let indent = indent_at(ctx.text, decl.stmt_range.start);
    let at = line_end_after(ctx.text, decl.stmt_range.end);
    let mut edits = Vec::new();
    let subject = match &decl.user_check_expr {
        Some(expr) => expr.clone(),
        None => {
            // `const { orgId } = await auth()`: bring `userId` into the pattern.
            let pattern = decl.pattern_range?;
            if entry.declared(ctx).contains("userId") {
                return None;
            }
            edits.push(add_to_pattern(ctx, pattern, "userId")?);
            "userId".to_string()
        }
    };
    let reject = match entry.kind {
        EntryPointKind::Page => {
            let redirect_ok = decl.source == AuthSource::Auth && decl.pattern_range.is_some();
            if redirect_ok && !entry.declared(ctx).contains("redirectToSignIn") {
                edits.push(add_to_pattern(ctx, decl.pattern_range?, "redirectToSignIn")?);
                format!("return redirectToSignIn(){semi}")
            } else if redirect_ok {
                format!("return redirectToSignIn(){semi}")
            } else {
                let (not_found, import) =
                    ensure_import(ctx.module, ctx.semantics, ctx.text, &style, "notFound", "next/navigation", &[]);
                edits.extend(import);
                format!("{not_found}(){semi}")
            }
        }
        _ => Rejection::for_entry(&entry.kind).statement(ctx, entry)?,
    };
    edits.push(Edit::insert(at, format!("{indent}if (!{subject}) {reject}\n")));
    Some(Fix::safe(format!("Stop when `{subject}` is null"), edits))
}

/// Adds `name` to an object pattern `{ a, b }` → `{ a, b, name }`.
fn add_to_pattern(ctx: &FileContext<'_>, pattern: clerkguard_syntax::TextRange, name: &str) -> Option<Edit> {
    let text = ctx.source(pattern);
    let close = text.rfind('}')?;
    let before = text[..close].trim_end();
    let at = pattern.start + before.len() as u32;
    let insert = if before.ends_with('{') || before.ends_with(',') { format!(" {name}") } else { format!(", {name}") };
    Some(Edit::insert(at, insert))
}

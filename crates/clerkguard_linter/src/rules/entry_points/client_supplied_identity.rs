use std::collections::HashSet;

use crate::analysis::entry_points::EntryPointKind;
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds entry points (Server Functions, route handlers, Pages API handlers) that take the
    /// acting user's identity from their caller — a parameter, or a JSON body, form data, search
    /// param or route param field named like `userId`, `clerkId`, `authorId`, `ownerId`,
    /// `buyerId`, `createdBy` — and use it for data access instead of the session's `userId`.
    ///
    /// Comparing the caller's value with the session's (`if (input.userId !== userId) throw`)
    /// is an ownership check and silences the rule.
    ///
    /// ## Why is this bad?
    ///
    /// Anything the client sends can be forged. An action `updateProfile(userId, data)` lets any
    /// signed-in user edit any other user's profile by sending a different id.
    ///
    /// ## Example
    ///
    /// ```ts
    /// "use server";
    /// export async function createPost(authorId: string, title: string) {
    ///   await auth.protect();
    ///   await db.post.create({ data: { authorId, title } });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// "use server";
    /// export async function createPost(title: string) {
    ///   const { userId } = await auth.protect();
    ///   await db.post.create({ data: { authorId: userId, title } });
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// When the function already holds the session's user id, the fix replaces the caller's
    /// value with it. It is **unsafe**: admin tools that act on other users on purpose need an
    /// explicit role check instead.
    pub ClientSuppliedIdentity {
        id: "client-supplied-identity",
        category: EntryPoints,
        severity: Error,
        fix: Unsafe,
        summary: "An entry point uses a user id sent by the caller for data access",
    }
}

impl Rule for ClientSuppliedIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in ctx.entries() {
            if entry.kind == EntryPointKind::Page {
                continue;
            }
            let session_user = entry
                .facts
                .auth_decls
                .iter()
                .find(|d| d.checked || entry.facts.guard_seen)
                .and_then(|d| d.user_check_expr.clone())
                .filter(|expr| !expr.contains('.') || expr.ends_with(".userId"));
            let mut reported = HashSet::new();
            for usage in &entry.facts.identity_uses {
                if !reported.insert(usage.name.clone()) {
                    continue;
                }
                let used = ctx.source(usage.use_range).to_string();
                let fix = session_user.as_ref().filter(|s| **s != used).map(|s| {
                    // `{ userId }` shorthand must become `{ userId: <session> }`.
                    let shorthand = is_shorthand_property(ctx.text, usage.use_range.start, usage.use_range.end);
                    let text = if shorthand { format!("{used}: {s}") } else { s.clone() };
                    Fix::unsafe_(format!("Use the session's `{s}`"), vec![Edit::replace(usage.use_range, text)])
                });
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        usage.use_range,
                        format!("`{used}` comes from the caller and decides whose data `{}` touches", usage.effect),
                    )
                    .with_help("Use the session's `userId` from `auth()`, or check that the two are equal first")
                    .with_fix(fix),
                );
            }
        }
    }
}

/// Whether the identifier at `[start, end)` is a shorthand property `{ userId }`.
fn is_shorthand_property(text: &str, start: u32, end: u32) -> bool {
    let before = text[..start as usize].trim_end();
    let after = text[end as usize..].trim_start();
    (before.ends_with('{') || before.ends_with(',')) && (after.starts_with(',') || after.starts_with('}'))
}

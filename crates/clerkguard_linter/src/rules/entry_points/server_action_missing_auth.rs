use crate::analysis::entry_points::EntryPointKind;
use crate::{Applicability, Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

use super::guard_fix::insert_session_check;

declare_rule! {
    /// ## What it does
    ///
    /// Finds Server Functions (Server Actions) that read or write data — a database client,
    /// `fetch`, Clerk's backend API, the file system, or a helper that does — without first
    /// checking who is calling. A Server Function is every export of a module that starts with
    /// `"use server"`, and every function whose body starts with it.
    ///
    /// Guards count wherever they live: `await auth.protect()`, `if (!userId) throw ...`,
    /// `if (userId) { ... }`, and helpers (in this file or, through imports, in others) that throw
    /// or redirect when nobody is signed in.
    ///
    /// ## Why is this bad?
    ///
    /// A Server Function is a public HTTP endpoint: anyone can call it with a POST request and the
    /// action's id, whatever page it is used on. The middleware matcher does not protect it
    /// (Server Functions are posted to whatever page the caller chooses), so each one must check
    /// its caller itself.
    ///
    /// ## Example
    ///
    /// ```ts
    /// "use server";
    /// import { db } from "@/lib/db";
    ///
    /// export async function deletePost(id: string) {
    ///   await db.post.delete({ where: { id } });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// "use server";
    /// import { auth } from "@clerk/nextjs/server";
    /// import { db } from "@/lib/db";
    ///
    /// export async function deletePost(id: string) {
    ///   const { userId } = await auth();
    ///   if (!userId) throw new Error("Unauthenticated");
    ///   await db.post.delete({ where: { id, authorId: userId } });
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix inserts the session lookup and the check at the top of the function (without
    /// `await` on Clerk v5), adding the `auth` import when it is missing. It is **unsafe**: it
    /// changes who may call the action, which is the point, but an action that is public by
    /// design (a newsletter form) would break. Review it, or suppress the finding with a reason.
    pub ServerActionMissingAuth {
        id: "server-action-missing-auth",
        category: EntryPoints,
        severity: Error,
        fix: Unsafe,
        summary: "A Server Function reads or writes data without checking the caller",
    }
}

impl Rule for ServerActionMissingAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in ctx.entries() {
            if !matches!(entry.kind, EntryPointKind::ServerFunction { .. }) || entry.wrapper_guards {
                continue;
            }
            // With an unchecked auth() call on the path, `auth-result-unchecked` reports instead.
            let Some(effect) = entry.facts.unguarded_effects().find(|e| e.unchecked_auth.is_none()) else { continue };
            let fix = insert_session_check(ctx, entry, "Check the signed-in user at the top", Applicability::Unsafe);
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    entry.report_range,
                    format!(
                        "Server Action `{}` calls `{}` without checking who is calling; anyone can invoke it",
                        entry.name, effect.effect.what
                    ),
                )
                .with_help("Call `auth()` and stop when `userId` is null (or call a guard helper) before touching data")
                .with_fix(fix),
            );
        }
    }
}

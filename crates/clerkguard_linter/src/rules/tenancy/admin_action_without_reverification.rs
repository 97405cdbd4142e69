use clerkguard_syntax::TextRange;

use super::facts;
use crate::analysis::effects::EffectKind;
use crate::analysis::queries::Operation;
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds entry points gated on an admin role — `has({ role: 'org:admin' })`,
    /// `auth.protect({ role: 'org:admin' })`, an `orgRole` comparison, a `publicMetadata.role` /
    /// `sessionClaims.metadata.role` check, or a `requireAdmin()`-style helper — that then
    /// perform a destructive mutation (a delete, Clerk's `deleteUser`, `banUser`,
    /// `deleteOrganization`, `revoke*`) without a step-up: no `has({ reverification })` and no
    /// `reverificationError` / `reverificationErrorResponse`.
    ///
    /// This is a hint and off by default: turn it on with
    /// `"admin-action-without-reverification": "hint"` in `clerkguard.json`.
    ///
    /// ## Why is this bad?
    ///
    /// A session is a bearer token. Whoever holds an admin's session — a stolen cookie, an
    /// unlocked laptop, a malicious extension — can run every admin action. Asking for a fresh
    /// verification before irreversible actions limits what a stolen session can do.
    ///
    /// Know the limits of the step-up before relying on it:
    ///
    /// - reverification asks for the strongest factor the user *has*: a user without a second
    ///   factor is downgraded to the first factor (`strict` then means "password again", not
    ///   MFA);
    /// - Clerk cannot require MFA for one role only: the Dashboard's "Require multi-factor
    ///   authentication" applies to every user, so admins without a second factor exist unless
    ///   you enforce it yourself;
    /// - `auth.protect({ reverification })` answers with a 404, not the 403 that
    ///   `useReverification()` understands: use `has()` with `reverificationError` instead;
    /// - Clerk marks reverification as a public beta.
    ///
    /// ## Example
    ///
    /// ```ts
    /// "use server";
    /// export async function deleteProject(id: string) {
    ///   const { has, orgId } = await auth.protect();
    ///   if (!has({ role: "org:admin" })) throw new Error("Forbidden");
    ///   await db.project.delete({ where: { id, orgId } });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// "use server";
    /// import { auth, reverificationError } from "@clerk/nextjs/server";
    /// export async function deleteProject(id: string) {
    ///   const { has, orgId } = await auth.protect();
    ///   if (!has({ role: "org:admin" })) throw new Error("Forbidden");
    ///   if (!has({ reverification: "strict" })) return reverificationError("strict");
    ///   await db.project.delete({ where: { id, orgId } });
    /// }
    /// ```
    ///
    /// and call the action through `useReverification()` on the client.
    pub AdminActionWithoutReverification {
        id: "admin-action-without-reverification",
        category: StepUp,
        severity: Hint,
        enabled: false,
        fix: None,
        summary: "An admin-only destructive action runs without a step-up (reverification) check",
    }
}

impl Rule for AdminActionWithoutReverification {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for data in facts::analyze(ctx) {
            if data.checks.reverification || data.checks.role_gates.is_empty() {
                continue;
            }
            let mut sites: Vec<(TextRange, TextRange)> = data
                .queries
                .iter()
                .filter(|q| q.operation == Operation::Delete)
                .map(|q| (q.range, q.report_range))
                .collect();
            for effect in &data.entry.facts.effects {
                let last =
                    effect.effect.what.rsplit('.').next().unwrap_or("").trim_end_matches("()").to_ascii_lowercase();
                let destructive = ["delete", "remove", "ban", "revoke", "destroy", "drop", "truncate", "purge"]
                    .iter()
                    .any(|w| last.starts_with(w));
                if effect.effect.kind == EffectKind::Mutation
                    && destructive
                    && !sites.iter().any(|(r, _)| r.contains_range(effect.range) || effect.range.contains_range(*r))
                {
                    sites.push((effect.range, effect.range));
                }
            }
            for (range, report) in sites {
                if !data.role_gated_before(range.start) {
                    continue;
                }
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        report,
                        "This admin-only action destroys data without asking the admin to verify again",
                    )
                    .with_help(
                        "Add `if (!has({ reverification: \"strict\" })) return reverificationError(\"strict\")` before it",
                    ),
                );
            }
        }
    }
}

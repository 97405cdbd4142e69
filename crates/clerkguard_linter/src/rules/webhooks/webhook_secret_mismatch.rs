use clerkguard_project::env_files::{EnvFile, env_file_paths};
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{BinExpr, BinaryOp, CallExpr, Expr, Lit};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::ast_util::{chain_names, peel, range_of};
use crate::analysis::clerk_api::ClerkFn;
use crate::{Diagnostic, Edit, FileContext, Fix, RelatedInfo, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds `verifyWebhook(req)` (which reads `CLERK_WEBHOOK_SIGNING_SECRET`) in a project whose
    /// env files define only `CLERK_WEBHOOK_SECRET`, and webhook secrets read with an
    /// empty-string fallback (`process.env.CLERK_WEBHOOK_SECRET || ""`).
    ///
    /// ## Why is this bad?
    ///
    /// `verifyWebhook` never reads `CLERK_WEBHOOK_SECRET` (the name older Clerk guides used): with
    /// only that variable set, every delivery fails with "Missing webhook signing secret". An
    /// empty fallback turns a missing secret into a confusing failure at best, and into a
    /// verification with a known key in code that accepts it.
    ///
    /// ## Example
    ///
    /// ```ts
    /// // .env.local: CLERK_WEBHOOK_SECRET=whsec_...
    /// const evt = await verifyWebhook(req);
    /// const wh = new Webhook(process.env.WEBHOOK_SECRET || "");
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// // .env.local: CLERK_WEBHOOK_SIGNING_SECRET=whsec_...
    /// const evt = await verifyWebhook(req);
    /// const wh = new Webhook(process.env.WEBHOOK_SECRET!);
    /// ```
    ///
    /// ## Fix safety
    ///
    /// Removing the fallback is safe. Renaming the variable in the env files is unsafe: the
    /// deployment's environment needs the new name too.
    pub WebhookSecretMismatch {
        id: "webhook-secret-mismatch",
        category: Webhooks,
        severity: Warning,
        fix: Mixed,
        summary: "verifyWebhook reads CLERK_WEBHOOK_SIGNING_SECRET but the env files define another name, or the secret falls back to an empty string",
    }
}

const SIGNING: &str = "CLERK_WEBHOOK_SIGNING_SECRET";
const LEGACY: &str = "CLERK_WEBHOOK_SECRET";

impl Rule for WebhookSecretMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Findings are Clerk `verifyWebhook` calls (imported from a webhooks entry point) and
        // `process.env.<...SECRET...> || ""` fallbacks.
        let verifies = ctx.semantics.imports.values().any(|b| b.source.ends_with("/webhooks"));
        let fallback = ctx.mentions("process") && ["SECRET", "secret", "Secret"].iter().any(|w| ctx.mentions(w));
        if !verifies && !fallback {
            return;
        }
        let mut finder = Finder { ctx, calls: Vec::new(), fallbacks: Vec::new() };
        ctx.module.visit_with(&mut finder);
        let Finder { calls, fallbacks, .. } = finder;
        let ts =
            ctx.path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "ts" | "tsx" | "mts" | "cts"));
        for (range, left, name) in fallbacks {
            let replacement = format!("{}{}", ctx.source(left), if ts { "!" } else { "" });
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    range,
                    format!("The webhook secret `{name}` falls back to an empty string"),
                )
                .with_help("Fail loudly when the secret is missing: drop the fallback")
                .with_fix(Some(Fix::safe("Remove the empty-string fallback", vec![Edit::replace(range, replacement)]))),
            );
        }
        if calls.is_empty() {
            return;
        }
        let envs: Vec<(std::path::PathBuf, std::sync::Arc<str>, EnvFile)> = env_file_paths(&ctx.project.root)
            .into_iter()
            .filter_map(|p| {
                let text = ctx.index.read(&p)?;
                let parsed = EnvFile::parse(&text);
                Some((p, text, parsed))
            })
            .collect();
        if envs.iter().any(|(_, _, e)| e.defines(SIGNING)) {
            return;
        }
        let legacy: Vec<_> = envs.iter().filter(|(_, _, e)| e.defines(LEGACY)).collect();
        if legacy.is_empty() {
            return;
        }
        for call in calls {
            let mut diagnostic = ctx
                .diagnostic(&Self::META, call, format!("`verifyWebhook` reads `{SIGNING}`, but the env files only define `{LEGACY}`"))
                .with_help(format!("Rename `{LEGACY}` to `{SIGNING}` (here and in the deployment's environment), or pass `{{ signingSecret }}`"));
            let mut edits = Vec::new();
            for (path, _, env) in &legacy {
                if let Some(entry) = env.get(LEGACY) {
                    let range = TextRange::new(entry.key_range.0, entry.key_range.1);
                    edits.push(Edit::replace(range, SIGNING).in_file(path.clone()));
                    diagnostic = diagnostic.with_related(RelatedInfo {
                        path: path.clone(),
                        range,
                        message: format!("`{LEGACY}` is defined here"),
                    });
                }
            }
            out.push(
                diagnostic
                    .with_fix(Some(Fix::unsafe_(format!("Rename `{LEGACY}` to `{SIGNING}` in the env files"), edits))),
            );
        }
    }
}

struct Finder<'c, 'a> {
    ctx: &'c FileContext<'a>,
    /// `verifyWebhook(req)` without an explicit `signingSecret`.
    calls: Vec<TextRange>,
    /// (whole `a || ""`, left operand, env name)
    fallbacks: Vec<(TextRange, TextRange, String)>,
}

impl Visit for Finder<'_, '_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let clerkguard_syntax::ast::Callee::Expr(callee) = &call.callee
            && self.ctx.semantics.clerk_fn_of_expr(callee) == Some(ClerkFn::VerifyWebhook)
        {
            let explicit =
                call.args.get(1).is_some_and(|a| self.ctx.source(range_of(&*a.expr)).contains("signingSecret"));
            if !explicit {
                self.calls.push(range_of(call));
            }
        }
        call.visit_children_with(self);
    }

    fn visit_bin_expr(&mut self, bin: &BinExpr) {
        if matches!(bin.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing)
            && matches!(peel(&bin.right), Expr::Lit(Lit::Str(s)) if s.value.is_empty())
        {
            let names = chain_names(&bin.left);
            if names.len() == 3 && names[0] == "process" && names[1] == "env" && is_webhook_secret_name(&names[2]) {
                self.fallbacks.push((range_of(bin), range_of(&*bin.left), names[2].clone()));
            }
        }
        bin.visit_children_with(self);
    }
}

fn is_webhook_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    (upper.contains("WEBHOOK") && upper.contains("SECRET")) || upper == "SIGNING_SECRET" || upper == "SVIX_SECRET"
}

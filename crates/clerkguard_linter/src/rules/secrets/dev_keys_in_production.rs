use clerkguard_project::env_files::{EnvEntry, EnvFile, is_production_env_file, is_template_env_file};
use clerkguard_syntax::TextRange;

use super::values::{decode_publishable_key, mask};
use crate::{Diagnostic, ProjectFileContext, ProjectFileKind, RelatedInfo, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// In env files, finds:
    /// - development keys (`pk_test_…`, `sk_test_…`) of Clerk variables in `.env.production*`;
    /// - a publishable key and a secret key of different kinds (one test, one live) in the same
    ///   file, or two publishable keys of different instances (the publishable key is decoded:
    ///   it is the base64 of the instance's Frontend API host followed by `$`).
    ///
    /// Other services' keys (`NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_test_…`) are not Clerk
    /// variables and are not reported.
    ///
    /// ## Why is this bad?
    ///
    /// Development instances have a relaxed security posture (shared OAuth credentials, a
    /// 100-user cap, cross-domain session tokens in URLs) and are not meant for production
    /// traffic. Mixed keys fail at runtime in confusing ways: the frontend signs users in to one
    /// instance and the backend verifies their tokens against another.
    ///
    /// ## Example
    ///
    /// ```sh
    /// # .env.production
    /// NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2hlZXJmdWwtY2F0LTE4LmNsZXJrLmFjY291bnRzLmRldiQ
    /// ```
    ///
    /// ## Use instead
    ///
    /// Use the production instance's `pk_live_` / `sk_live_` pair in production, and keep each
    /// file's keys from one instance.
    ///
    /// ## Fix safety
    ///
    /// No fix: the right keys come from the Clerk Dashboard.
    pub DevKeysInProduction {
        id: "dev-keys-in-production",
        category: Secrets,
        severity: Warning,
        fix: None,
        summary: "Development Clerk keys in production env files, or keys of different instances mixed in one file",
    }
}

fn is_clerk_key_var(key: &str) -> bool {
    key.to_ascii_uppercase().contains("CLERK")
}

fn value_range(entry: &EnvEntry) -> TextRange {
    TextRange::new(entry.value_range.0, entry.value_range.1)
}

impl Rule for DevKeysInProduction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &crate::FileContext<'_>, _out: &mut Vec<Diagnostic>) {}

    fn check_project_file(&self, ctx: &ProjectFileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.kind != ProjectFileKind::Env {
            return;
        }
        let name = ctx.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_template_env_file(name) {
            return;
        }
        let env = EnvFile::parse(ctx.text);
        let clerk: Vec<&EnvEntry> = env
            .entries
            .iter()
            .filter(|e| is_clerk_key_var(&e.key) && !env.is_suppressed(e.line, Self::META.id))
            .collect();
        let mut reported = Vec::new();
        if is_production_env_file(name) {
            for entry in &clerk {
                let kind = if entry.value.starts_with("pk_test_") {
                    "publishable"
                } else if entry.value.starts_with("sk_test_") {
                    "secret"
                } else {
                    continue;
                };
                reported.push(entry.line);
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Self::META.default_severity,
                        value_range(entry),
                        format!("`{}` is a development {kind} key (`{}`) in `{name}`", entry.key, mask(&entry.value)),
                    )
                    .with_help("Use the production instance's `pk_live_` / `sk_live_` keys for production builds"),
                );
            }
        }
        // Mixed keys matter where Clerk reads them.
        let publishable: Vec<(&EnvEntry, _)> = clerk
            .iter()
            .filter(|e| matches!(e.key.as_str(), "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY" | "CLERK_PUBLISHABLE_KEY"))
            .filter_map(|e| decode_publishable_key(&e.value).map(|k| (*e, k)))
            .collect();
        let Some((first, first_key)) = publishable.first() else { return };
        for (entry, key) in publishable.iter().skip(1) {
            if key.host != first_key.host && !reported.contains(&entry.line) {
                reported.push(entry.line);
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Self::META.default_severity,
                        value_range(entry),
                        format!(
                            "`{}` belongs to the Clerk instance `{}`, `{}` to `{}`",
                            entry.key, key.host, first.key, first_key.host
                        ),
                    )
                    .with_help("Keep one instance's keys in each env file")
                    .with_related(RelatedInfo {
                        path: ctx.path.to_path_buf(),
                        range: value_range(first),
                        message: "the other publishable key".into(),
                    }),
                );
            }
        }
        for entry in clerk.iter().filter(|e| e.key == "CLERK_SECRET_KEY") {
            let secret_live = if entry.value.starts_with("sk_live_") {
                true
            } else if entry.value.starts_with("sk_test_") {
                false
            } else {
                continue;
            };
            if secret_live != first_key.live && !reported.contains(&entry.line) {
                let (sk, pk) = if secret_live { ("production", "development") } else { ("development", "production") };
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Self::META.default_severity,
                        value_range(entry),
                        format!(
                            "`{}` is a {sk} secret key (`{}`) but `{}` is a {pk} publishable key (`{}`)",
                            entry.key,
                            mask(&entry.value),
                            first.key,
                            first_key.host
                        ),
                    )
                    .with_help("Use the publishable and secret key of the same instance")
                    .with_related(RelatedInfo {
                        path: ctx.path.to_path_buf(),
                        range: value_range(first),
                        message: "the publishable key".into(),
                    }),
                );
            }
        }
    }
}

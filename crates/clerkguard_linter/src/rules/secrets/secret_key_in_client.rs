use std::borrow::Cow;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, KeyValueProp, Prop, PropOrSpread};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::env_reads::env_reads;
use super::values::{SECRET_ENV_NAMES, find_secrets, is_public_secret_name, mask, names_other_service};
use crate::analysis::ast_util::{chain_names, peel, prop_name, range_of};
use crate::{Diagnostic, FileContext, ProjectFileContext, ProjectFileKind, RelatedInfo, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds Clerk secrets on their way to the browser:
    /// - `process.env.CLERK_SECRET_KEY` (or `CLERK_WEBHOOK_SIGNING_SECRET`,
    ///   `CLERK_WEBHOOK_SECRET`, `CLERK_ENCRYPTION_KEY`, `CLERK_MACHINE_SECRET_KEY`) read in a
    ///   client module — a `"use client"` module or any module it imports, directly or through
    ///   other modules (modules marked `"use server"` or importing `server-only` stop the chain);
    /// - a `NEXT_PUBLIC_*` variable that holds a Clerk secret (`NEXT_PUBLIC_CLERK_SECRET_KEY`, or a
    ///   `NEXT_PUBLIC_` name whose value in an env file is an `sk_`/`whsec_` secret);
    /// - a secret passed through `next.config`'s `env` option, which inlines it into the client
    ///   bundle.
    ///
    /// Publishable keys (`pk_test_`/`pk_live_`, of Clerk or any other service) are public by
    /// design and never reported.
    ///
    /// ## Why is this bad?
    ///
    /// Next.js inlines `NEXT_PUBLIC_*` variables and `next.config` `env` entries into the
    /// JavaScript it ships to every visitor. The secret key gives full access to Clerk's Backend
    /// API for your instance: listing, impersonating and deleting users. In client modules the
    /// read is either inlined (a leak) or `undefined` (a bug that invites the "fix" of making it
    /// public).
    ///
    /// ## Example
    ///
    /// ```ts
    /// "use client";
    /// const clerk = createClerkClient({ secretKey: process.env.NEXT_PUBLIC_CLERK_SECRET_KEY });
    /// ```
    ///
    /// ## Use instead
    ///
    /// Read the secret in server code only (a Server Function, route handler or a module that
    /// imports `server-only`), and call that from the client.
    ///
    /// ## Fix safety
    ///
    /// No automatic fix: the code must move to the server.
    pub SecretKeyInClient {
        id: "secret-key-in-client",
        category: Secrets,
        severity: Error,
        fix: None,
        summary: "A Clerk secret is read in client code, exposed through NEXT_PUBLIC_, or inlined by next.config env",
    }
}

impl Rule for SecretKeyInClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Every read is of `process.env` (or `process["env"]`): no walk for files without it.
        let reads = if ctx.mentions("process") { env_reads(ctx.module) } else { Vec::new() };
        for read in &reads {
            if is_public_secret_name(&read.name) {
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        read.range,
                        format!("`{}` is a public variable: Next.js inlines it into the browser bundle", read.name),
                    )
                    .with_help(format!(
                        "Rename it to `{}` and read it in server code only",
                        read.name.trim_start_matches("NEXT_PUBLIC_")
                    )),
                );
            }
        }
        let name = ctx.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("next.config.") {
            next_config_env(ctx, out);
            return;
        }
        let secret_reads: Vec<_> = reads.iter().filter(|r| SECRET_ENV_NAMES.contains(&r.name.as_str())).collect();
        if secret_reads.is_empty() {
            return;
        }
        let graph = ctx.index.module_graph();
        if !graph.is_client(ctx.path) {
            return;
        }
        let chain = graph.client_chain(ctx.path);
        let root = chain.first().cloned();
        for read in secret_reads {
            let via = match &root {
                Some(root) if root != ctx.path => format!(
                    " (imported from the client module `{}`)",
                    root.strip_prefix(&ctx.project.root).unwrap_or(root).display()
                ),
                _ => String::new(),
            };
            let mut d = ctx
                .diagnostic(&Self::META, read.range, format!("`{}` is read in client code{via}", read.name))
                .with_help("Read Clerk secrets only in server code: a Server Function, a route handler, or a module that imports `server-only`");
            if let Some(root) = &root
                && root != ctx.path
            {
                d = d.with_related(RelatedInfo {
                    path: root.clone(),
                    range: TextRange::new(0, 0),
                    message: format!("`\"use client\"` module that imports {}", chain_description(&chain, ctx)),
                });
            }
            out.push(d);
        }
    }

    fn check_project_file(&self, ctx: &ProjectFileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.kind != ProjectFileKind::Env {
            return;
        }
        let env = clerkguard_project::env_files::EnvFile::parse(ctx.text);
        for entry in &env.entries {
            if !entry.key.starts_with("NEXT_PUBLIC_") || env.is_suppressed(entry.line, Self::META.id) {
                continue;
            }
            let range = TextRange::new(entry.key_range.0, entry.key_range.1);
            if is_public_secret_name(&entry.key) && !entry.value.is_empty() {
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Self::META.default_severity,
                        range,
                        format!(
                            "`{}` holds a Clerk secret under a public name: Next.js inlines it into the browser bundle",
                            entry.key
                        ),
                    )
                    .with_help("Drop the `NEXT_PUBLIC_` prefix and read the variable in server code only"),
                );
                continue;
            }
            if names_other_service(&entry.key) {
                continue;
            }
            if let Some(secret) = find_secrets(&entry.value).first() {
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Self::META.default_severity,
                        range,
                        format!(
                            "`{}` holds {} (`{}`): `NEXT_PUBLIC_` variables are shipped to the browser",
                            entry.key,
                            secret.kind.describe(),
                            mask(&entry.value[secret.start..secret.end])
                        ),
                    )
                    .with_help(format!(
                        "Store it as `{}` (no `NEXT_PUBLIC_` prefix), read it only in server code, and rotate the key",
                        secret.kind.env_name()
                    )),
                );
            }
        }
    }
}

fn chain_description(chain: &[std::path::PathBuf], ctx: &FileContext<'_>) -> String {
    chain
        .iter()
        .skip(1)
        .map(|p| format!("`{}`", p.strip_prefix(&ctx.project.root).unwrap_or(p).display()))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// `env: { CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY }` in next.config.
fn next_config_env(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    struct Find(Vec<(TextRange, String)>);
    impl Visit for Find {
        fn visit_key_value_prop(&mut self, kv: &KeyValueProp) {
            if prop_name(&kv.key).as_deref() == Some("env")
                && let Expr::Object(obj) = peel(&kv.value)
            {
                for prop in &obj.props {
                    let PropOrSpread::Prop(prop) = prop else { continue };
                    let (key, value) = match &**prop {
                        Prop::KeyValue(kv) => (prop_name(&kv.key).map(Cow::into_owned), Some(&*kv.value)),
                        Prop::Shorthand(id) => (Some(id.sym.as_str().to_owned()), None),
                        _ => continue,
                    };
                    let value_name = value.and_then(|v| {
                        let names = chain_names(v);
                        (names.len() == 3 && names[0] == "process" && names[1] == "env").then(|| names[2].clone())
                    });
                    let secret = key.iter().chain(value_name.iter()).find(|n| SECRET_ENV_NAMES.contains(&n.as_str()));
                    if let Some(secret) = secret {
                        self.0.push((range_of(&**prop), secret.clone()));
                    }
                }
            }
            kv.visit_children_with(self);
        }
    }
    let mut f = Find(Vec::new());
    ctx.module.visit_with(&mut f);
    for (range, name) in f.0 {
        out.push(
            ctx.diagnostic(
                &SecretKeyInClient::META,
                range,
                format!("next.config `env` inlines `{name}` into the JavaScript sent to browsers"),
            )
            .with_help("Remove it from `env`: server code reads `process.env` at runtime without it"),
        );
    }
}

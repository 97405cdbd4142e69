use std::collections::HashSet;

use clerkguard_project::env_files::{EnvFile, is_committed_or_committable};
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, Lit, Str, TplElement};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::values::{FoundSecret, find_secrets, mask, names_other_service};
use crate::analysis::ast_util::range_of;
use crate::fixer::{line_end_after, line_start_of};
use crate::{Diagnostic, Edit, FileContext, Fix, ProjectFileContext, ProjectFileKind, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds Clerk secret keys (`sk_live_…`, `sk_test_…`) and webhook signing secrets
    /// (`whsec_…`) written into source code, or into a `.env*` file that git tracks or would
    /// commit (listed in git's index, or not ignored by `.gitignore`). Placeholders
    /// (`sk_live_xxx`, `whsec_your_secret`) and other services' keys named as such (Stripe's
    /// `sk_live_` keys in `STRIPE_SECRET_KEY`) are not reported.
    ///
    /// The secret itself never appears in the message: it is masked as `sk_live_…9f2c`.
    ///
    /// ## Why is this bad?
    ///
    /// Anything committed is readable by everyone with access to the repository, its forks, CI
    /// logs and backups — forever, even after the line is deleted. A secret key gives full
    /// Backend API access to the Clerk instance.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const clerk = createClerkClient({ secretKey: "sk_live_…" });
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY });
    /// ```
    ///
    /// Keep the value in `.env.local` (ignored by git) or the host's secret store, and rotate
    /// the key that was committed.
    ///
    /// ## Fix safety
    ///
    /// In source, the fix replaces the literal with `process.env.CLERK_SECRET_KEY` (or
    /// `process.env.CLERK_WEBHOOK_SIGNING_SECRET`). It is unsafe: the variable must be set, and
    /// the committed key must still be rotated. Env files get no fix.
    pub HardcodedClerkSecret {
        id: "hardcoded-clerk-secret",
        category: Secrets,
        severity: Error,
        fix: Unsafe,
        summary: "A Clerk secret key or webhook secret is hard-coded in source or a committed env file",
    }
}

impl Rule for HardcodedClerkSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Literals are scanned in their source text, so a file whose text holds no secret
        // prefix has no finding.
        // (`sk_` first: without it, neither secret key prefix is there.)
        let secret_key = ctx.mentions("sk_") && (ctx.mentions("sk_live_") || ctx.mentions("sk_test_"));
        if !secret_key && !ctx.mentions("whsec_") {
            return;
        }
        let mut finder = Finder { ctx, found: Vec::new(), seen: HashSet::new() };
        ctx.module.visit_with(&mut finder);
        for (range, secret, whole_literal) in finder.found {
            let line = line_text(ctx.text, range.start);
            if names_other_service(line) {
                continue;
            }
            let shown =
                mask(ctx.source(TextRange::new(range.start + secret.start as u32, range.start + secret.end as u32)));
            let fix = whole_literal.map(|lit| {
                Fix::unsafe_(
                    format!("Read it from `process.env.{}`", secret.kind.env_name()),
                    vec![Edit::replace(lit, format!("process.env.{}", secret.kind.env_name()))],
                )
            });
            out.push(
                ctx.diagnostic(&Self::META, range, format!("Hard-coded {} (`{shown}`)", secret.kind.describe()))
                    .with_help(format!(
                        "Read it from `process.env.{}` and rotate the key: it is in the repository's history",
                        secret.kind.env_name()
                    ))
                    .with_fix(fix),
            );
        }
    }

    fn check_project_file(&self, ctx: &ProjectFileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.kind != ProjectFileKind::Env || !is_committed_or_committable(ctx.path) {
            return;
        }
        let env = EnvFile::parse(ctx.text);
        for entry in &env.entries {
            if names_other_service(&entry.key) || env.is_suppressed(entry.line, Self::META.id) {
                continue;
            }
            for secret in find_secrets(&entry.value) {
                let start = entry.value_range.0 + secret.start as u32;
                let range = TextRange::new(start, entry.value_range.0 + secret.end as u32);
                out.push(
                    Diagnostic::new(Self::META.id, Self::META.default_severity, range, format!("{} (`{}`) is committed: `{}` is tracked by git or not ignored", capitalised(secret.kind.describe()), mask(&entry.value[secret.start..secret.end]), ctx.path.file_name().and_then(|n| n.to_str()).unwrap_or(".env")))
                        .with_help("Move the value to an ignored file (`.env.local`) or the host's secret store, add the file to `.gitignore`, and rotate the key"),
                );
            }
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn line_text(text: &str, offset: u32) -> &str {
    let start = line_start_of(text, offset) as usize;
    let end = line_end_after(text, offset) as usize;
    text.get(start..end).unwrap_or("")
}

struct Finder<'c, 'a> {
    ctx: &'c FileContext<'a>,
    /// (range of the secret's literal text, secret within it, whole literal when fixable)
    found: Vec<(TextRange, FoundSecret, Option<TextRange>)>,
    seen: HashSet<u32>,
}

impl Finder<'_, '_> {
    fn scan(&mut self, range: TextRange, whole_literal: Option<TextRange>) {
        if !self.seen.insert(range.start) {
            return;
        }
        let raw = self.ctx.source(range);
        let secrets = find_secrets(raw);
        let single = secrets.len() == 1;
        for secret in secrets {
            // Only a literal that is exactly the secret can be swapped for the env read.
            let exact = single && raw.len() == secret.end - secret.start + 2;
            let at = TextRange::new(range.start + secret.start as u32, range.start + secret.end as u32);
            let offset_secret = FoundSecret { start: 0, end: secret.end - secret.start, ..secret };
            self.found.push((at, offset_secret, whole_literal.filter(|_| exact)));
        }
    }
}

impl Visit for Finder<'_, '_> {
    fn visit_expr(&mut self, expr: &Expr) {
        if let Expr::Lit(Lit::Str(s)) = expr {
            self.scan(range_of(s), Some(range_of(s)));
        }
        expr.visit_children_with(self);
    }

    fn visit_str(&mut self, s: &Str) {
        self.scan(range_of(s), None);
    }

    fn visit_tpl_element(&mut self, t: &TplElement) {
        self.scan(range_of(t), None);
    }
}

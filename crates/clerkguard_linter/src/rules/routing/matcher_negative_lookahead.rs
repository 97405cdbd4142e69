use clerkguard_project::middleware::{MatcherConfig, is_recommended_matcher_entry};

use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a custom `config.matcher` built mostly from negative lookaheads
    /// (`'/((?!api|static|login).*)'`) rather than a positive list of paths. Clerk's
    /// recommended matcher (which skips Next.js internals and static files) is not reported.
    ///
    /// ## Why is this bad?
    ///
    /// A negative matcher is an exclusion list that grows silently: every excluded prefix is a
    /// whole subtree the middleware — and Clerk's helpers — never see, including routes added
    /// there later, and lookaheads are easy to get subtly wrong (`(?!api)` also skips `/apiary`).
    ///
    /// ## Example
    ///
    /// ```ts
    /// export const config = { matcher: ["/((?!api|_next|login).*)"] };
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export const config = {
    ///   matcher: [
    ///     "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    ///     "/(api|trpc)(.*)",
    ///   ],
    /// };
    /// ```
    ///
    /// ## Fix safety
    ///
    /// No fix: replacing the matcher changes which routes the middleware runs for.
    pub MatcherNegativeLookahead {
        id: "matcher-negative-lookahead",
        category: StepUp,
        severity: Hint,
        enabled: false,
        fix: None,
        summary: "config.matcher is built from negative lookaheads instead of a positive list",
    }
}

impl Rule for MatcherNegativeLookahead {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let routing = super::common::routing_for(ctx);
        let routing = &*routing;
        let Some(model) = routing.middleware.as_ref().filter(|m| m.file == ctx.path) else { return };
        let MatcherConfig::Static { entries, .. } = &model.matcher else { return };
        let custom: Vec<_> = entries.iter().filter(|e| !is_recommended_matcher_entry(&e.entry.source)).collect();
        let lookaheads: Vec<_> = custom.iter().filter(|e| e.entry.source.contains("(?!")).collect();
        if lookaheads.is_empty() || lookaheads.len() * 2 < custom.len() {
            return;
        }
        for entry in lookaheads {
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    entry.source_range,
                    format!(
                        "`{}` excludes paths with a negative lookahead instead of listing them",
                        entry.entry.source
                    ),
                )
                .with_help("Prefer Clerk's recommended matcher plus positive entries for what must run"),
            );
        }
    }
}

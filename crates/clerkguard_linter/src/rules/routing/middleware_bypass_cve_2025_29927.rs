use super::common::{cve_2025_29927_fix, relies_on_middleware_alone, with_route_file};
use crate::project_index::routing::RouteStatus;
use crate::{
    Diagnostic, Edit, Fix, ProjectFileContext, ProjectFileKind, RelatedInfo, Rule, RuleMeta, TextRange, declare_rule,
};

/// Routes listed as related information, at most.
const MAX_RELATED: usize = 10;

declare_rule! {
    /// ## What it does
    ///
    /// Reports `next` versions affected by CVE-2025-29927 (GHSA-f82v-jwr5-mffw) — below 15.2.3,
    /// 14.2.25, 13.5.9 and 12.3.5, and every 11.x — when some route relies on the middleware
    /// alone for protection. Reported on package.json's `next` line, with the routes as related
    /// information.
    ///
    /// ## Why is this bad?
    ///
    /// On those versions a request carrying `x-middleware-subrequest` skips the middleware
    /// entirely (self-hosted `next start` and `output: "standalone"`), so every route whose only
    /// check is `auth.protect()` in the middleware is open.
    ///
    /// ## Example
    ///
    /// ```json
    /// { "dependencies": { "next": "15.1.0" } }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```json
    /// { "dependencies": { "next": "15.2.3" } }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix bumps the `next` range to the patched release of its line, keeping the range
    /// operator (`^15.1.0` → `^15.2.3`). It is **unsafe**: it changes a dependency (run your
    /// package manager afterwards). 11.x has no patched release and gets no fix.
    pub MiddlewareBypassCve202529927 {
        id: "middleware-bypass-cve-2025-29927",
        category: Routing,
        severity: Error,
        fix: Unsafe,
        summary: "next is vulnerable to the CVE-2025-29927 middleware bypass and routes rely on middleware alone",
    }
}

impl Rule for MiddlewareBypassCve202529927 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &crate::FileContext<'_>, _out: &mut Vec<Diagnostic>) {}

    fn check_project_file(&self, ctx: &ProjectFileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.kind != ProjectFileKind::PackageJson || ctx.project.manifest_path.as_deref() != Some(ctx.path) {
            return;
        }
        let Some(next) = &ctx.project.next else { return };
        // Read the range from the text being linted (it may be an unsaved buffer or a fixed
        // text); the lockfile's version counts only while the range is the one on disk.
        let written = next
            .version_range
            .and_then(|(s, _)| ctx.text.get(s as usize..))
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string);
        let version = match &written {
            Some(range) if *range != next.range => clerkguard_project::minimum_of_range(range),
            _ => next.effective(),
        };
        let Some(version) = version else { return };
        let Some(patched) = cve_2025_29927_fix(&version) else { return };
        let routing = ctx.index.routing();
        let exposed: Vec<_> = routing
            .routes
            .iter()
            .filter(|r| r.status == RouteStatus::Protected)
            .filter(|r| {
                with_route_file(ctx.index, ctx.project, ctx.config, &r.route.file, |fc| {
                    relies_on_middleware_alone(fc.entries())
                })
                .unwrap_or(false)
            })
            .collect();
        if exposed.is_empty() {
            return;
        }
        let range = next.manifest_range.map(|(s, e)| TextRange::new(s, e)).unwrap_or_default();
        let fix = patched.clone().zip(next.version_range).and_then(|(patched, (s, _))| {
            let current = written.as_deref()?;
            let e = s + current.len() as u32;
            let operator: String = current.chars().take_while(|c| matches!(c, '^' | '~' | '>' | '=' | ' ')).collect();
            let new = format!("{operator}{patched}");
            Some(Fix::unsafe_(format!("Bump `next` to `{new}`"), vec![Edit::replace(TextRange::new(s, e), new)]))
        });
        let mut diagnostic = Diagnostic::new(
            Self::META.id,
            Self::META.default_severity,
            range,
            format!(
                "`next` {version} is vulnerable to CVE-2025-29927 (middleware bypass), and {} route(s) rely on the middleware alone",
                exposed.len()
            ),
        )
        .with_help(match patched {
            Some(p) => format!("Upgrade `next` to {p} or later, and check the caller in each route"),
            None => "Upgrade `next` to a patched major (12.3.5+), and check the caller in each route".to_string(),
        })
        .with_fix(fix);
        for route in exposed.iter().take(MAX_RELATED) {
            diagnostic = diagnostic.with_related(RelatedInfo {
                path: route.route.file.clone(),
                range: TextRange::default(),
                message: format!("`{}` is protected only by the middleware", route.route.url_pattern),
            });
        }
        out.push(diagnostic);
    }
}

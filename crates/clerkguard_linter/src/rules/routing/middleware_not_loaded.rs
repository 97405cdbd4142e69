use clerkguard_project::middleware::{MiddlewareKind, MisplacedReason, recommended_matcher};

use super::common::{clerk_helper_import, js_string};
use crate::fixer::FileStyle;
use crate::{Diagnostic, Edit, FileContext, Fix, RelatedInfo, Rule, RuleMeta, TextRange, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds Clerk apps whose middleware Next.js does not run:
    ///
    /// - a route file (page, route handler, API route) uses Clerk's server helpers (`auth()`,
    ///   `currentUser()`, `getAuth()`) but there is no
    ///   `middleware.ts` (or, on Next.js 16+, `proxy.ts`) where Next.js loads it — at the project
    ///   root, or in `src/` when the app lives in `src/app` / `src/pages`;
    /// - the file exists in a place Next.js ignores: `app/middleware.ts`, `src/app/middleware.ts`,
    ///   a root file while the code lives in `src/app`, `proxy.ts` before Next.js 16;
    /// - both `middleware.ts` and `proxy.ts` exist on Next.js 16+ (`next build` fails);
    /// - the loaded file never calls `clerkMiddleware()` / `authMiddleware()`.
    ///
    /// Files in `scripts/`, `examples/` or template folders are not middleware candidates and
    /// are never reported.
    ///
    /// ## Why is this bad?
    ///
    /// Without the middleware nothing is protected by it, and every `auth()` call throws
    /// "Clerk: auth() was called but Clerk can't detect usage of clerkMiddleware()".
    ///
    /// ## Example
    ///
    /// ```text
    /// src/app/middleware.ts   ← ignored by Next.js
    /// src/app/dashboard/page.tsx
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```text
    /// src/middleware.ts       ← next to src/app (proxy.ts on Next.js 16+)
    /// src/app/dashboard/page.tsx
    /// ```
    ///
    /// ## Fix safety
    ///
    /// When no middleware file exists, the fix creates one where Next.js loads it, with
    /// `clerkMiddleware()` and Clerk's recommended matcher for the installed versions
    /// (`authMiddleware` on v4). Creating the file is expressed as an insertion at offset 0 of
    /// a file that does not exist yet; `clerkguard check --fix` and the language server create
    /// it. The fix is **unsafe** (on v4 `authMiddleware` protects every route by default).
    /// Misplaced or conflicting files get no fix: move or delete them by hand (relative imports
    /// inside the file may need adjusting).
    pub MiddlewareNotLoaded {
        id: "middleware-not-loaded",
        category: Routing,
        severity: Error,
        fix: Unsafe,
        summary: "Next.js does not load a Clerk middleware for this app",
    }
}

impl Rule for MiddlewareNotLoaded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let routing = ctx.index.routing();
        let location = &routing.location;
        let call_range = |file| routing.middleware_at(file).and_then(|m| m.call_range).unwrap_or_default();
        let rel = |p: &std::path::Path| p.strip_prefix(&ctx.index.root).unwrap_or(p).display().to_string();

        if let Some(misplaced) = location.misplaced.iter().find(|m| m.path == ctx.path) {
            if ctx.project.clerk.is_none() {
                return;
            }
            let why = match misplaced.reason {
                MisplacedReason::InsideAppDir => "it is inside the app directory".to_string(),
                MisplacedReason::RootWhileSrc => "the app lives in `src/`".to_string(),
                MisplacedReason::SrcWhileRoot => "the app directory is at the project root".to_string(),
                MisplacedReason::ProxyBeforeNext16 => "Next.js before 16 only loads `middleware.*`".to_string(),
            };
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    call_range(ctx.path),
                    format!("Next.js never loads this file: {why}; move it to `{}`", rel(&misplaced.expected)),
                )
                .with_help("Until it moves, no route is protected by it and Clerk's helpers throw"),
            );
            return;
        }
        if let Some((middleware, proxy)) = &location.conflict
            && middleware == ctx.path
        {
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    call_range(ctx.path),
                    format!("Both `{}` and `{}` exist: Next.js 16 fails the build", rel(middleware), rel(proxy)),
                )
                .with_help("Keep only `proxy.ts` (move what this file does into it)")
                .with_related(RelatedInfo {
                    path: proxy.clone(),
                    range: call_range(proxy),
                    message: "the proxy file".into(),
                }),
            );
            return;
        }
        if let Some(model) = &routing.middleware {
            if model.file == ctx.path && model.kind == MiddlewareKind::NotClerk && ctx.project.clerk.is_some() {
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        TextRange::default(),
                        "This middleware never calls `clerkMiddleware()`: Clerk's helpers throw on every route",
                    )
                    .with_help("Export `clerkMiddleware()` (or wrap the existing logic in its handler)"),
                );
            }
            return;
        }
        // Only a Next.js app (with an app/ or pages/ directory) loads middleware; a shared
        // package importing `auth` is checked in the apps that use it.
        let is_app =
            ctx.project.next.is_some() && (ctx.index.routes.app_dir.is_some() || ctx.index.routes.pages_dir.is_some());
        if !location.misplaced.is_empty() || !is_app {
            return;
        }
        // Reported where requests arrive: on route files (pages, route handlers, API routes).
        if routing.route_for(ctx.path).is_none() {
            return;
        }
        let Some((range, helper)) = clerk_helper_import(ctx.semantics) else { return };
        let fix = create_fix(ctx, location.proxy_era, &location.expected_dir);
        out.push(
            ctx.diagnostic(
                &Self::META,
                range,
                format!(
                    "`{helper}` needs `clerkMiddleware()`, but this app has no middleware file: it throws at runtime"
                ),
            )
            .with_help(format!(
                "Create `{}` exporting `clerkMiddleware()` with Clerk's recommended matcher",
                rel(&location.expected_dir.join(if location.proxy_era { "proxy.ts" } else { "middleware.ts" }))
            ))
            .with_fix(fix),
        );
    }
}

/// The file to create and its text, for the installed versions.
fn create_fix(ctx: &FileContext<'_>, proxy_era: bool, dir: &std::path::Path) -> Option<Fix> {
    let ext = match ctx.path.extension().and_then(|e| e.to_str()) {
        Some("ts" | "tsx" | "mts" | "cts") => "ts",
        _ => "js",
    };
    let name = format!("{}.{ext}", if proxy_era { "proxy" } else { "middleware" });
    let path = dir.join(&name);
    if path.exists() {
        return None;
    }
    let text = middleware_source(ctx.project.clerk_major(), &ctx.style());
    Some(Fix::unsafe_(format!("Create `{name}` with `clerkMiddleware()`"), vec![Edit::insert(0, text).in_file(path)]))
}

/// A middleware file for `@clerk/nextjs` `clerk_major`, in the project's style.
pub fn middleware_source(clerk_major: u64, style: &FileStyle) -> String {
    let q = style.quote;
    let semi = style.semi();
    let indent = &style.indent_unit;
    let matcher: Vec<String> =
        recommended_matcher(clerk_major).into_iter().map(|m| format!("{indent}{indent}{},", js_string(m, q))).collect();
    let (import, export) = if clerk_major < 5 {
        (
            format!("import {{ authMiddleware }} from {}{semi}", js_string("@clerk/nextjs", q)),
            format!("export default authMiddleware({{ publicRoutes: [{}] }}){semi}", js_string("/", q)),
        )
    } else {
        (
            format!("import {{ clerkMiddleware }} from {}{semi}", js_string("@clerk/nextjs/server", q)),
            format!("export default clerkMiddleware(){semi}"),
        )
    };
    format!(
        "{import}\n\n{export}\n\nexport const config = {{\n{indent}matcher: [\n{}\n{indent}],\n}}{semi}\n",
        matcher.join("\n")
    )
}

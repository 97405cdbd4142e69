//! The middleware model: which requests the Clerk handler rejects, and which file Next.js loads.

use std::path::{Path, PathBuf};

use clerkguard_project::matcher::NextOptions;
use clerkguard_project::middleware::{MiddlewareKind, MiddlewareModel, MisplacedReason, Verdict, locate_middleware};
use clerkguard_project::{DependencyVersion, ProjectInfo, RouteOptions, RouteTable};

fn project(clerk: &str) -> ProjectInfo {
    ProjectInfo { clerk: Some(DependencyVersion::new("@clerk/nextjs", clerk)), ..Default::default() }
}

fn model(clerk: &str, text: &str) -> MiddlewareModel {
    let no_imports = |_: &Path, _: &str| None;
    MiddlewareModel::analyze(
        Path::new("/app/middleware.ts"),
        text,
        &project(clerk),
        &NextOptions::default(),
        &no_imports,
    )
}

fn protected(model: &MiddlewareModel, path: &str) -> bool {
    matches!(model.verdict(path), Verdict::Protected { .. })
}

#[test]
fn protect_list_with_awaited_protect() {
    let m = model(
        "6.39.3",
        r#"import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isProtectedRoute = createRouteMatcher(["/dashboard(.*)"]);
export default clerkMiddleware(async (auth, req) => { if (isProtectedRoute(req)) await auth.protect(); });"#,
    );
    assert_eq!(m.kind, MiddlewareKind::ClerkMiddleware);
    assert!(protected(&m, "/dashboard/settings"));
    assert!(!protected(&m, "/"));
    assert!(!m.is_deny_by_default());
}

#[test]
fn unawaited_protect_on_v6_protects_nothing_but_v5_sync_protect_does() {
    let v6 = model(
        "6.39.3",
        r#"import { clerkMiddleware } from "@clerk/nextjs/server";
export default clerkMiddleware(async (auth) => { auth.protect(); });"#,
    );
    assert!(!protected(&v6, "/x"));
    let v5 = model(
        "5.7.6",
        r#"import { clerkMiddleware } from "@clerk/nextjs/server";
export default clerkMiddleware((auth) => { auth().protect(); });"#,
    );
    assert!(protected(&v5, "/x"));
    let returned = model(
        "7.2.4",
        r#"import { clerkMiddleware } from "@clerk/nextjs/server";
export default clerkMiddleware((auth) => auth.protect());"#,
    );
    assert!(protected(&returned, "/x"));
}

#[test]
fn deny_by_default_with_redirect_to_sign_in_and_early_return() {
    let m = model(
        "6.39.3",
        r#"import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isPublic = createRouteMatcher(["/", "/sign-in(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  const { userId, redirectToSignIn } = await auth();
  if (!isPublic(req) && !userId) return redirectToSignIn();
});"#,
    );
    assert!(m.is_deny_by_default());
    assert!(protected(&m, "/dashboard"));
    assert!(!protected(&m, "/sign-in/factor-one"));
    let early = model(
        "6.39.3",
        r#"import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isPublic = createRouteMatcher(["/"]);
export default clerkMiddleware(async (auth, req) => {
  if (isPublic(req)) return;
  try { await auth.protect(); } catch (e) { console.log(e); }
});"#,
    );
    // The catch swallows the rejection.
    assert!(!protected(&early, "/dashboard"));
}

#[test]
fn bare_clerk_middleware_and_auth_middleware() {
    let bare = model(
        "6.39.3",
        "import { clerkMiddleware } from \"@clerk/nextjs/server\";\nexport default clerkMiddleware();\n",
    );
    assert!(!protected(&bare, "/dashboard"));
    let v4 = model(
        "4.29.3",
        r#"import { authMiddleware } from "@clerk/nextjs";
export default authMiddleware({ publicRoutes: ["/"], ignoredRoutes: ["/api/health"] });
export const config = { matcher: ["/((?!.+\\.[\\w]+$|_next).*)", "/", "/(api|trpc)(.*)"] };"#,
    );
    assert_eq!(v4.kind, MiddlewareKind::AuthMiddleware);
    assert!(protected(&v4, "/dashboard"));
    assert!(!protected(&v4, "/"));
    assert!(v4.runs_for("/api/health") == clerkguard_project::matcher::Match::No);
}

#[test]
fn dynamic_matcher_is_recorded_as_not_static() {
    let m = model(
        "6.39.3",
        r#"import { clerkMiddleware } from "@clerk/nextjs/server";
const paths = ["/a"];
export default clerkMiddleware();
export const config = { matcher: paths };"#,
    );
    assert!(matches!(m.matcher, clerkguard_project::middleware::MatcherConfig::NotStatic { .. }));
    assert_eq!(m.runs_for("/a"), clerkguard_project::matcher::Match::Unknown);
}

fn locate(files: &[&str], next: &str) -> clerkguard_project::middleware::MiddlewareLocation {
    let root = PathBuf::from("/r");
    let files: Vec<PathBuf> = files.iter().map(|f| root.join(f)).collect();
    let table = RouteTable::build(&root, &files, &RouteOptions::default());
    let version = semver::Version::parse(next).ok();
    locate_middleware(&root, &files, &table, version.as_ref(), &RouteOptions::default().page_extensions)
}

#[test]
fn which_file_next_loads() {
    let src = locate(&["src/app/page.tsx", "src/middleware.ts", "scripts/middleware.ts"], "15.5.16");
    assert_eq!(src.loaded, Some(PathBuf::from("/r/src/middleware.ts")));
    assert!(src.misplaced.is_empty());
    let misplaced = locate(&["src/app/page.tsx", "src/app/middleware.ts", "middleware.ts"], "15.5.16");
    assert_eq!(misplaced.loaded, None);
    let reasons: Vec<_> = misplaced.misplaced.iter().map(|m| m.reason).collect();
    assert!(reasons.contains(&MisplacedReason::InsideAppDir) && reasons.contains(&MisplacedReason::RootWhileSrc));
    let both = locate(&["app/page.tsx", "middleware.ts", "proxy.ts"], "16.2.5");
    assert!(both.conflict.is_some());
    assert_eq!(both.loaded, Some(PathBuf::from("/r/proxy.ts")));
    let early_proxy = locate(&["app/page.tsx", "proxy.ts"], "15.5.16");
    assert_eq!(early_proxy.misplaced[0].reason, MisplacedReason::ProxyBeforeNext16);
}

//! Route tables built from temp-dir Next.js layouts.

use std::fs;
use std::path::{Path, PathBuf};

use clerkguard_project::matcher::{
    ClerkMatcherOptions, ClerkRouteMatcher, Match, NextMatcher, NextMatcherEntry, RouteMatcherParam,
};
use clerkguard_project::{RouteKind, RouteOptions, RouteTable};

/// Creates `files` under a fresh temp dir; returns the dir and the absolute paths.
fn tree(files: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = files
        .iter()
        .map(|rel| {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, "export default function X() {}\n").expect("write");
            path
        })
        .collect();
    (dir, paths)
}

fn build(files: &[&str], options: &RouteOptions) -> (tempfile::TempDir, RouteTable) {
    let (dir, paths) = tree(files);
    let table = RouteTable::build(dir.path(), &paths, options);
    (dir, table)
}

/// `(kind, url, file relative to root)` for every route.
fn summary(root: &Path, table: &RouteTable) -> Vec<(RouteKind, String, String)> {
    table
        .routes
        .iter()
        .map(|r| {
            let rel = r.file.strip_prefix(root).unwrap_or(&r.file).to_string_lossy().replace('\\', "/");
            (r.kind, r.url_pattern.clone(), rel)
        })
        .collect()
}

fn urls(table: &RouteTable) -> Vec<&str> {
    table.routes.iter().map(|r| r.url_pattern.as_str()).collect()
}

#[test]
fn app_router_layout_rules() {
    let (dir, table) = build(
        &[
            "app/layout.tsx",
            "app/page.tsx",
            "app/(marketing)/about/page.tsx",
            "app/dashboard/layout.tsx",
            "app/dashboard/page.tsx",
            "app/dashboard/settings/page.tsx",
            "app/dashboard/@team/members/page.tsx",
            "app/dashboard/utils.ts",
            "app/users/[id]/page.tsx",
            "app/docs/[...slug]/page.tsx",
            "app/shop/[[...slug]]/page.tsx",
            "app/_components/page.tsx",
            "app/settings/_lib/route.ts",
            "app/%5Fmeta/page.tsx",
            "app/api/webhooks/route.ts",
            "app/feed/page.tsx",
            "app/feed/@modal/(..)photo/[id]/page.tsx",
            "app/photo/[id]/page.tsx",
            "app/notes.mdx",
        ],
        &RouteOptions::default(),
    );
    let s = summary(dir.path(), &table);
    let expect = |kind, url: &str, file: &str| (kind, url.to_string(), file.to_string());
    assert_eq!(
        s,
        vec![
            expect(RouteKind::Page, "/", "app/page.tsx"),
            expect(RouteKind::Page, "/_meta", "app/%5Fmeta/page.tsx"),
            expect(RouteKind::Page, "/about", "app/(marketing)/about/page.tsx"),
            expect(RouteKind::RouteHandler, "/api/webhooks", "app/api/webhooks/route.ts"),
            expect(RouteKind::Page, "/dashboard", "app/dashboard/page.tsx"),
            expect(RouteKind::Page, "/dashboard/members", "app/dashboard/@team/members/page.tsx"),
            expect(RouteKind::Page, "/dashboard/settings", "app/dashboard/settings/page.tsx"),
            expect(RouteKind::Page, "/docs/[...slug]", "app/docs/[...slug]/page.tsx"),
            expect(RouteKind::Page, "/feed", "app/feed/page.tsx"),
            expect(RouteKind::Page, "/photo/[id]", "app/feed/@modal/(..)photo/[id]/page.tsx"),
            expect(RouteKind::Page, "/photo/[id]", "app/photo/[id]/page.tsx"),
            expect(RouteKind::Page, "/shop/[[...slug]]", "app/shop/[[...slug]]/page.tsx"),
            expect(RouteKind::Page, "/users/[id]", "app/users/[id]/page.tsx"),
        ]
    );

    let intercepting: Vec<_> = table.routes.iter().filter(|r| r.intercepting).map(|r| r.url_pattern.as_str()).collect();
    assert_eq!(intercepting, ["/photo/[id]"]);
    let members = table.routes.iter().find(|r| r.url_pattern == "/dashboard/members").unwrap();
    assert_eq!(members.slots, ["team"]);

    let settings = table.routes.iter().find(|r| r.url_pattern == "/dashboard/settings").unwrap();
    let layouts: Vec<_> = settings.layouts.iter().map(|l| l.strip_prefix(dir.path()).unwrap().to_path_buf()).collect();
    assert_eq!(layouts, [PathBuf::from("app/layout.tsx"), PathBuf::from("app/dashboard/layout.tsx")]);
    let prefixes: Vec<_> = table.layouts.iter().map(|l| l.url_prefix.as_str()).collect();
    assert_eq!(prefixes, ["/", "/dashboard"]);

    let shop = table.routes.iter().find(|r| r.url_pattern == "/shop/[[...slug]]").unwrap();
    assert_eq!(shop.samples, ["/shop", "/shop/__slug__", "/shop/__slug__/__slug_2__"]);
    let docs = table.routes.iter().find(|r| r.url_pattern == "/docs/[...slug]").unwrap();
    assert_eq!(docs.samples, ["/docs/__slug__", "/docs/__slug__/__slug_2__"]);
    assert_eq!(table.app_dir.as_deref(), Some(dir.path().join("app").as_path()));
    assert_eq!(table.routes_under("/dashboard").count(), 3);
}

#[test]
fn src_app_only_without_root_app() {
    let (dir, table) = build(&["app/page.tsx", "src/app/admin/page.tsx"], &RouteOptions::default());
    assert_eq!(urls(&table), ["/"]);
    assert_eq!(table.app_dir, Some(dir.path().join("app")));

    let (dir, table) = build(&["src/app/admin/page.tsx", "src/middleware.ts"], &RouteOptions::default());
    assert_eq!(urls(&table), ["/admin"]);
    assert_eq!(table.app_dir, Some(dir.path().join("src/app")));

    // Each router directory is chosen on its own: root `pages`, `src/app`.
    let (_dir, table) =
        build(&["pages/legacy.tsx", "src/app/new/page.tsx", "src/pages/ignored.tsx"], &RouteOptions::default());
    assert_eq!(urls(&table), ["/legacy", "/new"]);
}

#[test]
fn pages_router_rules() {
    let (dir, table) = build(
        &[
            "pages/_app.tsx",
            "pages/_document.tsx",
            "pages/_error.tsx",
            "pages/index.tsx",
            "pages/404.tsx",
            "pages/blog/index.tsx",
            "pages/blog/[slug].tsx",
            "pages/docs/[...path].tsx",
            "pages/api/index.ts",
            "pages/api/admin/do-thing.ts",
            "pages/api/users/[id].ts",
            "pages/types.d.ts",
            "pages/readme.md",
        ],
        &RouteOptions::default(),
    );
    let s = summary(dir.path(), &table);
    let expect = |kind, url: &str, file: &str| (kind, url.to_string(), file.to_string());
    assert_eq!(
        s,
        vec![
            expect(RouteKind::PagesPage, "/", "pages/index.tsx"),
            expect(RouteKind::PagesPage, "/404", "pages/404.tsx"),
            expect(RouteKind::PagesApi, "/api", "pages/api/index.ts"),
            expect(RouteKind::PagesApi, "/api/admin/do-thing", "pages/api/admin/do-thing.ts"),
            expect(RouteKind::PagesApi, "/api/users/[id]", "pages/api/users/[id].ts"),
            expect(RouteKind::PagesPage, "/blog", "pages/blog/index.tsx"),
            expect(RouteKind::PagesPage, "/blog/[slug]", "pages/blog/[slug].tsx"),
            expect(RouteKind::PagesPage, "/docs/[...path]", "pages/docs/[...path].tsx"),
        ]
    );
}

#[test]
fn pages_api_route_against_matchers() {
    let (_dir, table) = build(&["pages/api/admin/do-thing.ts", "pages/index.tsx"], &RouteOptions::default());
    let route = table.routes.iter().find(|r| r.kind == RouteKind::PagesApi).unwrap();
    assert_eq!(route.url_pattern, "/api/admin/do-thing");
    assert_eq!(route.samples, ["/api/admin/do-thing"]);

    let options = RouteOptions::default().next_options(&semver::Version::new(15, 5, 15));
    let default: Vec<NextMatcherEntry> = [
        r"/((?!_next|[^?]*\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
        "/(api|trpc)(.*)",
    ]
    .into_iter()
    .map(NextMatcherEntry::new)
    .collect();
    let matcher = NextMatcher::compile(&default, &options).unwrap();
    assert_eq!(matcher.matches(&route.samples[0]), Match::Yes);
    let pages_only = NextMatcher::compile(&["/dashboard/:path*".into()], &options).unwrap();
    assert_eq!(pages_only.matches(&route.samples[0]), Match::No);

    let admin =
        ClerkRouteMatcher::new(&[RouteMatcherParam::Path("/api/admin(.*)".into())], ClerkMatcherOptions::default())
            .unwrap();
    assert_eq!(admin.matches(&route.samples[0]), Match::Yes);
}

#[test]
fn custom_page_extensions() {
    let options = RouteOptions { page_extensions: vec!["page.tsx".into(), "api.ts".into()], ..Default::default() };
    let (_dir, table) = build(
        &[
            "pages/index.page.tsx",
            "pages/components/Button.tsx",
            "pages/api/hook.api.ts",
            "pages/api/helper.ts",
            "app/x/page.page.tsx",
            "app/y/page.tsx",
        ],
        &options,
    );
    assert_eq!(urls(&table), ["/", "/api/hook", "/x"]);
}

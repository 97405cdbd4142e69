//! Finding Next.js projects and workspace roots in monorepo layouts.

use std::path::PathBuf;

use clerkguard_project::{find_project_root, find_project_roots, find_workspace_root, workspace_packages};

mod support;

use support::tree;

const NEXT_APP: &str = r#"{ "dependencies": { "next": "15.2.4" } }"#;
const CLERK_APP: &str = r#"{ "devDependencies": { "@clerk/nextjs": "^6.0.0" } }"#;

fn monorepo() -> (tempfile::TempDir, PathBuf) {
    tree(&[
        (
            "package.json",
            r#"{ "name": "repo", "workspaces": { "packages": ["apps/*", "packages/**", "!packages/ignored"] } }"#,
        ),
        ("apps/web/package.json", NEXT_APP),
        ("apps/web/app/page.tsx", "export default function Page() {}"),
        ("apps/admin/package.json", CLERK_APP),
        ("apps/docs/package.json", r#"{ "name": "docs", "dependencies": { "astro": "4" } }"#),
        ("packages/auth/package.json", r#"{ "name": "@acme/auth" }"#),
        ("packages/nested/deep/package.json", r#"{ "name": "@acme/deep" }"#),
        ("packages/ignored/package.json", r#"{ "name": "@acme/ignored" }"#),
        ("packages/noname/package.json", r#"{ "private": true }"#),
        ("node_modules/next/package.json", r#"{ "name": "next", "dependencies": { "next": "1" } }"#),
        ("apps/web/.next/package.json", NEXT_APP),
        ("apps/web/node_modules/x/package.json", NEXT_APP),
        ("broken/package.json", "{ \"dependencies\": { \"next\""),
    ])
}

#[test]
fn every_next_app_in_a_monorepo() {
    let (_dir, root) = monorepo();
    assert_eq!(find_project_roots([&root]), [root.join("apps/admin"), root.join("apps/web")]);
    // A path inside a project yields that project; duplicates collapse.
    assert_eq!(
        find_project_roots([root.join("apps/web/app/page.tsx"), root.join("apps/web/app"), root.join("apps/web")]),
        [root.join("apps/web")]
    );
    assert!(find_project_roots([root.join("packages")]).is_empty());
    assert!(find_project_roots([root.join("does/not/exist")]).is_empty());
    assert_eq!(find_project_root(&root.join("apps/web/app/page.tsx")), Some(root.join("apps/web")));
}

#[test]
fn workspace_root_and_packages() {
    let (_dir, root) = monorepo();
    assert_eq!(find_workspace_root(&root.join("apps/web")), Some(root.clone()));
    let names: Vec<String> = workspace_packages(&root).into_iter().map(|p| p.name).collect();
    // Named packages only (the apps here have no `name`), negated globs excluded.
    assert_eq!(names, ["docs", "@acme/auth", "@acme/deep"]);
}

#[test]
fn pnpm_workspace_yaml_marks_the_root() {
    let (_dir, root) = tree(&[
        ("pnpm-workspace.yaml", "packages:\n  # apps\n  - \"apps/*\"\n  - 'packages/*' # libs\n"),
        ("apps/web/package.json", NEXT_APP),
        ("packages/ui/package.json", r#"{ "name": "@acme/ui" }"#),
    ]);
    assert_eq!(find_workspace_root(&root.join("apps/web")), Some(root.clone()));
    let names: Vec<String> = workspace_packages(&root).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["@acme/ui"]);
}

#[test]
fn standalone_app_without_markers_has_no_workspace_root() {
    let (_dir, root) = tree(&[("package.json", NEXT_APP)]);
    assert_eq!(find_workspace_root(&root), None);
    assert_eq!(find_project_roots([&root]), std::slice::from_ref(&root));
}

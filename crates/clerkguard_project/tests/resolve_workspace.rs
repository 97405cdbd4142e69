//! Resolving workspace packages of a monorepo through `exports`, `main`/`module` and `index`,
//! preferring the package's source over its build output.

use std::path::PathBuf;

use clerkguard_project::{Resolution, Resolver, load_project};

mod support;

use support::tree;

fn monorepo() -> (tempfile::TempDir, PathBuf) {
    tree(&[
        ("package.json", r#"{ "name": "repo", "private": true, "workspaces": ["apps/*", "packages/*"] }"#),
        (
            "apps/web/package.json",
            r#"{ "name": "web", "dependencies": { "next": "15.2.4", "@acme/auth": "workspace:*" } }"#,
        ),
        ("apps/web/tsconfig.json", r#"{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }"#),
        ("apps/web/src/app/page.tsx", ""),
        ("apps/web/src/lib/db.ts", ""),
        (
            "packages/auth/package.json",
            r#"{
              "name": "@acme/auth",
              "exports": {
                ".": { "types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.cjs" },
                "./server": { "types": "./dist/server.d.ts", "default": "./dist/server.js" },
                "./utils/*": "./src/utils/*.ts",
                "./built": "./dist/built.js",
                "./package.json": "./package.json"
              }
            }"#,
        ),
        ("packages/auth/tsconfig.json", r#"{ "compilerOptions": { "paths": { "@/*": ["./src/internal/*"] } } }"#),
        ("packages/auth/src/index.ts", ""),
        ("packages/auth/src/server.ts", ""),
        ("packages/auth/src/utils/session.ts", ""),
        ("packages/auth/src/internal/db.ts", ""),
        ("packages/auth/dist/index.mjs", ""),
        ("packages/auth/dist/index.d.ts", ""),
        ("packages/auth/dist/built.js", ""),
        ("packages/ui/package.json", r#"{ "name": "@acme/ui", "main": "./index.js" }"#),
        ("packages/ui/index.js", ""),
        ("packages/ui/button.tsx", ""),
        (
            "packages/config/package.json",
            r#"{ "name": "@acme/config", "main": "dist/index.js", "types": "dist/index.d.ts" }"#,
        ),
        ("packages/config/src/index.ts", ""),
        ("packages/plain/package.json", r#"{ "name": "plain", "exports": "./lib/main.js" }"#),
        ("packages/plain/src/main.ts", ""),
        ("packages/bare/package.json", r#"{ "name": "bare" }"#),
        ("packages/bare/index.ts", ""),
    ])
}

#[test]
fn workspace_packages_resolve_to_their_source() {
    let (_dir, root) = monorepo();
    let project = load_project(&root.join("apps/web"));
    assert_eq!(project.workspace_root.as_deref(), Some(root.as_path()));
    let resolver = Resolver::new(&project);
    let from = root.join("apps/web/src/app/page.tsx");
    let file = |p: &str| Resolution::File(root.join(p));
    // `exports` conditions, mapped from dist back to src.
    assert_eq!(resolver.resolve(&from, "@acme/auth"), file("packages/auth/src/index.ts"));
    assert_eq!(resolver.resolve(&from, "@acme/auth/server"), file("packages/auth/src/server.ts"));
    assert_eq!(resolver.resolve(&from, "@acme/auth/utils/session"), file("packages/auth/src/utils/session.ts"));
    // No source to map back to: the build output itself.
    assert_eq!(resolver.resolve(&from, "@acme/auth/built"), file("packages/auth/dist/built.js"));
    assert_eq!(resolver.resolve(&from, "@acme/auth/missing"), Resolution::Unresolved);
    // `main`, with and without a source copy; bare `index`; `exports` as a string.
    assert_eq!(resolver.resolve(&from, "@acme/ui"), file("packages/ui/index.js"));
    assert_eq!(resolver.resolve(&from, "@acme/ui/button"), file("packages/ui/button.tsx"));
    assert_eq!(resolver.resolve(&from, "@acme/config"), file("packages/config/src/index.ts"));
    assert_eq!(resolver.resolve(&from, "plain"), file("packages/plain/src/main.ts"));
    assert_eq!(resolver.resolve(&from, "bare"), file("packages/bare/index.ts"));
    // Not a workspace package.
    assert_eq!(resolver.resolve(&from, "@acme/other"), Resolution::External("@acme/other".into()));
    assert_eq!(resolver.resolve(&from, "@clerk/nextjs/server"), Resolution::External("@clerk/nextjs".into()));
    assert_eq!(resolver.workspace_packages().len(), 6);
}

#[test]
fn files_of_another_package_use_that_packages_tsconfig() {
    let (_dir, root) = monorepo();
    let resolver = Resolver::new(&load_project(&root.join("apps/web")));
    let file = |p: &str| Resolution::File(root.join(p));
    assert_eq!(resolver.resolve(&root.join("apps/web/src/app/page.tsx"), "@/lib/db"), file("apps/web/src/lib/db.ts"));
    assert_eq!(
        resolver.resolve(&root.join("packages/auth/src/server.ts"), "@/db"),
        file("packages/auth/src/internal/db.ts")
    );
}

#[test]
fn garbage_workspace_manifests_are_skipped() {
    let (_dir, root) = tree(&[
        ("package.json", r#"{ "workspaces": ["packages/*", 42, "[invalid"] }"#),
        ("apps/web/package.json", r#"{ "dependencies": { "next": "15" } }"#),
        ("apps/web/page.tsx", ""),
        ("packages/broken/package.json", "{ \"name\": "),
        (
            "packages/weird/package.json",
            r#"{ "name": "weird", "exports": { ".": [null, 7, { "import": ["./x.js"] }] } }"#,
        ),
        ("packages/weird/x.ts", ""),
    ]);
    let resolver = Resolver::new(&load_project(&root.join("apps/web")));
    let from = root.join("apps/web/page.tsx");
    assert_eq!(resolver.resolve(&from, "weird"), Resolution::File(root.join("packages/weird/x.ts")));
    assert_eq!(resolver.resolve(&from, "broken"), Resolution::External("broken".into()));
}

//! `load_project` on real directory trees: package.json spans, lockfile versions per package
//! manager, monorepo layouts, and malformed inputs.

use std::path::Path;

use clerkguard_project::{DependencyKind, VersionReq, load_project};

mod support;

use support::tree;

fn resolved(root: &Path, name: &str) -> Option<String> {
    load_project(root).dependencies.get(name).and_then(|d| d.resolved.as_ref()).map(ToString::to_string)
}

const WEB_PACKAGE: &str = r#"{
  "name": "web",
  "dependencies": {
    "@clerk/nextjs": "^6.0.0",
    "next": "15.2.4"
  },
  "devDependencies": { "typescript": "^5" }
}"#;

#[test]
fn manifest_ranges_point_at_the_declaration() {
    let (_dir, root) = tree(&[("package.json", WEB_PACKAGE)]);
    let info = load_project(&root);
    assert_eq!(info.manifest_path.as_deref(), Some(root.join("package.json").as_path()));
    assert_eq!(info.name.as_deref(), Some("web"));
    let clerk = info.clerk.as_ref().unwrap();
    assert_eq!(clerk.kind, DependencyKind::Dependencies);
    let (start, end) = clerk.manifest_range.unwrap();
    assert_eq!(&WEB_PACKAGE[start as usize..end as usize], r#""@clerk/nextjs": "^6.0.0""#);
    let (start, end) = clerk.version_range.unwrap();
    assert_eq!(&WEB_PACKAGE[start as usize..end as usize], "^6.0.0");
    assert_eq!(info.dependencies["typescript"].kind, DependencyKind::DevDependencies);
    // No lockfile: the range's minimum stands in.
    assert_eq!(clerk.resolved, None);
    assert_eq!(info.clerk_major(), 6);
    assert!(info.lockfile.is_none());
    assert!(info.workspace_root.is_none());
}

#[test]
fn npm_monorepo_prefers_the_nested_copy() {
    let lock = r#"{
      "name": "repo", "lockfileVersion": 3,
      "packages": {
        "": { "name": "repo", "workspaces": ["apps/*"] },
        "apps/web": { "name": "web" },
        "apps/admin": { "name": "admin" },
        "apps/web/node_modules/@clerk/nextjs": { "version": "6.9.0" },
        "node_modules/@clerk/nextjs": { "version": "5.7.1" },
        "node_modules/next": { "version": "15.2.4" },
        "node_modules/typescript": { "version": "5.6.3" }
      }
    }"#;
    let admin = r#"{ "name": "admin", "dependencies": { "@clerk/nextjs": "^5.0.0", "next": "^15.0.0" } }"#;
    let (_dir, root) = tree(&[
        ("package.json", r#"{ "name": "repo", "private": true, "workspaces": ["apps/*"] }"#),
        ("package-lock.json", lock),
        ("apps/web/package.json", WEB_PACKAGE),
        ("apps/admin/package.json", admin),
    ]);
    let web = load_project(&root.join("apps/web"));
    assert_eq!(web.clerk.as_ref().unwrap().resolved.as_ref().unwrap().to_string(), "6.9.0");
    assert_eq!(web.next.as_ref().unwrap().resolved.as_ref().unwrap().to_string(), "15.2.4");
    assert_eq!(web.dependencies["typescript"].resolved.as_ref().unwrap().to_string(), "5.6.3");
    assert_eq!(web.lockfile.as_deref(), Some(root.join("package-lock.json").as_path()));
    assert_eq!(web.workspace_root.as_deref(), Some(root.as_path()));
    assert!(web.clerk_at_least(VersionReq::at_least(6, 0, 0)));
    assert_eq!(resolved(&root.join("apps/admin"), "@clerk/nextjs").as_deref(), Some("5.7.1"));
    assert!(!load_project(&root.join("apps/admin")).clerk_at_least(VersionReq::at_least(6, 0, 0)));
}

#[test]
fn pnpm_importers() {
    let lock = "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n\n  apps/web:\n    dependencies:\n      '@clerk/nextjs':\n        specifier: ^6.0.0\n        version: 6.12.3(next@15.2.4(react-dom@19.0.0(react@19.0.0))(react@19.0.0))(react@19.0.0)\n      next:\n        specifier: 15.2.4\n        version: 15.2.4(react-dom@19.0.0(react@19.0.0))(react@19.0.0)\n    devDependencies:\n      typescript:\n        specifier: ^5\n        version: 5.7.2\n\npackages:\n\n  '@clerk/nextjs@6.12.3':\n    resolution: {integrity: sha512-x}\n";
    let (_dir, root) = tree(&[
        ("package.json", r#"{ "name": "repo", "private": true }"#),
        ("pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n  - 'packages/*'\n"),
        ("pnpm-lock.yaml", lock),
        ("apps/web/package.json", WEB_PACKAGE),
    ]);
    let web = load_project(&root.join("apps/web"));
    assert_eq!(web.clerk.as_ref().unwrap().resolved.as_ref().unwrap().to_string(), "6.12.3");
    assert_eq!(web.next.as_ref().unwrap().resolved.as_ref().unwrap().to_string(), "15.2.4");
    assert_eq!(web.dependencies["typescript"].resolved.as_ref().unwrap().to_string(), "5.7.2");
    assert!(web.clerk_at_least(VersionReq::at_least(6, 12, 0)));
    assert_eq!(web.workspace_root.as_deref(), Some(root.as_path()));
}

#[test]
fn yarn_classic_and_berry() {
    let classic = "# yarn lockfile v1\n\n\"@clerk/nextjs@^6.0.0\":\n  version \"6.9.0\"\n  resolved \"https://registry.yarnpkg.com/x.tgz\"\n\nnext@15.2.4:\n  version \"15.2.4\"\n";
    let (_dir, root) = tree(&[("package.json", WEB_PACKAGE), ("yarn.lock", classic)]);
    assert_eq!(resolved(&root, "@clerk/nextjs").as_deref(), Some("6.9.0"));
    assert_eq!(resolved(&root, "next").as_deref(), Some("15.2.4"));
    assert_eq!(load_project(&root).workspace_root.as_deref(), Some(root.as_path()));

    let berry = "__metadata:\n  version: 8\n\n\"@clerk/nextjs@npm:^6.0.0\":\n  version: 7.0.0-snapshot.v20260301\n  resolution: \"@clerk/nextjs@npm:7.0.0-snapshot.v20260301\"\n\n\"next@npm:15.2.4\":\n  version: 15.2.4\n";
    let (_dir, root) = tree(&[("package.json", WEB_PACKAGE), ("yarn.lock", berry)]);
    let info = load_project(&root);
    assert_eq!(info.clerk.as_ref().unwrap().resolved.as_ref().unwrap().to_string(), "7.0.0-snapshot.v20260301");
    assert_eq!(info.clerk_major(), 7);
    assert!(info.clerk_at_least(VersionReq::at_least(7, 0, 0)));
}

#[test]
fn bun_text_lockfile_and_binary_one() {
    let lock = r#"{
  "lockfileVersion": 1,
  "workspaces": { "": { "name": "web", "dependencies": { "@clerk/nextjs": "^6.0.0", "next": "15.2.4", }, }, },
  "packages": {
    "@clerk/nextjs": ["@clerk/nextjs@6.20.0", "", {}, "sha512-x"],
    "next": ["next@15.2.4", "", {}, "sha512-y"],
  }
}"#;
    let (_dir, root) = tree(&[("package.json", WEB_PACKAGE), ("bun.lock", lock)]);
    assert_eq!(resolved(&root, "@clerk/nextjs").as_deref(), Some("6.20.0"));
    let (_dir, root) = tree(&[("package.json", WEB_PACKAGE), ("bun.lockb", "\0\u{1}binary")]);
    let info = load_project(&root);
    assert_eq!(info.clerk.as_ref().unwrap().resolved, None);
    assert_eq!(info.clerk_major(), 6);
}

#[test]
fn lockfile_in_an_ancestor_of_a_nested_app() {
    let lock = r#"{ "lockfileVersion": 3, "packages": { "node_modules/@clerk/nextjs": { "version": "6.3.1" } } }"#;
    let (_dir, root) = tree(&[("package-lock.json", lock), ("apps/site/web/package.json", WEB_PACKAGE)]);
    assert_eq!(resolved(&root.join("apps/site/web"), "@clerk/nextjs").as_deref(), Some("6.3.1"));
}

#[test]
fn malformed_inputs_degrade_to_unknown() {
    let garbage: &[(&str, &str)] = &[
        ("a/package.json", "{ \"dependencies\": { \"@clerk/nextjs\": "),
        ("a/package-lock.json", "{ \"packages\": { \"node_modules/@clerk/nextjs\": { \"vers"),
        ("b/package.json", "\u{feff}{\"dependencies\": {\"next\": 15, \"@clerk/nextjs\": \"^6\"}}"),
        (
            "b/pnpm-lock.yaml",
            "importers:\n  .:\n    dependencies:\n      '@clerk/nextjs':\n        version: 'garbage(((\n",
        ),
        ("c/package.json", "not json at all"),
        ("c/yarn.lock", "\"@clerk/nextjs@^6\":\n  version"),
        ("d/package.json", "[1, 2, 3]"),
        ("d/bun.lock", "{{{{"),
    ];
    let (_dir, root) = tree(garbage);
    let a = load_project(&root.join("a"));
    assert!(a.clerk.is_none());
    let b = load_project(&root.join("b"));
    assert!(b.next.is_none(), "a non-string range is not a dependency");
    assert_eq!(b.clerk.as_ref().unwrap().resolved, None);
    assert_eq!(b.clerk.as_ref().unwrap().version_range.map(|(s, e)| e - s), Some(2));
    assert!(load_project(&root.join("c")).dependencies.is_empty());
    assert!(load_project(&root.join("d")).dependencies.is_empty());
    assert!(load_project(&root.join("missing")).manifest_path.is_none());
}

#[test]
fn large_lockfile_is_read() {
    let mut lock = String::from("{ \"lockfileVersion\": 3, \"packages\": {\n");
    for i in 0..50_000 {
        lock.push_str(&format!("  \"node_modules/pkg-{i}\": {{ \"version\": \"1.0.{i}\" }},\n"));
    }
    lock.push_str("  \"node_modules/@clerk/nextjs\": { \"version\": \"6.9.0\" }\n} }");
    let (_dir, root) = tree(&[("package.json", WEB_PACKAGE), ("package-lock.json", &lock)]);
    let started = std::time::Instant::now();
    assert_eq!(resolved(&root, "@clerk/nextjs").as_deref(), Some("6.9.0"));
    assert!(started.elapsed().as_secs() < 10);
}

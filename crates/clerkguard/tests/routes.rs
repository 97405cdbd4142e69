//! `clerkguard routes` on the routing fixture apps (insta snapshots).

mod common;

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").canonicalize().expect("fixtures")
}

fn routes(app: &str, format: &str) -> String {
    let run = common::run_in(&fixtures(), &["routes", app, "--format", format]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.stdout
}

#[test]
fn table_for_deny_by_default_app() {
    insta::assert_snapshot!(routes("routing-v6-deny-by-default", "table"));
}

#[test]
fn table_for_pages_api_outside_an_app_only_matcher() {
    insta::assert_snapshot!(routes("routing-pages-outside-matcher", "table"));
}

#[test]
fn markdown_for_auth_middleware_app() {
    insta::assert_snapshot!(routes("routing-v4-auth-middleware", "markdown"));
}

#[test]
fn json_for_protect_list_app() {
    insta::assert_snapshot!(routes("routing-v5-protect-list", "json"));
}

#[test]
fn no_app_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = common::run_in(dir.path(), &["routes"]);
    assert_eq!(run.code, 2);
}

#[test]
fn fix_creates_the_missing_middleware_file() {
    let project = common::Project::new();
    project.write(
        "app/dashboard/page.tsx",
        "import { auth } from \"@clerk/nextjs/server\";\n\nexport default async function Page() {\n  const { userId } = await auth();\n  return <p>{userId}</p>;\n}\n",
    );
    let run = project.run(&["check", "--fix", "--unsafe-fixes", "--format", "json"]);
    assert!(project.path("middleware.ts").is_file(), "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    let created = project.read("middleware.ts");
    assert!(created.contains("export default clerkMiddleware();"), "{created}");
    assert!(!run.stdout.contains("middleware-not-loaded"), "{}", run.stdout);
}

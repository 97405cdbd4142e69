//! The workspace re-lints exactly what depends on a change: editing a guard helper reaches the
//! files that import it (through re-exports too), and package.json reaches the whole project.

use std::fs;
use std::path::{Path, PathBuf};

use clerkguard_linter::Workspace;

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

const GUARD: &str = "import { auth } from '@clerk/nextjs/server';\nexport async function requireUser() {\n  const { userId } = await auth();\n  if (!userId) throw new Error('no');\n  return userId;\n}\n";
const NOT_A_GUARD: &str = "import { auth } from '@clerk/nextjs/server';\nexport async function requireUser() {\n  const { userId } = await auth();\n  return userId;\n}\n";
const ACTION: &str = "'use server';\nimport { requireUser } from '@/lib';\nimport { db } from '@/lib/db';\nexport async function remove(id: string) {\n  await requireUser();\n  await db.post.delete({ where: { id } });\n}\n";

fn project() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(&root, "package.json", r#"{"dependencies":{"@clerk/nextjs":"^6.30.0","next":"15.2.4"}}"#);
    write(&root, "tsconfig.json", r#"{"compilerOptions":{"baseUrl":".","paths":{"@/*":["./*"]}}}"#);
    write(&root, "lib/index.ts", "export * from './guards';\n");
    let guard = write(&root, "lib/guards.ts", GUARD);
    write(&root, "lib/db.ts", "export const db = {} as any;\n");
    let action = write(&root, "app/actions.ts", ACTION);
    let unrelated = write(&root, "app/other.ts", "export const x = 1;\n");
    (dir, guard, action, unrelated)
}

fn rules(ws: &Workspace, path: &Path) -> Vec<String> {
    ws.lint_path(path).0.diagnostics.into_iter().map(|d| d.rule).collect()
}

#[test]
fn editing_a_guard_helper_relints_its_importers_only() {
    let (_dir, guard, action, unrelated) = project();
    let ws = Workspace::new(vec![guard.parent().unwrap().parent().unwrap().to_path_buf()]);
    assert!(rules(&ws, &action).is_empty(), "guarded through a re-exported helper");
    rules(&ws, &unrelated);

    let affected = ws.set_overlay(&guard, Some(NOT_A_GUARD));
    assert!(affected.contains(&action), "importer must be re-linted: {affected:?}");
    assert!(!affected.contains(&unrelated), "unrelated files stay: {affected:?}");
    assert_eq!(rules(&ws, &action), ["server-action-missing-auth"]);

    let affected = ws.set_overlay(&guard, None);
    assert!(affected.contains(&action));
    assert!(rules(&ws, &action).is_empty());
}

#[test]
fn package_json_changes_reach_every_file_of_the_project() {
    let (_dir, guard, action, unrelated) = project();
    let root = guard.parent().unwrap().parent().unwrap().to_path_buf();
    let ws = Workspace::new(vec![root.clone()]);
    let affected = ws.file_changed(&root.join("package.json"));
    for file in [&guard, &action, &unrelated] {
        assert!(affected.contains(file), "{} missing from {affected:?}", file.display());
    }
}

#[test]
fn import_cycles_terminate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(&root, "package.json", r#"{"dependencies":{"@clerk/nextjs":"^6.30.0"}}"#);
    write(&root, "a.ts", "import { b } from './b';\nexport async function a() { return b(); }\n");
    write(&root, "b.ts", "import { a } from './a';\nexport async function b() { return a(); }\n");
    let action =
        write(&root, "act.ts", "'use server';\nimport { a } from './a';\nexport async function go() { await a(); }\n");
    let ws = Workspace::new(vec![root]);
    assert!(rules(&ws, &action).is_empty());
}

#[test]
fn opening_then_editing_a_helper_still_reaches_importers() {
    let (_dir, guard, action, unrelated) = project();
    let root = guard.parent().unwrap().parent().unwrap().to_path_buf();
    let ws = Workspace::new(vec![root]);
    // The scan lints every file (the language server does this on `initialized`).
    for file in ws.source_files() {
        ws.lint_path(&file);
    }
    let opened = ws.set_overlay(&guard, Some(GUARD));
    assert!(opened.contains(&action), "{opened:?}");
    ws.lint_text(&guard, GUARD);
    let edited = ws.set_overlay(&guard, Some(NOT_A_GUARD));
    assert!(edited.contains(&action), "{edited:?}");
    assert!(!edited.contains(&unrelated), "{edited:?}");
    ws.lint_text(&guard, NOT_A_GUARD);
    assert_eq!(rules(&ws, &action), ["server-action-missing-auth"]);
}

//! The editor's incremental lint (`Workspace::lint_text_reparsing` with a `BufferCache`:
//! re-parse of the touched items, reuse of unchanged entry points' analyses) finds exactly what
//! a fresh lint of the same text finds, edit after edit, whenever the text parses.

use std::path::{Path, PathBuf};

use clerkguard_linter::{BufferCache, Diagnostic, Workspace};
use clerkguard_syntax::test_rng::TestRng;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").canonicalize().unwrap()
}

/// Fixture app `app` (its root), a workspace over it, and the path of its file `file`.
fn open(app: &str, file: &str) -> (PathBuf, Workspace, PathBuf) {
    let root = fixtures().join(app);
    let ws = Workspace::new(vec![root.clone()]);
    let path = root.join(file);
    (root, ws, path)
}

fn lint_both(
    ws: &Workspace,
    path: &Path,
    text: &str,
    cache: &mut BufferCache,
) -> (Vec<Diagnostic>, Vec<Diagnostic>, bool) {
    ws.set_overlay_cached(path, Some(text), cache);
    let incremental = ws.lint_text_reparsing(path, text, cache);
    let fresh = ws.lint_text(path, text);
    (incremental.diagnostics, fresh.diagnostics, fresh.syntax_error)
}

/// Edits a user makes inside code: statements typed after a line end, renames, deleted
/// characters, a guard removed; and undos.
fn edit(rng: &mut TestRng, text: &str) -> String {
    const TYPED: &[&str] = &[
        "\n  const t = 1;",
        "\n  await db.post.delete({ where: { id: \"x\" } });",
        "\n  const { userId } = await auth();",
        "\n  if (!userId) throw new Error(\"no\");",
        "\n  return null;",
        "\n  // note",
        " ",
    ];
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut out = text.to_string();
    match rng.below(4) {
        0 => {
            // After the end of a statement.
            if let Some(end) = text[at..].find(";\n").map(|i| at + i + 1) {
                out.insert_str(end, TYPED[rng.below(TYPED.len())]);
            }
        }
        1 => {
            let byte = text.as_bytes().get(at).copied().unwrap_or(b' ');
            if byte.is_ascii_lowercase() && byte != b'z' {
                out.replace_range(at..at + 1, &((byte + 1) as char).to_string());
            }
        }
        2 => {
            if let Some(pos) = text.find("throw ").or_else(|| text.find("redirect(")) {
                out.replace_range(pos..pos, "void ");
            }
        }
        _ => {
            if at < text.len() {
                let mut end = at + 1;
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                out.replace_range(at..end, "");
            }
        }
    }
    out
}

#[test]
fn incremental_lint_matches_a_fresh_lint_after_random_edits() {
    let root = fixtures();
    let ws = Workspace::new(vec![root.clone()]);
    let files: Vec<PathBuf> = ws.source_files().into_iter().filter(|f| Workspace::is_source(f)).collect();
    assert!(files.len() > 50);
    // `SEED=n` runs another sequence of edits.
    let seed = std::env::var("SEED").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(0x2545_f491_4f6c_dd1d);
    let mut rng = TestRng::new(seed.max(1));
    let (mut compared, mut reused, mut entries) = (0, 0, 0);
    for path in &files {
        let original = std::fs::read_to_string(path).unwrap();
        let mut cache = BufferCache::new();
        let mut history = vec![original.clone()];
        for step in 0..24 {
            let current = history.last().cloned().unwrap_or_default();
            let text = if history.len() > 1 && rng.below(4) == 0 {
                history.pop();
                history.last().cloned().unwrap_or_default()
            } else {
                let next = edit(&mut rng, &current);
                history.push(next.clone());
                next
            };
            let (incremental, fresh, broken) = lint_both(&ws, path, &text, &mut cache);
            if !broken {
                assert_eq!(incremental, fresh, "{} step {step}:\n{text}", path.display());
                compared += 1;
            }
            let (r, n) = cache.last_reuse();
            reused += r;
            entries += n;
        }
        ws.set_overlay(path, None);
    }
    assert!(compared > 800, "compared {compared} versions");
    eprintln!("reused {reused} of {entries} entry-point analyses over {compared} compared versions");
    // Edits land anywhere (in imports, names and the entry points themselves), so about three
    // in five are reused here; typing between functions reuses every entry point (see below).
    assert!(reused * 2 > entries, "reused {reused} of {entries} entry-point analyses");
}

#[test]
fn editing_a_helper_re_analyses_the_entry_points_that_call_it() {
    let (_, ws, path) = open("app-router-v6", "app/actions/edited-helper.ts");
    let guarded = "'use server';\nimport { auth } from '@clerk/nextjs/server';\nimport { db } from '@/lib/db';\n\nasync function requireUser() {\n  const { userId } = await auth();\n  if (!userId) throw new Error('signed out');\n  return userId;\n}\n\nexport async function deletePost(id: string) {\n  await requireUser();\n  await db.post.delete({ where: { id } });\n}\n";
    let mut cache = BufferCache::new();
    let (incremental, fresh, _) = lint_both(&ws, &path, guarded, &mut cache);
    assert_eq!(incremental, fresh);
    let flagged = |d: &[Diagnostic]| d.iter().any(|d| d.rule == "server-action-missing-auth");
    assert!(!flagged(&incremental), "{incremental:?}");
    // The helper no longer throws: `deletePost`, unchanged itself, is now unguarded.
    let unguarded = guarded.replace("if (!userId) throw new Error('signed out');", "");
    let (incremental, fresh, _) = lint_both(&ws, &path, &unguarded, &mut cache);
    assert_eq!(incremental, fresh);
    assert!(flagged(&incremental), "{incremental:?}");
    // Typing inside the entry point reuses nothing of it but still matches.
    let typed = unguarded.replace("await requireUser();", "await requireUser();\n  const t = 1;");
    let (incremental, fresh, _) = lint_both(&ws, &path, &typed, &mut cache);
    assert_eq!(incremental, fresh);
    ws.set_overlay(&path, None);
}

#[test]
fn a_change_elsewhere_in_the_workspace_drops_the_kept_analyses() {
    let (root, ws, path) = open("app-router-v6", "app/actions/posts.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cache = BufferCache::new();
    lint_both(&ws, &path, &text, &mut cache);
    // An edit after every entry point (kept analyses are of functions at the same place).
    let edited = format!("{text}\n// one\n");
    lint_both(&ws, &path, &edited, &mut cache);
    let (reused, total) = cache.last_reuse();
    assert!(total > 0 && reused == total, "an edit of the file alone keeps analyses ({reused}/{total})");
    // Another file changes (its summaries may be what this file imports).
    ws.file_changed(&root.join("lib/db.ts"));
    let again = format!("{edited}// two\n");
    lint_both(&ws, &path, &again, &mut cache);
    assert_eq!(cache.last_reuse().0, 0, "nothing reused after a change elsewhere");
    ws.set_overlay(&path, None);
}

#[test]
fn typing_before_entry_points_moves_their_analyses_along() {
    let (_, ws, path) = open("app-router-v6", "app/actions/posts.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let after_imports = text.rfind("import ").and_then(|i| text[i..].find('\n').map(|j| i + j + 1)).unwrap();
    let mut cache = BufferCache::new();
    let (incremental, fresh, _) = lint_both(&ws, &path, &text, &mut cache);
    assert_eq!(incremental, fresh);
    assert!(!fresh.is_empty(), "the fixture has findings whose places must move");
    // Typed one character at a time, then a line removed again: every entry point comes after
    // the edit, is unchanged, and is reused at its new place.
    let mut current = text.clone();
    for (i, ch) in "\nconst note = 1;\n".chars().enumerate() {
        current.insert(after_imports + i, ch);
        let (incremental, fresh, broken) = lint_both(&ws, &path, &current, &mut cache);
        if !broken {
            assert_eq!(incremental, fresh, "after typing {i} characters");
        }
    }
    let (reused, total) = cache.last_reuse();
    assert!(total > 0 && reused == total, "all entry points moved along ({reused}/{total})");
    let (incremental, fresh, _) = lint_both(&ws, &path, &text, &mut cache);
    assert_eq!(incremental, fresh);
    assert_eq!(cache.last_reuse().0, cache.last_reuse().1, "removing the line moves them back");
    ws.set_overlay(&path, None);
}

#[test]
fn findings_of_unchanged_items_move_along_with_an_edit_before_them() {
    let (_, ws, path) = open("app-router-v7-js", "app/actions.js");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cache = BufferCache::new();
    let (incremental, fresh, _) = lint_both(&ws, &path, &text, &mut cache);
    assert_eq!(incremental, fresh);
    let unawaited = |d: &[Diagnostic]| d.iter().filter(|d| d.rule == "auth-not-awaited").count();
    assert_eq!(unawaited(&fresh), 3, "{fresh:?}");
    // A statement typed into the first function: every later item is unchanged and moved.
    let at = text.find("if (!userId) throw").unwrap();
    let mut current = text.clone();
    for (i, ch) in "const t = 1;\n  ".chars().enumerate() {
        current.insert(at + i, ch);
        let (incremental, fresh, broken) = lint_both(&ws, &path, &current, &mut cache);
        if !broken {
            assert_eq!(incremental, fresh, "after typing {i} characters");
        }
    }
    let (reused, total) = cache.last_item_reuse();
    // Per rule, only the edited item (one in fourteen here) is visited again.
    assert!(total > 10 && (total - reused) * 10 <= total, "item findings reused: {reused} of {total}");
    let (incremental, fresh, _) = lint_both(&ws, &path, &current, &mut cache);
    assert_eq!(unawaited(&incremental), 3);
    assert_eq!(incremental, fresh);
    ws.set_overlay(&path, None);
}

#[test]
fn a_cache_made_with_another_workspace_is_not_reused() {
    let root = fixtures().join("app-router-v6");
    let path = root.join("app/actions/posts.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cache = BufferCache::new();
    let first = Workspace::new(vec![root.clone()]);
    lint_both(&first, &path, &text, &mut cache);
    // The editor's folders change: a fresh workspace, which may count as many changes as the
    // first one had when the cache was filled.
    let second = Workspace::new(vec![root.clone()]);
    second.file_changed(&root.join("lib/db.ts"));
    let edited = format!("{text}\n// one\n");
    let (incremental, fresh, _) = lint_both(&second, &path, &edited, &mut cache);
    assert_eq!(incremental, fresh);
    assert_eq!(cache.last_reuse().0, 0, "nothing reused from another workspace");
    first.set_overlay(&path, None);
    second.set_overlay(&path, None);
}

#[test]
fn an_edit_of_a_decorator_is_an_edit_of_its_class() {
    // An exported class's span starts at `export`, after its decorators: the item a decorator
    // belongs to must still count as changed when only the decorator changes.
    let (_, ws, path) = open("app-router-v6", "app/actions/decorated.ts");
    let text = "import { auth } from '@clerk/nextjs/server';\n\nfunction Check(_: unknown) {\n  return (t: unknown) => t;\n}\n\n@Check(other.userId)\nexport class Audit {\n  run() {\n    return 1;\n  }\n}\n";
    let mut cache = BufferCache::new();
    let flagged = |d: &[Diagnostic]| d.iter().any(|d| d.rule == "auth-not-awaited");
    let (incremental, fresh, broken) = lint_both(&ws, &path, text, &mut cache);
    assert!(!broken, "{fresh:?}");
    assert_eq!(incremental, fresh);
    assert!(!flagged(&fresh), "{fresh:?}");
    let edited = text.replace("@Check(other.userId)", "@Check(auth().userId)");
    let (incremental, fresh, _) = lint_both(&ws, &path, &edited, &mut cache);
    assert!(flagged(&fresh), "{fresh:?}");
    assert_eq!(incremental, fresh);
    ws.set_overlay(&path, None);
}

#[test]
fn a_long_buffer_keeps_its_style_only_for_edits_past_what_style_detection_reads() {
    let (_, ws, path) = open("app-router-v6", "app/actions/posts.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    // Style detection reads the first 400 lines: the fixture, padded past that.
    let padding: String = (0..420).map(|i| format!("const pad{i} = {i};\n")).collect();
    let long = format!("{text}\n{padding}");
    let mut cache = BufferCache::new();
    let (incremental, fresh, _) = lint_both(&ws, &path, &long, &mut cache);
    assert_eq!(incremental, fresh);
    let fixes = |d: &[Diagnostic]| d.iter().filter(|d| d.fix.is_some()).count();
    assert!(fixes(&fresh) > 0, "the fixture's findings carry fixes that follow the file's style");
    // An edit past line 400 keeps the style; an edit of the statements' semicolons above it
    // changes what the fixes write, and must be seen.
    let tail = format!("{long}// tail\n");
    let (incremental, fresh, _) = lint_both(&ws, &path, &tail, &mut cache);
    assert_eq!(incremental, fresh);
    assert_eq!(cache.last_reuse().0, cache.last_reuse().1);
    let no_semicolons = tail.replace(";\n", "\n");
    let (incremental, fresh, _) = lint_both(&ws, &path, &no_semicolons, &mut cache);
    assert!(
        fresh.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.edits.iter().any(|e| e.new_text.contains("auth()\n"))))
    );
    assert_eq!(incremental, fresh);
    let tail_again = format!("{no_semicolons}// tail again\n");
    let (incremental, fresh, _) = lint_both(&ws, &path, &tail_again, &mut cache);
    assert_eq!(incremental, fresh);
    ws.set_overlay(&path, None);
}

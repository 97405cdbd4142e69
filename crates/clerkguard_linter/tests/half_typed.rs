//! Half-typed code never takes the analysis down: every prefix of every fixture file (the text a
//! user has typed so far), and the same files with a character deleted here and there, lint
//! without a panic in any rule, and a parse error never hides findings outside the broken
//! statement.

use std::path::{Path, PathBuf};

use clerkguard_linter::Workspace;

fn fixture_files() -> (Workspace, Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").canonicalize().unwrap();
    let ws = Workspace::new(vec![root]);
    let files = ws.source_files().into_iter().filter(|f| Workspace::is_source(f)).collect();
    (ws, files)
}

fn char_boundaries(text: &str, stride: usize) -> impl Iterator<Item = usize> + '_ {
    (0..text.len()).step_by(stride).filter(|i| text.is_char_boundary(*i))
}

#[test]
fn every_prefix_lints_without_panics() {
    let (ws, files) = fixture_files();
    let mut linted = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // About 40 cuts per file keeps the test quick as fixtures grow.
        for cut in char_boundaries(&text, (text.len() / 40).max(23)) {
            let report = ws.lint_text(file, &text[..cut]);
            assert!(report.panicked_rules.is_empty(), "{} cut at {cut}: {:?}", file.display(), report.panicked_rules);
            linted += 1;
        }
    }
    assert!(linted > 300, "linted {linted} prefixes");
}

#[test]
fn deleting_characters_never_panics() {
    let (ws, files) = fixture_files();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for at in char_boundaries(&text, (text.len() / 25).max(37)) {
            let mut broken = text.clone();
            if broken.is_char_boundary(at) && at < broken.len() {
                broken.remove(at);
            }
            let report = ws.lint_text(file, &broken);
            assert!(
                report.panicked_rules.is_empty(),
                "{} without byte {at}: {:?}",
                file.display(),
                report.panicked_rules
            );
        }
    }
}

#[test]
fn a_syntax_error_keeps_findings_elsewhere() {
    let (ws, _) = fixture_files();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/app-router-v6").canonicalize().unwrap();
    let file = root.join("app/actions/posts.ts");
    let text = std::fs::read_to_string(&file).unwrap();
    let clean = ws.lint_text(&file, &text);
    // Break the last function while the user types in it.
    let broken = text.replace("return title.trim().slice(0, 80);", "return title.trim().slice(0, ");
    let report = ws.lint_text(&file, &broken);
    assert!(report.syntax_error);
    let rules = |r: &clerkguard_linter::FileReport| {
        r.diagnostics.iter().filter(|d| d.rule != "parse-error").map(|d| (d.rule.clone(), d.range)).collect::<Vec<_>>()
    };
    assert_eq!(rules(&report), rules(&clean), "findings outside the broken function must survive");
}

//! Fixture apps under `tests/fixtures/<app>/` are small but real Next.js projects. Every line
//! where a diagnostic must start carries `// expect: rule-id[, rule-id]` (or
//! `{/* expect: rule-id */}` in JSX, `# expect: rule-id` in `.env*` files; package.json, which has
//! no comments, lists its expectations in a `package.json.expect` sidecar as `<line> <rule-id>`
//! lines). The harness fails on any marker without a diagnostic and on
//! any diagnostic without a marker, so each fixture checks precision as well as recall. Every
//! offered fix is then applied: the result must parse and must not report that finding again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clerkguard_linter::{Diagnostic, LineIndex, Workspace, apply_edits};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").canonicalize().expect("tests/fixtures exists")
}

fn fixture_apps() -> Vec<PathBuf> {
    let mut apps: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("read fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    apps.sort();
    apps
}

/// The expectations of a fixture file: its inline markers, or for package.json its sidecar.
fn expectations_of(file: &Path, text: &str) -> Vec<(usize, String)> {
    if file.file_name().is_some_and(|n| n == "package.json") {
        let sidecar = file.with_file_name("package.json.expect");
        let Ok(listed) = std::fs::read_to_string(sidecar) else { return Vec::new() };
        let mut out: Vec<(usize, String)> = listed
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (line, rule) = l.split_once(char::is_whitespace)?;
                Some((line.parse().ok()?, rule.trim().to_string()))
            })
            .collect();
        out.sort();
        return out;
    }
    expectations(text)
}

/// (line (1-based), rule) pairs from `expect:` markers (`//`, `/*` or, in env files, `#`).
fn expectations(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("expect:") else { continue };
        let before = line[..pos].trim_end();
        if !(before.ends_with("//") || before.ends_with("/*") || before.ends_with('#')) {
            continue;
        }
        let rest = line[pos + "expect:".len()..].trim().trim_end_matches("*/}").trim_end_matches("*/").trim();
        for rule in rest.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            out.push((i + 1, rule.to_string()));
        }
    }
    out.sort();
    out
}

fn found(diagnostics: &[Diagnostic], text: &str) -> Vec<(usize, String)> {
    let index = LineIndex::new(text);
    let mut out: Vec<(usize, String)> =
        diagnostics.iter().map(|d| (index.line_of(d.range.start) as usize + 1, d.rule.clone())).collect();
    out.sort();
    out
}

#[test]
fn fixture_apps_match_their_markers() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for app in fixture_apps() {
        let workspace = Workspace::new(vec![app.clone()]);
        for file in workspace.source_files() {
            let (report, text) = workspace.lint_path(&file);
            let Some(text) = text else { continue };
            checked += 1;
            if std::env::var_os("FIXTURE_DEBUG").is_some() {
                for d in &report.diagnostics {
                    let line = LineIndex::new(&text).line_of(d.range.start) + 1;
                    eprintln!(
                        "{}:{line} {} {} fix={:?}",
                        file.display(),
                        d.rule,
                        d.message,
                        d.fix.as_ref().map(|f| &f.edits)
                    );
                }
            }
            let want = expectations_of(&file, &text);
            let got = found(&report.diagnostics, &text);
            if want != got {
                let rel = file.strip_prefix(fixtures_dir()).unwrap_or(&file).display().to_string();
                let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
                let unexpected: Vec<_> = report
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        let line = LineIndex::new(&text).line_of(d.range.start) as usize + 1;
                        !want.contains(&(line, d.rule.clone()))
                    })
                    .map(|d| format!("{}:{} {}", LineIndex::new(&text).line_of(d.range.start) + 1, d.rule, d.message))
                    .collect();
                failures.push(format!("{rel}\n  missing: {missing:?}\n  unexpected: {unexpected:#?}"));
            }
            assert!(
                report.panicked_rules.is_empty(),
                "{}: rules panicked: {:?}",
                file.display(),
                report.panicked_rules
            );
        }
    }
    assert!(checked >= 10, "expected fixture files, found {checked}");
    assert!(
        failures.is_empty(),
        "{} fixture file(s) disagree with their markers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A batch lint (one parse per file; the data-schema rules run last, on kept facts, parsing a
/// file again only when a fix needs syntax) reports exactly what linting file by file does:
/// same findings, messages and fixes, in every fixture app.
#[test]
fn batch_lint_matches_file_by_file() {
    let mut compared = 0;
    for app in fixture_apps() {
        let alone = Workspace::new(vec![app.clone()]);
        let files = alone.source_files();
        let batch = Workspace::new(vec![app.clone()]).lint_batch(&files, None);
        assert_eq!(batch.len(), files.len());
        for (file, (report, text)) in files.iter().zip(&batch) {
            let (expected, expected_text) = alone.lint_path(file);
            assert_eq!(&report.path, file);
            assert_eq!(text, &expected_text, "{}", file.display());
            assert_eq!(format!("{report:?}"), format!("{expected:?}"), "{}", file.display());
            compared += report.diagnostics.len();
        }
    }
    assert!(compared > 100, "the fixtures have findings to compare ({compared})");
}

#[test]
fn every_fix_parses_and_clears_its_finding() {
    let mut failures = Vec::new();
    let mut fixes = 0;
    for app in fixture_apps() {
        let workspace = Workspace::new(vec![app.clone()]);
        for file in workspace.source_files() {
            let (report, Some(text)) = workspace.lint_path(&file) else { continue };
            for diagnostic in &report.diagnostics {
                let Some(fix) = &diagnostic.fix else { continue };
                fixes += 1;
                let fixed = match apply_edits(&text, fix.local_edits()) {
                    Ok(fixed) => fixed,
                    Err(e) => {
                        failures.push(format!("{}: {}: edits do not apply: {e}", file.display(), diagnostic.rule));
                        continue;
                    }
                };
                // Edits in other files (the middleware matcher, a file to create, package.json)
                // are applied as editor buffers of a fresh workspace, then this file is re-linted.
                let fresh;
                let mut lint_with = &workspace;
                let foreign: Vec<_> =
                    fix.edits.iter().filter(|e| e.file.as_ref().is_some_and(|f| *f != file)).collect();
                if !foreign.is_empty() {
                    fresh = Workspace::new(vec![app.clone()]);
                    let mut targets: BTreeMap<PathBuf, Vec<clerkguard_linter::Edit>> = BTreeMap::new();
                    for edit in foreign {
                        let target = edit.file.clone().unwrap_or_default();
                        targets.entry(target).or_default().push(clerkguard_linter::Edit { file: None, ..edit.clone() });
                    }
                    for (target, edits) in targets {
                        let original = std::fs::read_to_string(&target).unwrap_or_default();
                        match apply_edits(&original, &edits) {
                            Ok(new_text) => {
                                let report = fresh.lint_text(&target, &new_text);
                                if report.diagnostics.iter().any(|d| d.rule == "parse-error") {
                                    failures.push(format!(
                                        "{}: {} fix breaks {}",
                                        file.display(),
                                        diagnostic.rule,
                                        target.display()
                                    ));
                                }
                                fresh.set_overlay(&target, Some(&new_text));
                            }
                            Err(e) => failures.push(format!(
                                "{}: {}: edits to {} do not apply: {e}",
                                file.display(),
                                diagnostic.rule,
                                target.display()
                            )),
                        }
                    }
                    lint_with = &fresh;
                }
                let after = lint_with.lint_text(&file, &fixed);
                let count = |ds: &[Diagnostic], rule: &str| ds.iter().filter(|d| d.rule == rule).count();
                if after.diagnostics.iter().any(|d| d.rule == "parse-error") {
                    failures.push(format!("{}: {} fix does not parse:\n{fixed}", file.display(), diagnostic.rule));
                } else if count(&after.diagnostics, &diagnostic.rule) >= count(&report.diagnostics, &diagnostic.rule) {
                    failures.push(format!(
                        "{}: {} fix does not clear the finding:\n{fixed}",
                        file.display(),
                        diagnostic.rule
                    ));
                }
            }
        }
    }
    assert!(fixes > 5, "expected fixes in the fixtures, found {fixes}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn markers_parse() {
    let text = "a // expect: x, y\n{/* expect: z */}\n// not a marker: expect\n";
    assert_eq!(expectations(text), vec![(1, "x".into()), (1, "y".into()), (2, "z".into())]);
    assert_eq!(expectations("A=1 # expect: w\n# expect: v\n"), vec![(1, "w".into()), (2, "v".into())]);
    let _ = BTreeMap::<u8, u8>::new();
}

#[test]
#[ignore = "prints applied fixes for review: FIX_SHOW=<path substring>"]
fn show_fixes() {
    let Some(filter) = std::env::var_os("FIX_SHOW") else { return };
    let filter = filter.to_string_lossy().into_owned();
    for app in fixture_apps() {
        let workspace = Workspace::new(vec![app.clone()]);
        for file in workspace.source_files() {
            if !file.to_string_lossy().contains(&filter) {
                continue;
            }
            let (report, Some(text)) = workspace.lint_path(&file) else { continue };
            for d in &report.diagnostics {
                if let Some(fix) = &d.fix
                    && let Ok(fixed) = apply_edits(&text, fix.local_edits())
                {
                    eprintln!("==== {} {}\n{fixed}", file.display(), d.rule);
                }
            }
        }
    }
}

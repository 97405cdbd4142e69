//! `check --fix`: apply fixes, re-lint, repeat until nothing changes (ruff's loop), then write.
//!
//! Each file is fixed in memory, in parallel: lint → apply every eligible same-file fix that does
//! not overlap an earlier one → lint the result → … for at most [`MAX_ROUNDS`] rounds. A round
//! whose output has more syntax errors than its input is thrown away with a warning, and the file
//! keeps the last good text.
//!
//! Fixes with edits in other files (e.g. extending the middleware matcher from a route file) are
//! applied afterwards in one pass over the converged texts: their edits are grouped by target
//! file, a fix is taken only if none of its edits overlap an edit already taken for that file,
//! and a fix is all-or-nothing (if one of its targets would stop parsing, every fix touching
//! that target is dropped). Targets that are not JavaScript/TypeScript (package.json) are written
//! without a parse check.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use clerkguard_linter::{Applicability, Edit, Fix, Workspace, WorkspaceFile, apply_edits, apply_fixes};
use clerkguard_syntax::{SourceKind, parse_source};
use rayon::prelude::*;

use crate::render::edit_target;

/// Rounds of lint → fix per file before giving up on convergence.
pub const MAX_ROUNDS: usize = 10;

/// What `--fix` did.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// Fixes applied (one diagnostic each).
    pub fixes_applied: usize,
    /// Files written, sorted.
    pub files_written: Vec<PathBuf>,
    /// Problems to print as `warning:` lines (fixes not applied, files not written).
    pub warnings: Vec<String>,
    /// Whether some file could not be written (an internal error: exit 2).
    pub write_failed: bool,
}

struct FileFixState {
    path: PathBuf,
    original: String,
    current: String,
    applied: usize,
    /// Eligible fixes found in the final text that touch other files.
    cross_file: Vec<Fix>,
    warnings: Vec<String>,
}

/// Applies fixes at or above `min_applicability` (never `DisplayOnly`) to `files` and writes the
/// changed files.
pub fn fix_files(workspace: &Workspace, files: &[PathBuf], min_applicability: Applicability) -> FixOutcome {
    let min_applicability = min_applicability.max(Applicability::Unsafe);
    let states: Vec<FileFixState> =
        files.par_iter().filter_map(|path| fix_one_file(workspace, path, min_applicability)).collect();

    let mut outcome = FixOutcome::default();
    let mut texts: BTreeMap<PathBuf, (String, String)> = BTreeMap::new();
    let mut cross_file = Vec::new();
    for state in states {
        outcome.fixes_applied += state.applied;
        outcome.warnings.extend(state.warnings);
        cross_file.extend(state.cross_file.into_iter().map(|fix| (state.path.clone(), fix)));
        texts.insert(state.path, (state.original, state.current));
    }
    outcome.fixes_applied += apply_cross_file(&mut texts, &cross_file, &mut outcome.warnings);

    for (path, (original, current)) in &texts {
        if original == current {
            continue;
        }
        if let Some(parent) = path.parent().filter(|p| !p.exists())
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            outcome.warnings.push(format!("cannot create {}: {e}", parent.display()));
            outcome.write_failed = true;
            continue;
        }
        match std::fs::write(path, current) {
            Ok(()) => {
                workspace.file_changed(path);
                outcome.files_written.push(path.clone());
            }
            Err(e) => {
                outcome.warnings.push(format!("cannot write {}: {e}", path.display()));
                outcome.write_failed = true;
            }
        }
    }
    outcome
}

fn eligible(fix: &Fix, min: Applicability) -> bool {
    fix.applicability >= min && fix.applicability > Applicability::DisplayOnly && !fix.edits.is_empty()
}

/// The fix with edits naming `path` itself rewritten as same-file edits, or `None` when it has
/// edits in other files.
fn as_local(fix: &Fix, path: &Path) -> Option<Fix> {
    let mut local = fix.clone();
    for edit in &mut local.edits {
        if edit.file.is_some() {
            if edit_target(edit, path) != path {
                return None;
            }
            edit.file = None;
        }
    }
    Some(local)
}

fn fix_one_file(workspace: &Workspace, path: &Path, min: Applicability) -> Option<FileFixState> {
    let WorkspaceFile::Text(original) = workspace.read(path) else { return None };
    let mut state = FileFixState {
        path: path.to_path_buf(),
        current: original.clone(),
        original,
        applied: 0,
        cross_file: Vec::new(),
        warnings: Vec::new(),
    };
    for round in 0..=MAX_ROUNDS {
        let report = workspace.lint_text(path, &state.current);
        let fixes: Vec<&Fix> =
            report.diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| eligible(f, min)).collect();
        let local: Vec<Fix> = fixes.iter().filter_map(|f| as_local(f, path)).collect();
        state.cross_file = fixes.iter().filter(|f| as_local(f, path).is_none()).map(|f| (*f).clone()).collect();
        if local.is_empty() {
            break;
        }
        if round == MAX_ROUNDS {
            state
                .warnings
                .push(format!("{}: fixes did not converge after {MAX_ROUNDS} rounds; some may remain", path.display()));
            break;
        }
        let (fixed, applied) = apply_fixes(&state.current, &local);
        if applied == 0 || fixed == state.current {
            break;
        }
        if introduces_syntax_errors(path, &state.current, &fixed) {
            state.warnings.push(format!(
                "{}: not applying fixes that would introduce a syntax error (please report this as a bug)",
                path.display()
            ));
            break;
        }
        state.current = fixed;
        state.applied += applied;
    }
    Some(state)
}

/// Whether `after` has more syntax errors than `before` (only for files clerkguard parses).
fn introduces_syntax_errors(path: &Path, before: &str, after: &str) -> bool {
    let Some(kind) = SourceKind::from_path(path) else { return false };
    parse_source(after, kind).errors.len() > parse_source(before, kind).errors.len()
}

/// Applies fixes spanning several files to `texts` (path → (original, current)), loading targets
/// not yet there from disk. Returns how many fixes were applied.
fn apply_cross_file(
    texts: &mut BTreeMap<PathBuf, (String, String)>,
    fixes: &[(PathBuf, Fix)],
    warnings: &mut Vec<String>,
) -> usize {
    if fixes.is_empty() {
        return 0;
    }
    let mut rejected: HashSet<usize> = HashSet::new();
    let mut first_pass = true;
    loop {
        // Choose non-overlapping fixes, all-or-nothing per fix.
        let mut taken: BTreeMap<PathBuf, Vec<Edit>> = BTreeMap::new();
        let mut chosen = Vec::new();
        for (i, (origin, fix)) in fixes.iter().enumerate() {
            if rejected.contains(&i) {
                continue;
            }
            let edits: Vec<(PathBuf, Edit)> =
                fix.edits.iter().map(|e| (edit_target(e, origin), Edit { file: None, ..e.clone() })).collect();
            // Edits in another file were computed against its text on disk; if same-file fixes
            // changed that file, the offsets are stale: leave the fix for the next `--fix` run.
            let stale =
                edits.iter().any(|(target, _)| target != origin && texts.get(target).is_some_and(|(o, c)| o != c));
            if stale {
                if first_pass {
                    warnings.push(format!(
                        "{}: a fix spanning files was not applied because a file it edits also changed; run `--fix` again",
                        origin.display()
                    ));
                }
                continue;
            }
            let clashes = edits.iter().any(|(target, e)| {
                taken.get(target).is_some_and(|prev| prev.iter().any(|t| overlaps(&e.range, &t.range)))
            });
            if clashes {
                continue;
            }
            for (target, e) in edits {
                taken.entry(target).or_default().push(e);
            }
            chosen.push(i);
        }
        // Apply per target; a target that fails rejects every chosen fix touching it.
        let mut results = BTreeMap::new();
        let mut failed_targets = Vec::new();
        for (target, edits) in &taken {
            if !texts.contains_key(target) {
                match std::fs::read_to_string(target) {
                    Ok(text) => {
                        texts.insert(target.clone(), (text.clone(), text));
                    }
                    // A fix that creates a file (e.g. the missing middleware): insertions into
                    // an empty text; the file is written (and its directory made) below.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound && edits.iter().all(|e| e.range.end == 0) => {
                        texts.insert(target.clone(), (String::new(), String::new()));
                    }
                    Err(e) => {
                        warnings.push(format!("cannot read {} to apply a fix: {e}", target.display()));
                        failed_targets.push(target.clone());
                        continue;
                    }
                }
            }
            let current = texts.get(target).map(|(_, c)| c.as_str()).unwrap_or_default();
            match apply_edits(current, edits) {
                Ok(new) if !introduces_syntax_errors(target, current, &new) => {
                    results.insert(target.clone(), new);
                }
                Ok(_) => {
                    warnings.push(format!(
                        "{}: not applying fixes that would introduce a syntax error (please report this as a bug)",
                        target.display()
                    ));
                    failed_targets.push(target.clone());
                }
                Err(e) => {
                    warnings.push(format!("{}: cannot apply fix: {e}", target.display()));
                    failed_targets.push(target.clone());
                }
            }
        }
        if failed_targets.is_empty() {
            for (target, new) in results {
                if let Some((_, current)) = texts.get_mut(&target) {
                    *current = new;
                }
            }
            return chosen.len();
        }
        first_pass = false;
        for &i in &chosen {
            let (origin, fix) = &fixes[i];
            if fix.edits.iter().any(|e| failed_targets.contains(&edit_target(e, origin))) {
                rejected.insert(i);
            }
        }
    }
}

fn overlaps(a: &clerkguard_linter::TextRange, b: &clerkguard_linter::TextRange) -> bool {
    a.intersects(*b) || (a.is_empty() && b.contains(a.start)) || (b.is_empty() && a.contains(b.start)) || a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_can_create_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let origin = dir.path().join("app/page.tsx");
        let created = dir.path().join("middleware.ts");
        let fix = Fix::unsafe_("Create", vec![Edit::insert(0, "export {};\n").in_file(created.clone())]);
        let mut texts = BTreeMap::new();
        let mut warnings = Vec::new();
        assert_eq!(apply_cross_file(&mut texts, &[(origin, fix)], &mut warnings), 1, "{warnings:?}");
        assert_eq!(texts.get(&created).map(|(o, c)| (o.as_str(), c.as_str())), Some(("", "export {};\n")));
    }
    use clerkguard_linter::TextRange;

    fn edit(file: &Path, start: u32, end: u32, text: &str) -> Edit {
        Edit::replace(TextRange::new(start, end), text).in_file(file.to_path_buf())
    }

    fn unchanged(texts: &mut BTreeMap<PathBuf, (String, String)>, path: &Path, text: &str) {
        texts.insert(path.to_path_buf(), (text.to_string(), text.to_string()));
    }

    #[test]
    fn syntax_errors_are_detected_for_source_files_only() {
        assert!(introduces_syntax_errors(Path::new("a.ts"), "const a = 1;", "const a = ;"));
        assert!(!introduces_syntax_errors(Path::new("a.ts"), "const a = 1;", "const a = 2;"));
        assert!(!introduces_syntax_errors(Path::new("package.json"), "{}", "{"));
    }

    #[test]
    fn cross_file_fixes_apply_grouped_by_target() {
        let dir = tempfile::tempdir().unwrap();
        let route = dir.path().join("route.ts");
        let middleware = dir.path().join("middleware.ts");
        std::fs::write(&middleware, "export const config = { matcher: [] };\n").unwrap();
        let mut texts = BTreeMap::new();
        unchanged(&mut texts, &route, "export const a = 1;\n");
        let fixes = vec![
            (route.clone(), Fix::safe("both", vec![edit(&route, 17, 18, "2"), edit(&middleware, 34, 34, "\"/x\"")])),
            // Overlaps the first fix's middleware edit: skipped.
            (route.clone(), Fix::safe("clash", vec![edit(&middleware, 34, 34, "\"/y\"")])),
        ];
        let mut warnings = Vec::new();
        assert_eq!(apply_cross_file(&mut texts, &fixes, &mut warnings), 1);
        assert_eq!(texts[&route].1, "export const a = 2;\n");
        assert_eq!(texts[&middleware].1, "export const config = { matcher: [\"/x\"] };\n");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_cross_file_fix_that_breaks_a_target_is_dropped_everywhere() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.ts");
        let b = dir.path().join("b.ts");
        let mut texts = BTreeMap::new();
        unchanged(&mut texts, &a, "export const a = 1;\n");
        unchanged(&mut texts, &b, "export const b = 1;\n");
        let fixes = vec![(a.clone(), Fix::safe("breaks b", vec![edit(&a, 17, 18, "2"), edit(&b, 17, 18, "")]))];
        let mut warnings = Vec::new();
        assert_eq!(apply_cross_file(&mut texts, &fixes, &mut warnings), 0);
        assert_eq!(texts[&a].1, "export const a = 1;\n");
        assert_eq!(texts[&b].1, "export const b = 1;\n");
        assert!(warnings[0].contains("syntax error"), "{warnings:?}");
    }

    #[test]
    fn cross_file_fixes_into_files_changed_by_local_fixes_wait_for_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.ts");
        let b = dir.path().join("b.ts");
        let mut texts = BTreeMap::new();
        unchanged(&mut texts, &a, "export const a = 1;\n");
        texts.insert(b.clone(), ("export const b = 1;\n".into(), "export const b = 10;\n".into()));
        let fixes = vec![(a.clone(), Fix::safe("touches b", vec![edit(&b, 17, 18, "2")]))];
        let mut warnings = Vec::new();
        assert_eq!(apply_cross_file(&mut texts, &fixes, &mut warnings), 0);
        assert_eq!(texts[&b].1, "export const b = 10;\n");
        assert!(warnings[0].contains("run `--fix` again"), "{warnings:?}");
    }
}

//! Keeping a document's last good findings on screen while its text does not parse.
//!
//! The analysis core recovers from most syntax errors by skipping the broken top-level
//! statement, so findings elsewhere survive on their own. What it cannot produce are the
//! findings inside the skipped statement. For those, the last findings of a version that
//! parsed are moved through the edits made since (byte deltas), dropped when an edit touched
//! them, and shown beside the syntax error until the text parses again.

use std::path::Path;

use clerkguard_linter::{Diagnostic, TextRange};
use clerkguard_syntax::TextChange;

const PARSE_ERROR: &str = "parse-error";

/// Moves a range through a sequence of edits; `None` when an edit touched it. An empty range
/// where text was inserted stays before the insertion.
pub fn shift_range(range: TextRange, edits: &[TextChange]) -> Option<TextRange> {
    edits.iter().try_fold(range, |range, edit| edit.map_range(range, false))
}

/// The findings to show for a report that has a syntax error: the fresh ones, plus the last
/// good ones the core could not produce this time, moved through the edits. Carried findings
/// lose their fix (its edits targeted the old text) and same-file related locations.
pub fn merge_with_last_good(
    fresh: Vec<Diagnostic>,
    last_good: &[Diagnostic],
    edits: &[TextChange],
    path: &Path,
) -> Vec<Diagnostic> {
    let fresh_findings = fresh.iter().filter(|d| d.rule != PARSE_ERROR).count();
    let good_findings = last_good.iter().filter(|d| d.rule != PARSE_ERROR).count();
    if fresh_findings >= good_findings {
        return fresh;
    }
    let mut merged = fresh;
    let mut carried = Vec::new();
    for old in last_good.iter().filter(|d| d.rule != PARSE_ERROR) {
        let Some(range) = shift_range(old.range, edits) else { continue };
        if merged.iter().any(|d| d.rule == old.rule && d.range == range) {
            continue;
        }
        let mut moved = old.clone();
        moved.range = range;
        moved.fix = None;
        moved.related.retain(|r| r.path != path);
        carried.push(moved);
    }
    merged.extend(carried);
    merged.sort_by(|a, b| (a.range.start, &a.rule).cmp(&(b.range.start, &b.rule)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use clerkguard_linter::Severity;

    fn diag(rule: &str, start: u32, end: u32) -> Diagnostic {
        Diagnostic::new(rule, Severity::Warning, TextRange::new(start, end), "m")
    }

    /// The change replacing `start..old_end` with `new_len` bytes.
    fn edit(start: u32, old_end: u32, new_len: u32) -> TextChange {
        TextChange { start, old_end, new_end: start + new_len }
    }

    #[test]
    fn shifts_ranges_after_an_edit_and_drops_touched_ones() {
        let insert = [edit(10, 10, 3)];
        assert_eq!(shift_range(TextRange::new(0, 5), &insert), Some(TextRange::new(0, 5)));
        assert_eq!(shift_range(TextRange::new(0, 10), &insert), Some(TextRange::new(0, 10)));
        assert_eq!(shift_range(TextRange::new(10, 12), &insert), Some(TextRange::new(13, 15)));
        assert_eq!(shift_range(TextRange::new(8, 12), &insert), None);
        let delete = [edit(4, 8, 0)];
        assert_eq!(shift_range(TextRange::new(20, 25), &delete), Some(TextRange::new(16, 21)));
        assert_eq!(shift_range(TextRange::new(6, 9), &delete), None);
        let both = [insert[0], delete[0]];
        assert_eq!(shift_range(TextRange::new(30, 31), &both), Some(TextRange::new(29, 30)));
    }

    #[test]
    fn carries_only_missing_findings_outside_the_edits() {
        let path = Path::new("/p/a.ts");
        let last_good = vec![diag("rule-a", 0, 4), diag("rule-b", 40, 44), diag("rule-c", 20, 22)];
        let edits = [edit(21, 21, 2)];
        let fresh = vec![diag("parse-error", 21, 23), diag("rule-a", 0, 4)];
        let merged = merge_with_last_good(fresh, &last_good, &edits, path);
        let got: Vec<_> = merged.iter().map(|d| (d.rule.as_str(), d.range.start)).collect();
        // rule-c was edited (dropped); rule-b moved by 2; rule-a not duplicated.
        assert_eq!(got, vec![("rule-a", 0), ("parse-error", 21), ("rule-b", 42)]);
    }

    #[test]
    fn fresh_report_wins_when_it_has_as_many_findings() {
        let fresh = vec![diag("parse-error", 0, 1), diag("rule-a", 5, 6)];
        let merged = merge_with_last_good(fresh.clone(), &[diag("rule-a", 5, 6)], &[], Path::new("/a.ts"));
        assert_eq!(merged, fresh);
    }
}

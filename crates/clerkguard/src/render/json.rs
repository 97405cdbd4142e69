//! `--format json`: a stable JSON array of findings, ordered by path then position.
//!
//! ```json
//! [{
//!   "rule": "suppression-unused",
//!   "severity": "warning",                  // "error" | "warning" | "hint"
//!   "path": "app/page.tsx",                 // relative to the current directory when under it
//!   "range": { "start": { "line": 3, "column": 1 }, "end": { "line": 3, "column": 40 } },
//!   "byteRange": { "start": 41, "end": 80 }, // UTF-8 byte offsets into the file, end exclusive
//!   "message": "...",
//!   "help": "..." | null,
//!   "url": "https://…/docs/rules/suppression-unused.md",
//!   "fix": { "title": "...", "applicability": "safe" | "unsafe" | "display-only",
//!            "edits": [{ "path": "...", "range": {…}, "byteRange": {…}, "newText": "..." }] } | null,
//!   "related": [{ "path": "...", "range": {…}, "message": "..." }]
//! }]
//! ```
//!
//! Lines are 1-based. Columns are 1-based and count UTF-16 code units (as LSP, SARIF and
//! JavaScript strings do); `byteRange` gives the exact UTF-8 offsets. Secrets in any text are
//! masked.

use serde::Serialize;

use super::{Position, RenderInput, Sources, applicability_str, docs_url, edit_target};
use crate::mask::masked;
use clerkguard_linter::TextRange;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding {
    rule: String,
    severity: &'static str,
    path: String,
    range: JsonRange,
    byte_range: JsonByteRange,
    message: String,
    help: Option<String>,
    url: String,
    fix: Option<JsonFix>,
    related: Vec<JsonRelated>,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonByteRange {
    start: u32,
    end: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFix {
    title: String,
    applicability: &'static str,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEdit {
    path: String,
    range: JsonRange,
    byte_range: JsonByteRange,
    new_text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRelated {
    path: String,
    range: JsonRange,
    byte_range: JsonByteRange,
    message: String,
}

fn range_in(sources: &mut Sources<'_>, path: &std::path::Path, range: TextRange) -> (JsonRange, JsonByteRange) {
    let source = sources.get(path);
    let start = Position::of(source.as_ref(), range.start);
    let end = Position::of(source.as_ref(), range.end);
    (
        JsonRange {
            start: JsonPosition { line: start.line, column: start.column_utf16 },
            end: JsonPosition { line: end.line, column: end.column_utf16 },
        },
        JsonByteRange { start: range.start, end: range.end },
    )
}

pub fn render(input: &RenderInput<'_>) -> anyhow::Result<String> {
    let mut sources = input.sources();
    let mut findings = Vec::new();
    for (file, d) in input.findings() {
        let (range, byte_range) = range_in(&mut sources, &file.path, d.range);
        let fix = d.fix.as_ref().map(|fix| JsonFix {
            title: masked(&fix.title),
            applicability: applicability_str(fix.applicability),
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let target = edit_target(edit, &file.path);
                    let (range, byte_range) = range_in(&mut sources, &target, edit.range);
                    JsonEdit { path: input.display_path(&target), range, byte_range, new_text: masked(&edit.new_text) }
                })
                .collect(),
        });
        let related = d
            .related
            .iter()
            .map(|r| {
                let (range, byte_range) = range_in(&mut sources, &r.path, r.range);
                JsonRelated { path: input.display_path(&r.path), range, byte_range, message: masked(&r.message) }
            })
            .collect();
        findings.push(JsonFinding {
            rule: d.rule.clone(),
            severity: d.severity.as_str(),
            path: input.display_path(&file.path),
            range,
            byte_range,
            message: masked(&d.message),
            help: d.help.as_deref().map(masked),
            url: docs_url(&d.rule),
            fix,
            related,
        });
    }
    let mut out = serde_json::to_string_pretty(&findings)?;
    out.push('\n');
    Ok(out)
}

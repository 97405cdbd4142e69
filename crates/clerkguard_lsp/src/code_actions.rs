//! Building code actions: fixes, "Ignore <rule> for this line", fix-all. No analysis here: the
//! fixes come from the analysis core (through the diagnostic's `data`, or a fresh lint).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clerkguard_linter::{Applicability, Diagnostic, Edit, Fix, LineIndex, TextRange, Workspace, apply_fixes};
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, WorkspaceEdit};

use crate::capabilities::ClientCaps;
use crate::edits::{EditTarget, WorkspaceEditBuilder, minimal_replacement};
use crate::session::Session;

/// The reason written into suppression comments inserted by the "Ignore" action.
pub const IGNORE_REASON_PLACEHOLDER: &str = "TODO: explain why this is safe";
const IGNORE_DIRECTIVE: &str = "clerkguard-ignore-next-line";

/// Whether an action of `kind` passes the request's `only` filter (kinds are hierarchical:
/// `source.fixAll` admits `source.fixAll.clerkguard`).
pub fn kind_wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            kind == o || kind.strip_prefix(o).is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// Rules the "Ignore" action is not offered for: syntax errors (fix the code instead) and
/// findings about suppression comments themselves (a suppression cannot waive them).
pub fn is_ignorable(rule: &str) -> bool {
    rule != "parse-error" && !rule.starts_with("suppression-")
}

/// The document an action is computed for.
pub struct ActionDocument {
    pub path: PathBuf,
    pub target: EditTarget,
}

impl Session {
    /// A `WorkspaceEdit` applying `fix`: edits without a file (or naming this one) go to the
    /// document, the others to their file's current text (open document or disk).
    pub fn fix_workspace_edit(
        &self,
        doc: &ActionDocument,
        fix: &Fix,
        caps: &ClientCaps,
        workspace: &Workspace,
    ) -> Option<WorkspaceEdit> {
        let mut by_file: BTreeMap<Option<&Path>, Vec<&Edit>> = BTreeMap::new();
        for edit in &fix.edits {
            let file = edit.file.as_deref().filter(|f| *f != doc.path);
            by_file.entry(file).or_default().push(edit);
        }
        let mut builder = WorkspaceEditBuilder::new(caps.encoding, caps.document_changes);
        for (file, edits) in by_file {
            let result = match file {
                None => builder.add(&doc.target, edits),
                Some(path) => match self.edit_target(path, workspace) {
                    Some(target) => builder.add(&target, edits),
                    // A fix that creates the file (the missing middleware).
                    None if !path.exists() && edits.iter().all(|e| e.range.end == 0) => builder.create(path, edits),
                    None => Err(format!("cannot read {}", path.display())),
                },
            };
            if let Err(message) = result {
                self.log.warn(format!("fix `{}` not offered: {message}", fix.title));
                return None;
            }
        }
        (!builder.is_empty()).then(|| builder.build())
    }

    /// Lints the current text of a document now (used when a diagnostic's `data` is missing or
    /// stale, and for fix-all without a report for the current version).
    pub async fn lint_now(&self, path: PathBuf, text: String) -> Option<Arc<Vec<Diagnostic>>> {
        let workspace = self.workspace();
        match tokio::task::spawn_blocking(move || workspace.lint_text(&path, &text)).await {
            Ok(report) => Some(Arc::new(report.diagnostics)),
            Err(e) => {
                self.log.error(format!("lint for a code action failed: {e}"));
                None
            }
        }
    }

    /// The edit applying every safe fix of an open document (overlapping fixes skipped, as
    /// `apply_fixes` does), as one minimal replacement. `None` when there is nothing to fix.
    pub async fn fix_all_edit(&self, key: &str) -> Option<WorkspaceEdit> {
        let (doc, cached) = {
            let d = self.documents.get(key)?;
            let cached = d.last_report.as_ref().filter(|(v, _)| *v == d.version).map(|(_, r)| r.clone());
            let target = EditTarget { uri: d.uri.clone(), version: Some(d.version), text: d.text() };
            (ActionDocument { path: d.path.clone(), target }, cached)
        };
        let findings = match cached {
            Some(findings) => findings,
            None => self.lint_now(doc.path.clone(), doc.target.text.clone()).await?,
        };
        let fixes = findings.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.applicability == Applicability::Safe);
        let (fixed, applied) = apply_fixes(&doc.target.text, fixes);
        if applied == 0 {
            return None;
        }
        let (range, new_text) = minimal_replacement(&doc.target.text, &fixed)?;
        let caps = self.caps();
        let mut builder = WorkspaceEditBuilder::new(caps.encoding, caps.document_changes);
        builder.add(&doc.target, &[Edit::replace(range, new_text)]).ok()?;
        Some(builder.build())
    }
}

pub fn fix_all_action(edit: WorkspaceEdit) -> CodeAction {
    CodeAction {
        title: "Fix all safely fixable clerkguard problems".to_string(),
        kind: Some(CodeActionKind::new(crate::capabilities::FIX_ALL_KIND)),
        edit: Some(edit),
        ..Default::default()
    }
}

/// The edit inserting a `clerkguard-ignore-next-line` comment for `rule` above `line`, with the
/// line's indentation. When the line above already holds such a comment, the rule is added to
/// it instead (two stacked next-line comments would not both apply). In JSX children the
/// comment is written `{/* … */}`. `None` when the rule is already listed there.
pub fn suppression_edit(text: &str, path: &Path, line: u32, rule: &str) -> Option<Edit> {
    let index = LineIndex::new(text);
    let (start, end) = index.line_range(text, line)?;
    let content = &text[start as usize..end as usize];
    let indent: String = content.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let previous = line.checked_sub(1).and_then(|l| index.line_range(text, l));
    if let Some((prev_start, prev_end)) = previous {
        let prev = &text[prev_start as usize..prev_end as usize];
        if let Some(directive_at) = prev.find(IGNORE_DIRECTIVE) {
            let names_start = directive_at + IGNORE_DIRECTIVE.len();
            let names_end = prev[names_start..].find(" --").map(|i| names_start + i);
            if let Some(names_end) = names_end {
                let names = &prev[names_start..names_end];
                if names.split([',', ' ', '\t']).any(|n| n.trim() == rule) {
                    return None;
                }
                return Some(Edit::insert(prev_start + names_end as u32, format!(", {rule}")));
            }
        }
    }
    let eol = if text[end as usize..].starts_with("\r\n") { "\r\n" } else { "\n" };
    let comment = if in_jsx_children(text, path, &index, line, content) {
        format!("{indent}{{/* {IGNORE_DIRECTIVE} {rule} -- {IGNORE_REASON_PLACEHOLDER} */}}{eol}")
    } else {
        format!("{indent}// {IGNORE_DIRECTIVE} {rule} -- {IGNORE_REASON_PLACEHOLDER}{eol}")
    };
    Some(Edit { file: None, range: TextRange::empty(start), new_text: comment })
}

/// A cheap guess at "this line is a child of a JSX element": a `.jsx`/`.tsx` file, the line
/// starts an element or expression container, and the previous non-blank line ends a tag.
fn in_jsx_children(text: &str, path: &Path, index: &LineIndex, line: u32, content: &str) -> bool {
    let jsx_file = matches!(path.extension().and_then(|e| e.to_str()), Some("tsx" | "jsx"));
    let trimmed = content.trim_start();
    if !jsx_file || !(trimmed.starts_with('<') || trimmed.starts_with('{')) {
        return false;
    }
    (0..line)
        .rev()
        .filter_map(|l| index.line_range(text, l))
        .map(|(s, e)| text[s as usize..e as usize].trim())
        .find(|l| !l.is_empty())
        .is_some_and(|prev| prev.ends_with('>') && !prev.ends_with("=>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: Edit) -> String {
        clerkguard_linter::apply_edits(text, &[edit]).unwrap()
    }

    #[test]
    fn inserts_comment_with_indentation() {
        let text = "function f() {\n    const x = auth();\n}\n";
        let edit = suppression_edit(text, Path::new("/a.ts"), 1, "auth-not-awaited").unwrap();
        assert_eq!(
            apply(text, edit),
            "function f() {\n    // clerkguard-ignore-next-line auth-not-awaited -- TODO: explain why this is safe\n    const x = auth();\n}\n"
        );
    }

    #[test]
    fn extends_an_existing_directive_and_uses_jsx_form_in_children() {
        let text = "  // clerkguard-ignore-next-line a -- why\n  x();\n";
        let edit = suppression_edit(text, Path::new("/a.ts"), 1, "b").unwrap();
        assert_eq!(apply(text, edit), "  // clerkguard-ignore-next-line a, b -- why\n  x();\n");
        assert!(suppression_edit(text, Path::new("/a.ts"), 1, "a").is_none());

        let jsx = "return (\n  <div>\n    <Secret />\n  </div>\n);\n";
        let edit = suppression_edit(jsx, Path::new("/p.tsx"), 2, "r").unwrap();
        assert!(
            apply(jsx, edit).contains(
                "    {/* clerkguard-ignore-next-line r -- TODO: explain why this is safe */}\n    <Secret />"
            )
        );
        let edit = suppression_edit(jsx, Path::new("/p.tsx"), 1, "r").unwrap();
        assert!(apply(jsx, edit).contains("  // clerkguard-ignore-next-line r"));
    }

    #[test]
    fn only_filter_is_hierarchical() {
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        assert!(kind_wanted(Some(&only), "source.fixAll.clerkguard"));
        assert!(!kind_wanted(Some(&only), "quickfix"));
        assert!(kind_wanted(None, "quickfix"));
        assert!(!kind_wanted(Some(&[CodeActionKind::new("source.fix")]), "source.fixAll.clerkguard"));
    }
}

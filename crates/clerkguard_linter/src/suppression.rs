//! Suppression comments. Every waiver names its rules and says why:
//!
//! ```text
//! // clerkguard-ignore-next-line rule-a, rule-b -- reason
//! const x = 1; // clerkguard-ignore-line rule-a -- reason
//! /* clerkguard-ignore-file rule-a -- reason */
//! {/* clerkguard-ignore-next-line rule-a -- reason */}   (inside JSX)
//! ```

use clerkguard_syntax::{LineIndex, SourceComment, TextRange};

use crate::rules::meta::{SUPPRESSION_UNUSED, SUPPRESSION_WITHOUT_REASON};
use crate::{Diagnostic, Edit, Fix, registry};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    NextLine(u32),
    Line(u32),
    File,
}

#[derive(Debug)]
struct Suppression {
    comment: TextRange,
    scope: Scope,
    rules: Vec<(String, bool)>,
    has_reason: bool,
}

#[derive(Debug, Default)]
pub struct Suppressions {
    items: Vec<Suppression>,
}

impl Suppressions {
    pub fn parse(comments: &[SourceComment], lines: &LineIndex) -> Self {
        let mut items = Vec::new();
        for comment in comments {
            let body = comment.text.trim();
            let (scope, rest) = if let Some(rest) = body.strip_prefix("clerkguard-ignore-next-line") {
                (Scope::NextLine(lines.line_of(comment.range.end.saturating_sub(1)) + 1), rest)
            } else if let Some(rest) = body.strip_prefix("clerkguard-ignore-line") {
                (Scope::Line(lines.line_of(comment.range.start)), rest)
            } else if let Some(rest) = body.strip_prefix("clerkguard-ignore-file") {
                (Scope::File, rest)
            } else {
                continue;
            };
            if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
                continue; // e.g. `clerkguard-ignore-lines`: not ours
            }
            let (names, reason) = match rest.split_once("--") {
                Some((names, reason)) => (names, reason.trim()),
                None => (rest, ""),
            };
            let rules = names
                .split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| (s.to_string(), false))
                .collect();
            items.push(Suppression { comment: comment.range, scope, rules, has_reason: !reason.is_empty() });
        }
        Self { items }
    }

    /// Drops suppressed diagnostics and adds the meta findings about the suppressions themselves.
    pub fn apply(mut self, diagnostics: Vec<Diagnostic>, text: &str, lines: &LineIndex) -> Vec<Diagnostic> {
        let mut kept = Vec::with_capacity(diagnostics.len());
        for diagnostic in diagnostics {
            let line = lines.line_of(diagnostic.range.start);
            let mut suppressed = false;
            for item in &mut self.items {
                let applies = match item.scope {
                    Scope::NextLine(l) | Scope::Line(l) => l == line,
                    Scope::File => true,
                };
                if !applies {
                    continue;
                }
                for (rule, used) in &mut item.rules {
                    if *rule == diagnostic.rule {
                        *used = true;
                        suppressed = true;
                    }
                }
            }
            if !suppressed {
                kept.push(diagnostic);
            }
        }
        for item in &self.items {
            if !item.has_reason {
                kept.push(
                    Diagnostic::new(
                        SUPPRESSION_WITHOUT_REASON.id,
                        SUPPRESSION_WITHOUT_REASON.default_severity,
                        item.comment,
                        "This suppression gives no reason",
                    )
                    .with_help(
                        "Add `-- <why this is safe>` after the rule ids: every waiver in a security tool says why",
                    ),
                );
            }
            if item.rules.is_empty() {
                kept.push(unused(
                    item,
                    text,
                    lines,
                    "This suppression names no rule; name the rule ids it waives".into(),
                ));
                continue;
            }
            let unused_rules: Vec<&str> =
                item.rules.iter().filter(|(_, used)| !used).map(|(r, _)| r.as_str()).collect();
            if unused_rules.is_empty() {
                continue;
            }
            let unknown: Vec<&str> = unused_rules.iter().copied().filter(|r| registry().find(r).is_none()).collect();
            let message = if !unknown.is_empty() {
                format!(
                    "Unknown rule id{} in suppression: {}",
                    if unknown.len() > 1 { "s" } else { "" },
                    unknown.join(", ")
                )
            } else {
                format!("Unused suppression: no `{}` diagnostic here", unused_rules.join("`, `"))
            };
            kept.push(unused(item, text, lines, message));
        }
        kept
    }
}

fn unused(item: &Suppression, text: &str, lines: &LineIndex, message: String) -> Diagnostic {
    Diagnostic::new(SUPPRESSION_UNUSED.id, SUPPRESSION_UNUSED.default_severity, item.comment, message)
        .with_fix(Some(Fix::safe("Remove the unused suppression", vec![removal_edit(item.comment, text, lines)])))
}

/// Deletes the comment; when it stands alone on its line(s), deletes the whole line, and for a
/// JSX expression container `{/* ... */}` deletes the braces too.
fn removal_edit(comment: TextRange, text: &str, lines: &LineIndex) -> Edit {
    let mut range = comment;
    let bytes = text.as_bytes();
    // `{/* ... */}`
    let before = text[..range.start as usize].trim_end_matches([' ', '\t']);
    let after_start = range.end as usize;
    let after = &text[after_start..];
    let after_trimmed = after.trim_start_matches([' ', '\t']);
    if before.ends_with('{') && after_trimmed.starts_with('}') {
        range.start = before.len() as u32 - 1;
        range.end = (after_start + (after.len() - after_trimmed.len()) + 1) as u32;
    }
    let first_line = lines.line_of(range.start);
    let last_line = lines.line_of(range.end);
    let line_start = lines.line_start(first_line).unwrap_or(0);
    let (_, line_end) = lines.line_range(text, last_line).unwrap_or((0, text.len() as u32));
    let alone_before = text[line_start as usize..range.start as usize].trim().is_empty();
    let alone_after = text[range.end as usize..line_end as usize].trim().is_empty();
    if alone_before && alone_after {
        let mut end = line_end as usize;
        if bytes.get(end) == Some(&b'\r') {
            end += 1;
        }
        if bytes.get(end) == Some(&b'\n') {
            end += 1;
        }
        return Edit::delete(TextRange::new(line_start, end as u32));
    }
    if alone_after {
        // Trailing comment: also delete the spaces before it.
        let trimmed = text[..range.start as usize].trim_end_matches([' ', '\t']).len() as u32;
        return Edit::delete(TextRange::new(trimmed, range.end));
    }
    Edit::delete(range)
}

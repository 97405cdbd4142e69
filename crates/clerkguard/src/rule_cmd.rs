//! `clerkguard rule [ID]`: the rule table, or one rule's documentation page.

use std::fmt::Write as _;

use clerkguard_linter::docs::render_rule_page;
use clerkguard_linter::registry;

use crate::UsageError;

pub fn run(id: Option<&str>) -> anyhow::Result<String> {
    match id {
        Some(id) => {
            let meta = registry().find(id).ok_or_else(|| unknown_rule(id))?;
            Ok(render_rule_page(meta))
        }
        None => Ok(rule_table()),
    }
}

fn rule_table() -> String {
    let rows: Vec<[String; 5]> = registry()
        .metas()
        .map(|m| {
            let severity = if m.default_enabled {
                m.default_severity.as_str().to_string()
            } else {
                format!("off ({})", m.default_severity.as_str())
            };
            [
                m.id.to_string(),
                m.category.as_str().to_string(),
                severity,
                fix_label(m.fix).to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    let header = ["RULE", "CATEGORY", "DEFAULT", "FIX", "SUMMARY"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 5]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ", width = widths[i]);
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&mut out, header);
    for row in &rows {
        line(&mut out, [&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    let _ = writeln!(out, "\n{} rules. `clerkguard rule <ID>` prints a rule's documentation.", rows.len());
    out
}

fn fix_label(fix: clerkguard_linter::FixAvailability) -> &'static str {
    match fix {
        clerkguard_linter::FixAvailability::Mixed => "mixed",
        other => other.as_str(),
    }
}

/// A usage error for an unknown rule id, suggesting the closest known one.
pub fn unknown_rule(id: &str) -> anyhow::Error {
    let mut message = format!("unknown rule `{id}`");
    if let Some(suggestion) = closest_rule(id) {
        let _ = write!(message, "; did you mean `{suggestion}`?");
    }
    message.push_str(" (`clerkguard rule` lists every rule)");
    UsageError(message).into()
}

/// The known rule id closest to `id`, when one is close enough to be a likely typo.
pub fn closest_rule(id: &str) -> Option<&'static str> {
    registry()
        .metas()
        .map(|m| (m.id, strsim::jaro_winkler(id, m.id)))
        .filter(|&(_, score)| score > 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        assert_eq!(closest_rule("suppresion-unused"), Some("suppression-unused"));
        assert_eq!(closest_rule("parse-eror"), Some("parse-error"));
        assert_eq!(closest_rule("zzz"), None);
    }

    #[test]
    fn table_lists_every_rule() {
        let table = rule_table();
        for meta in registry().metas() {
            assert!(table.contains(meta.id));
        }
    }
}

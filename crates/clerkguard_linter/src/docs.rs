//! Rule documentation pages (`docs/rules/<id>.md`), generated from rule metadata.
//!
//! The pages are checked in; `tests/docs_in_sync.rs` fails when they are stale and rewrites them
//! with `UPDATE_DOCS=1`. `clerkguard rule <id>` prints exactly [`render_rule_page`].

use std::fmt::Write as _;

use crate::{RuleMeta, registry};

/// The file name of the index page in `docs/rules/`.
pub const INDEX_FILE_NAME: &str = "README.md";

/// A rule's docs page: `# <id>`, its summary, a metadata table, then the rule's own docs.
pub fn render_rule_page(meta: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", meta.id);
    let _ = writeln!(out, "{}\n", meta.summary);
    out.push_str("| | |\n|---|---|\n");
    let _ = writeln!(out, "| Category | `{}` |", meta.category.as_str());
    let _ = writeln!(out, "| Default severity | {} |", meta.default_severity.as_str());
    let _ = writeln!(out, "| Enabled by default | {} |", if meta.default_enabled { "yes" } else { "no" });
    let _ = writeln!(out, "| Fix | {} |", meta.fix.as_str());
    out.push('\n');
    let docs = dedent(meta.docs);
    out.push_str(docs.trim_matches('\n'));
    out.push('\n');
    out
}

/// `docs/rules/README.md`: one table row per rule, linking its page.
pub fn render_index<'a>(metas: impl IntoIterator<Item = &'a RuleMeta>) -> String {
    let mut out = String::from("# Rules\n\n");
    out.push_str("Generated from the rule metadata by `UPDATE_DOCS=1 cargo test -p clerkguard_linter --test docs_in_sync`; do not edit by hand.\n\n");
    out.push_str("| Rule | Category | Default | Fix | Summary |\n|---|---|---|---|---|\n");
    for meta in metas {
        let default = if meta.default_enabled {
            meta.default_severity.as_str().to_string()
        } else {
            format!("off ({})", meta.default_severity.as_str())
        };
        let _ = writeln!(
            out,
            "| [`{id}`]({id}.md) | {} | {default} | {} | {} |",
            meta.category.as_str(),
            meta.fix.as_str(),
            meta.summary.replace('|', "\\|"),
            id = meta.id,
        );
    }
    out
}

/// Every generated file of `docs/rules/` as (file name, contents), index first.
pub fn generate_rule_docs() -> Vec<(String, String)> {
    let metas: Vec<&RuleMeta> = registry().metas().collect();
    let mut files = vec![(INDEX_FILE_NAME.to_string(), render_index(metas.iter().copied()))];
    files.extend(metas.iter().map(|m| (format!("{}.md", m.id), render_rule_page(m))));
    files
}

/// Docs written as `///` comments arrive with one leading space per line; drop it when every
/// non-blank line has it, so code blocks and headings start at column 0.
fn dedent(docs: &str) -> String {
    let indented = docs.lines().filter(|l| !l.trim().is_empty()).all(|l| l.starts_with(' '));
    if !indented {
        return docs.to_string();
    }
    docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::meta::SUPPRESSION_UNUSED;

    #[test]
    fn page_has_title_table_and_docs() {
        let page = render_rule_page(&SUPPRESSION_UNUSED);
        assert!(page.starts_with("# suppression-unused\n\n"));
        assert!(page.contains("| Category | `meta` |"));
        assert!(page.contains("| Fix | safe |"));
        assert!(page.contains("## What it does"));
        assert!(page.ends_with("It is safe.\n"));
    }

    #[test]
    fn doc_comment_indentation_is_removed() {
        assert_eq!(dedent(" ## A\n\n ```ts\n   x\n ```\n"), "## A\n\n```ts\n  x\n```");
        assert_eq!(dedent("## A\n x"), "## A\n x");
    }

    #[test]
    fn index_links_every_rule() {
        let index = render_index(registry().metas());
        for meta in registry().metas() {
            assert!(index.contains(&format!("[`{0}`]({0}.md)", meta.id)));
        }
    }
}

//! Building fixes that match the file: quotes, semicolons, indentation, and imports added only
//! when missing.

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{ImportSpecifier, Module, ModuleDecl, ModuleItem, Stmt};

use crate::Edit;
use crate::analysis::ast_util::range_of;
use crate::analysis::functions::{FnBody, FnRef};
use crate::analysis::{FileSemantics, ImportedName};

/// The conventions of a file, detected from its imports and statements.
#[derive(Clone, Debug)]
pub struct FileStyle {
    pub quote: char,
    pub semicolons: bool,
    pub indent_unit: String,
}

impl FileStyle {
    /// How many lines [`Self::detect`] reads.
    const LINES: usize = 400;

    pub fn detect(text: &str) -> Self {
        let (mut single, mut double) = (0, 0);
        let (mut with_semi, mut without_semi) = (0, 0);
        let mut indents: Vec<usize> = Vec::new();
        let mut tabs = 0;
        for line in text.lines().take(Self::LINES) {
            let trimmed = line.trim();
            if trimmed.starts_with("import ") || trimmed.starts_with("export ") && trimmed.contains(" from ") {
                if trimmed.contains(" from '") || trimmed.starts_with("import '") {
                    single += 1;
                } else if trimmed.contains(" from \"") || trimmed.starts_with("import \"") {
                    double += 1;
                }
            }
            if trimmed.starts_with("import ")
                || trimmed.starts_with("const ")
                || trimmed.starts_with("let ")
                || trimmed.starts_with("return ")
            {
                if trimmed.ends_with(';') {
                    with_semi += 1;
                } else if !trimmed.ends_with(['{', '(', ',', '[', '=', '>', '+', '&', '|', '?', ':']) {
                    without_semi += 1;
                }
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            if line.starts_with('\t') {
                tabs += 1;
            } else if indent > 0 && !trimmed.is_empty() && !trimmed.starts_with('*') {
                indents.push(indent);
            }
        }
        let indent_unit = if tabs > indents.len() {
            "\t".to_string()
        } else {
            let unit = indents.iter().copied().min().unwrap_or(2).clamp(2, 8);
            " ".repeat(if indents.iter().all(|i| i % 4 == 0) && unit >= 4 { 4 } else { unit })
        };
        Self { quote: if single > double { '\'' } else { '"' }, semicolons: with_semi >= without_semi, indent_unit }
    }

    /// How much of `text` [`Self::detect`] reads: an edit from this offset on keeps the style
    /// (`None`: the whole text, it has fewer lines than that).
    pub(crate) fn extent(text: &str) -> Option<usize> {
        memchr::memchr_iter(b'\n', text.as_bytes()).nth(Self::LINES - 1).map(|newline| newline + 1)
    }

    pub fn semi(&self) -> &'static str {
        if self.semicolons { ";" } else { "" }
    }

    pub fn quoted(&self, s: &str) -> String {
        format!("{q}{s}{q}", q = self.quote)
    }
}

/// Makes `name` from `source` available; returns the local name to use and the edit, if any.
/// An existing import of the same export (under any alias, from any of `equivalent_sources`)
/// is reused; an existing `import { ... } from source` gets the name added.
pub fn ensure_import(
    module: &Module,
    sem: &FileSemantics,
    text: &str,
    style: &FileStyle,
    name: &str,
    source: &str,
    equivalent_sources: &[&str],
) -> (String, Option<Edit>) {
    for (local, binding) in &sem.imports {
        if !binding.type_only
            && binding.imported == ImportedName::Named(name.to_string())
            && (binding.source == source || equivalent_sources.contains(&binding.source.as_str()))
        {
            return (local.clone(), None);
        }
    }
    // Add to an existing named import from the same module.
    for item in &module.body {
        let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else { continue };
        if import.type_only || import.src.value.to_string_lossy() != source {
            continue;
        }
        if !import.specifiers.iter().any(|s| matches!(s, ImportSpecifier::Named(_))) {
            continue;
        }
        let range = range_of(import);
        let decl_text = &text[range.as_usize_range()];
        if let Some(close) = decl_text.rfind('}') {
            let before = decl_text[..close].trim_end();
            let needs_comma = !before.ends_with(',') && !before.ends_with('{');
            let at = range.start + before.len() as u32;
            let insert = if needs_comma { format!(", {name}") } else { format!(" {name}") };
            return (name.to_string(), Some(Edit::insert(at, insert)));
        }
    }
    let line = format!("import {{ {name} }} from {}{}\n", style.quoted(source), style.semi());
    (name.to_string(), Some(Edit::insert(new_import_offset(module, sem, text), line)))
}

/// Where a new import line goes: after the last import, else after the directive prologue.
fn new_import_offset(module: &Module, sem: &FileSemantics, text: &str) -> u32 {
    if let Some(last) = sem.import_decls.last() {
        return line_end_after(text, last.end);
    }
    let mut offset = 0;
    for item in &module.body {
        match item {
            ModuleItem::Stmt(Stmt::Expr(e))
                if matches!(&*e.expr, clerkguard_syntax::ast::Expr::Lit(clerkguard_syntax::ast::Lit::Str(_))) =>
            {
                offset = line_end_after(text, range_of(e).end);
            }
            _ => break,
        }
    }
    offset
}

/// The offset just past the line break that ends the line containing `offset`.
pub fn line_end_after(text: &str, offset: u32) -> u32 {
    match text[offset as usize..].find('\n') {
        Some(i) => offset + i as u32 + 1,
        None => text.len() as u32,
    }
}

/// The start of the line containing `offset`.
pub fn line_start_of(text: &str, offset: u32) -> u32 {
    text[..offset as usize].rfind('\n').map_or(0, |i| i as u32 + 1)
}

/// The indentation of the line containing `offset`.
pub fn indent_at(text: &str, offset: u32) -> String {
    let start = line_start_of(text, offset) as usize;
    text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// Where statements are inserted at the top of a function body (after its directive prologue),
/// and with which indentation. `None` for expression-bodied arrows.
pub fn body_insert_point(func: FnRef<'_>, text: &str, style: &FileStyle) -> Option<(u32, String)> {
    let FnBody::Block(stmts) = func.body()? else { return None };
    let first_code = stmts.iter().find(|s| {
        !matches!(s, Stmt::Expr(e) if matches!(&*e.expr, clerkguard_syntax::ast::Expr::Lit(clerkguard_syntax::ast::Lit::Str(_))))
    });
    let prologue_end = stmts
        .iter()
        .take_while(|s| matches!(s, Stmt::Expr(e) if matches!(&*e.expr, clerkguard_syntax::ast::Expr::Lit(clerkguard_syntax::ast::Lit::Str(_)))))
        .last();
    match (first_code, prologue_end) {
        (Some(stmt), _) => {
            let start = range_of(stmt).start;
            let line_start = line_start_of(text, start);
            // Only insert at the line start when the statement begins its line.
            if text[line_start as usize..start as usize].trim().is_empty() {
                Some((line_start, indent_at(text, start)))
            } else {
                None
            }
        }
        (None, Some(last_directive)) => {
            let end = range_of(last_directive).end;
            Some((line_end_after(text, end), indent_at(text, end)))
        }
        (None, None) => {
            // Empty body `{}`: insert after the brace on a new line.
            let range = func.range();
            let body_text = &text[range.as_usize_range()];
            let brace = range.start + body_text.rfind('{')? as u32;
            let indent = format!("{}{}", indent_at(text, range.start), style.indent_unit);
            let _ = TextRange::empty(brace);
            Some((brace + 1, format!("\n{indent}")))
        }
    }
}

/// The edit that makes a function `async`, when it is not.
pub fn make_async(func: FnRef<'_>, text: &str) -> Option<Edit> {
    async_insert_at(func, text).map(async_edit)
}

/// The edit that makes the function starting at `at` async.
pub fn async_edit(at: u32) -> Edit {
    Edit::insert(at, "async ")
}

/// Where [`make_async`] inserts `async ` (without building the edit).
pub fn async_insert_at(func: FnRef<'_>, text: &str) -> Option<u32> {
    if func.is_async() {
        return None;
    }
    let start = func.range().start;
    let rest = &text[start as usize..];
    match func {
        FnRef::Function(_) if rest.starts_with("function") => Some(start),
        FnRef::Arrow(_) => Some(start),
        _ => None,
    }
}

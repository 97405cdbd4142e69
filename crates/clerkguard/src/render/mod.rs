//! Renderers for `clerkguard check`: one module per output format, sharing the positions,
//! paths and source lookups defined here. Every text a renderer prints goes through
//! [`crate::mask::mask_secrets`].

mod github;
mod json;
mod pretty;
mod sarif;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use clerkguard_linter::{Applicability, Diagnostic, Edit, LineIndex, PositionEncoding, Severity};

use crate::check::CheckedFile;
use crate::cli::OutputFormat;

pub use pretty::PrettyOptions;

/// Where each rule's documentation page lives.
pub const DOCS_BASE_URL: &str = "https://github.com/clerkguard/clerkguard/blob/main/docs/rules/";

pub fn docs_url(rule: &str) -> String {
    format!("{DOCS_BASE_URL}{rule}.md")
}

/// What every renderer gets: the checked files (sorted by path) and the directory paths are
/// shown relative to.
pub struct RenderInput<'a> {
    pub files: &'a [CheckedFile],
    /// The current directory (canonical): paths under it are shown relative to it, and it is
    /// SARIF's `%SRCROOT%`.
    pub base: &'a Path,
}

impl RenderInput<'_> {
    /// Every finding in output order: by file, then by position.
    pub fn findings(&self) -> impl Iterator<Item = (&CheckedFile, &Diagnostic)> {
        self.files.iter().flat_map(|f| f.report.diagnostics.iter().map(move |d| (f, d)))
    }

    pub fn display_path(&self, path: &Path) -> String {
        display_path(path, self.base)
    }

    /// A source lookup that starts with the checked files' texts.
    pub fn sources(&self) -> Sources<'_> {
        Sources {
            known: self.files.iter().filter_map(|f| Some((f.path.as_path(), f.text.as_deref()?))).collect(),
            known_indexes: HashMap::new(),
            loaded: HashMap::new(),
        }
    }
}

/// Renders `input` in `format`.
pub fn render(format: OutputFormat, input: &RenderInput<'_>, pretty: &PrettyOptions) -> anyhow::Result<String> {
    Ok(match format {
        OutputFormat::Pretty => pretty::render(input, pretty),
        OutputFormat::Json => json::render(input)?,
        OutputFormat::Sarif => sarif::render(input)?,
        OutputFormat::Github => github::render(input),
    })
}

/// `path` relative to `base` with `/` separators when it lies under `base`, else as given.
pub fn display_path(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => slash_path(rel),
        Err(_) => path.display().to_string(),
    }
}

fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// A source text with its line index.
pub struct SourceFile<'a> {
    pub text: &'a str,
    pub index: std::borrow::Cow<'a, LineIndex>,
}

impl<'a> SourceFile<'a> {
    /// A text with a line index built now.
    pub fn new(text: &'a str) -> Self {
        Self { text, index: std::borrow::Cow::Owned(LineIndex::new(text)) }
    }
}

/// Texts of files findings point into: the checked files, plus files named only by related
/// information or fix edits, read from disk on first use.
pub struct Sources<'a> {
    known: HashMap<&'a Path, &'a str>,
    /// Line indexes of the checked files, built on first use (a file has many findings).
    known_indexes: HashMap<&'a Path, LineIndex>,
    loaded: HashMap<PathBuf, Option<(String, LineIndex)>>,
}

impl Sources<'_> {
    /// The text and line index of `path`, or `None` when it cannot be read.
    pub fn get(&mut self, path: &Path) -> Option<SourceFile<'_>> {
        if let Some((&known, &text)) = self.known.get_key_value(path) {
            let index = self.known_indexes.entry(known).or_insert_with(|| LineIndex::new(text));
            return Some(SourceFile { text, index: std::borrow::Cow::Borrowed(index) });
        }
        let entry = self.loaded.entry(path.to_path_buf()).or_insert_with(|| {
            let text = std::fs::read_to_string(path).ok()?;
            let index = LineIndex::new(&text);
            Some((text, index))
        });
        entry.as_ref().map(|(text, index)| SourceFile { text, index: std::borrow::Cow::Borrowed(index) })
    }
}

/// A 1-based position with columns counted three ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    /// In UTF-16 code units (LSP's and SARIF's default).
    pub column_utf16: u32,
    /// In Unicode scalar values (what people count).
    pub column_chars: u32,
}

impl Position {
    /// Line 1, column 1: used when a file's text is not available.
    pub const START: Position = Position { line: 1, column_utf16: 1, column_chars: 1 };

    pub fn of(source: Option<&SourceFile<'_>>, offset: u32) -> Self {
        let Some(source) = source else { return Self::START };
        let lc = source.index.line_col(source.text, offset, PositionEncoding::Utf16);
        let line_start = source.index.line_start(lc.line).unwrap_or(0) as usize;
        let mut offset = (offset as usize).clamp(line_start, source.text.len());
        while !source.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let prefix = source.text.get(line_start..offset).unwrap_or("");
        Self { line: lc.line + 1, column_utf16: lc.col + 1, column_chars: prefix.chars().count() as u32 + 1 }
    }
}

/// The file an edit applies to: its own `file`, else the diagnostic's file. A relative path is
/// taken relative to the diagnostic's project directory (the directory of its file).
pub fn edit_target(edit: &Edit, diagnostic_file: &Path) -> PathBuf {
    match &edit.file {
        None => diagnostic_file.to_path_buf(),
        Some(p) if p.is_absolute() => p.clone(),
        Some(p) => diagnostic_file.parent().map_or_else(|| p.clone(), |dir| dir.join(p)),
    }
}

pub fn applicability_str(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// Finding counts for summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub hints: usize,
    pub files_with_findings: usize,
    pub safe_fixable: usize,
    pub unsafe_fixable: usize,
}

impl Counts {
    pub fn of(files: &[CheckedFile]) -> Self {
        let mut counts = Self::default();
        for file in files {
            if !file.report.diagnostics.is_empty() {
                counts.files_with_findings += 1;
            }
            for d in &file.report.diagnostics {
                match d.severity {
                    Severity::Error => counts.errors += 1,
                    Severity::Warning => counts.warnings += 1,
                    Severity::Hint => counts.hints += 1,
                }
                match d.fix.as_ref().map(|f| f.applicability) {
                    Some(Applicability::Safe) => counts.safe_fixable += 1,
                    Some(Applicability::Unsafe) => counts.unsafe_fixable += 1,
                    _ => {}
                }
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.hints
    }
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_under_the_base() {
        let base = Path::new("/repo");
        assert_eq!(display_path(Path::new("/repo/app/page.tsx"), base), "app/page.tsx");
        assert_eq!(display_path(Path::new("/elsewhere/x.ts"), base), "/elsewhere/x.ts");
    }

    #[test]
    fn positions_count_utf16_and_chars() {
        let text = "a\n🚀é x";
        let source = SourceFile::new(text);
        let x = text.find('x').unwrap() as u32;
        let pos = Position::of(Some(&source), x);
        assert_eq!(pos, Position { line: 2, column_utf16: 5, column_chars: 4 });
    }
}

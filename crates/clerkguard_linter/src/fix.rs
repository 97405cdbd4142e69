//! Fixes are data: ordered, non-overlapping byte-range edits with an applicability.

use std::path::PathBuf;

use clerkguard_syntax::TextRange;
use serde::{Deserialize, Serialize};

/// How safe it is to apply a fix without review (ruff's model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown to the user, never applied automatically.
    DisplayOnly,
    /// Changes behaviour in ways that need review; `--unsafe-fixes` only.
    Unsafe,
    /// Keeps the code's intent; applied by `--fix` and `source.fixAll`.
    Safe,
}

/// Replace `range` of a file with `new_text`. `file: None` means the diagnostic's own file;
/// `Some(path)` is always an absolute path (a cross-file edit, e.g. into the middleware file or
/// package.json), and `range` is then a byte range of *that* file's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn insert(at: u32, text: impl Into<String>) -> Self {
        Self { file: None, range: TextRange::empty(at), new_text: text.into() }
    }

    pub fn replace(range: TextRange, text: impl Into<String>) -> Self {
        Self { file: None, range, new_text: text.into() }
    }

    pub fn delete(range: TextRange) -> Self {
        Self { file: None, range, new_text: String::new() }
    }

    pub fn in_file(mut self, file: PathBuf) -> Self {
        self.file = Some(file);
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Imperative title shown in the editor, e.g. "Insert `if (!userId)` guard".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.file.clone(), e.range.start, e.range.end));
        Self { title: title.into(), applicability, edits }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    /// The edits that apply to the diagnostic's own file.
    pub fn local_edits(&self) -> impl Iterator<Item = &Edit> {
        self.edits.iter().filter(|e| e.file.is_none())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ApplyError {
    #[error("edit {0:?} is out of bounds or not on a character boundary")]
    OutOfBounds(TextRange),
    #[error("edits overlap at byte {0}")]
    Overlap(u32),
}

/// Applies edits (all for the same text) and returns the new text. Edits must not overlap;
/// insertions at the same offset are applied in the order given.
pub fn apply_edits<'a>(text: &str, edits: impl IntoIterator<Item = &'a Edit>) -> Result<String, ApplyError> {
    let mut edits: Vec<&Edit> = edits.into_iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0usize;
    for edit in edits {
        let (start, end) = (edit.range.start as usize, edit.range.end as usize);
        if end > text.len() || start > end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(ApplyError::OutOfBounds(edit.range));
        }
        if start < cursor {
            return Err(ApplyError::Overlap(edit.range.start));
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.new_text);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// Picks the fixes that can be applied together to one text: in order, skipping any fix whose
/// same-file edits overlap an edit already taken. Returns the chosen edits and how many fixes
/// they came from.
pub fn select_fixes<'a>(fixes: impl IntoIterator<Item = &'a Fix>) -> (Vec<&'a Edit>, usize) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let local: Vec<&Edit> = fix.local_edits().collect();
        let clashes = local.iter().any(|e| {
            taken.iter().any(|t| {
                e.range.intersects(t.range)
                    || (e.range.is_empty() && t.range.contains(e.range.start))
                    || (t.range.is_empty() && e.range.contains(t.range.start))
            })
        });
        if clashes {
            continue;
        }
        taken.extend(local);
        applied += 1;
    }
    (taken, applied)
}

/// Applies several fixes to one text, skipping any fix whose edits overlap an earlier one.
/// Returns the new text and how many fixes were applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let (edits, applied) = select_fixes(fixes);
    match apply_edits(text, edits) {
        Ok(out) => (out, applied),
        Err(_) => (text.to_string(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_sorted_edits() {
        let text = "abcdef";
        let edits =
            [Edit::replace(TextRange::new(4, 5), "E"), Edit::insert(0, ">"), Edit::delete(TextRange::new(1, 2))];
        assert_eq!(apply_edits(text, &edits).unwrap(), ">acdEf");
    }

    #[test]
    fn rejects_overlap_and_bad_ranges() {
        let text = "a🚀b";
        assert!(apply_edits(text, &[Edit::insert(2, "x")]).is_err());
        let overlapping = [Edit::replace(TextRange::new(0, 3), ""), Edit::replace(TextRange::new(1, 2), "")];
        assert!(apply_edits("abcd", &overlapping).is_err());
    }
}

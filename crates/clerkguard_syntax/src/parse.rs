//! Parsing with swc, plus a recovery pass for half-typed files.
//!
//! swc returns no syntax tree at all once a file has a real syntax error. A file being typed is
//! invalid most of the time, so when the parse fails we blank out the top-level statement that
//! holds the error (replacing its bytes with spaces, so every other offset stays valid) and parse
//! again. The rules then still run on every other top-level item of the file.

use swc_common::{
    BytePos, Spanned,
    comments::{Comment, CommentKind, SingleThreadedComments},
    input::StringInput,
};
use swc_ecma_ast::{EsVersion, Module};
use swc_ecma_parser::{Parser, lexer::Lexer};

use crate::{SourceKind, TextRange};

/// swc reserves `BytePos(0)` for dummy spans; parsed files start at 1.
pub(crate) const BASE_POS: u32 = 1;

/// At most this many statements are blanked before the parse is given up.
const MAX_RECOVERY_ROUNDS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct SourceComment {
    pub range: TextRange,
    /// The comment's text without `//` or `/* */`.
    pub text: String,
    pub is_block: bool,
}

/// The result of parsing one file.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// `None` only when not even the recovery pass produced a tree.
    pub module: Option<Module>,
    /// Syntax errors of the original text (the first fatal one, plus recovered ones).
    pub errors: Vec<SyntaxError>,
    pub comments: Vec<SourceComment>,
    /// Ranges the recovery pass blanked out; rules do not see code in them.
    pub skipped: Vec<TextRange>,
}

impl ParsedFile {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.skipped.is_empty()
    }
}

/// Parses `text` as an ES module of the given dialect.
pub fn parse_source(text: &str, kind: SourceKind) -> ParsedFile {
    parse_at(text, 0, kind)
}

/// Parses `text`, which sits at byte `offset` of its file, as an ES module: every range in the
/// result (spans, errors, comments, blanked ranges) is a range of the whole file. The
/// incremental re-parse ([`crate::Reparser`]) parses a run of top-level items this way.
pub(crate) fn parse_at(text: &str, offset: u32, kind: SourceKind) -> ParsedFile {
    let first = parse_once(text, offset, kind);
    let mut errors = first.recovered.clone();
    let Some(fatal) = first.fatal.clone() else {
        return ParsedFile {
            module: first.module,
            errors: first.recovered,
            comments: first.comments,
            skipped: Vec::new(),
        };
    };
    errors.insert(0, fatal.clone());

    let mut working = text.as_bytes().to_vec();
    // Relative to `text` while recovering; moved to file offsets at the end.
    let mut skipped: Vec<TextRange> = Vec::new();
    let mut next_error = fatal;
    let whole = TextRange::new(0, text.len() as u32);
    let to_file = |skipped: Vec<TextRange>| -> Vec<TextRange> {
        skipped.into_iter().map(|r| TextRange::new(r.start + offset, r.end + offset)).collect()
    };
    for _ in 0..MAX_RECOVERY_ROUNDS {
        let at = next_error.range.start.saturating_sub(offset);
        let chunk = statement_chunk_around(&working, at, &skipped);
        blank(&mut working, chunk);
        merge_into(&mut skipped, chunk);
        // Blanking only replaces non-newline ASCII-or-multibyte bytes by spaces byte-for-byte,
        // so the text stays valid UTF-8 only if whole characters are blanked: `blank` does that.
        let Ok(candidate) = std::str::from_utf8(&working) else { break };
        let attempt = parse_once(candidate, offset, kind);
        match attempt.fatal {
            None => {
                let skipped = to_file(skipped);
                return ParsedFile { module: attempt.module, errors, comments: attempt.comments, skipped };
            }
            Some(err) => next_error = err,
        }
        if skipped.len() == 1 && skipped[0] == whole {
            break;
        }
    }
    ParsedFile { module: None, errors, comments: first.comments, skipped: to_file(skipped) }
}

struct Attempt {
    module: Option<Module>,
    fatal: Option<SyntaxError>,
    recovered: Vec<SyntaxError>,
    comments: Vec<SourceComment>,
}

fn parse_once(text: &str, offset: u32, kind: SourceKind) -> Attempt {
    let comments = SingleThreadedComments::default();
    let start = BytePos(BASE_POS + offset);
    let end = BytePos(BASE_POS + offset + text.len() as u32);
    let input = StringInput::new(text, start, end);
    let lexer = Lexer::new(kind.syntax(), EsVersion::latest(), input, Some(&comments));
    let mut parser = Parser::new_from(lexer);
    let result = parser.parse_module();
    let recovered = parser.take_errors().into_iter().map(to_syntax_error).collect();
    let (module, fatal) = match result {
        Ok(module) => (Some(module), None),
        Err(err) => (None, Some(to_syntax_error(err))),
    };
    Attempt { module, fatal, recovered, comments: collect_comments(comments) }
}

fn to_syntax_error(err: swc_ecma_parser::error::Error) -> SyntaxError {
    SyntaxError { range: TextRange::from_span(err.span()), message: err.kind().msg().into_owned() }
}

fn collect_comments(comments: SingleThreadedComments) -> Vec<SourceComment> {
    let (leading, trailing) = comments.take_all();
    let mut all: Vec<Comment> = Vec::new();
    for map in [leading, trailing] {
        for (_, list) in map.take() {
            all.extend(list);
        }
    }
    all.sort_by_key(|c| c.span.lo);
    all.dedup_by_key(|c| c.span.lo);
    all.into_iter()
        .map(|c| SourceComment {
            range: TextRange::from_span(c.span),
            text: c.text.to_string(),
            is_block: c.kind == CommentKind::Block,
        })
        .collect()
}

/// The top-level statement around `offset`: from the last line at or before it that starts a
/// statement in column 0, to just before the next such line after it.
fn statement_chunk_around(text: &[u8], offset: u32, skipped: &[TextRange]) -> TextRange {
    let offset = (offset as usize).min(text.len());
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1))
        .filter(|&s| s <= text.len())
        .collect();
    let starts_statement = |s: usize| -> bool {
        let Some(&b) = text.get(s) else { return false };
        !(b.is_ascii_whitespace() || b"})]>.,?:|&+-*=/".contains(&b) || skipped.iter().any(|r| r.contains(s as u32)))
            || text[s..].starts_with(b"//")
            || text[s..].starts_with(b"/*")
    };
    let error_line = line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut start_line = error_line;
    while start_line > 0 && !starts_statement(line_starts[start_line]) {
        start_line -= 1;
    }
    // When the error sits on a statement's first line and that statement was the one blanked
    // last round, widen to the previous statement: the real error is earlier (an unclosed brace).
    let mut start = line_starts[start_line];
    if skipped.iter().any(|r| r.contains(start as u32) || r.end as usize == start) && start_line > 0 {
        let mut line = start_line - 1;
        while line > 0 && !starts_statement(line_starts[line]) {
            line -= 1;
        }
        start = line_starts[line];
    }
    let end = line_starts
        .iter()
        .copied()
        .filter(|&s| s > offset && s > start)
        .find(|&s| starts_statement(s))
        .unwrap_or(text.len());
    TextRange::new(start as u32, end as u32)
}

/// Replaces every byte of `range` except line breaks by a space, keeping all offsets. Multi-byte
/// characters are blanked whole (each of their bytes becomes a space), so the result stays UTF-8.
fn blank(text: &mut [u8], range: TextRange) {
    let end = (range.end as usize).min(text.len());
    for b in &mut text[range.start as usize..end] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

fn merge_into(skipped: &mut Vec<TextRange>, chunk: TextRange) {
    skipped.push(chunk);
    skipped.sort();
    let mut merged: Vec<TextRange> = Vec::with_capacity(skipped.len());
    for r in skipped.drain(..) {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    *skipped = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_file_parses() {
        let parsed = parse_source("'use server';\nexport async function f() {}\n", SourceKind::TypeScript);
        assert!(parsed.is_clean());
        assert_eq!(parsed.module.unwrap().body.len(), 2);
    }

    #[test]
    fn half_typed_function_keeps_the_other_items() {
        let text = "import { auth } from '@clerk/nextjs/server';\n\nexport async function ok() {\n  return 1;\n}\n\nexport async function typing() {\n  const { userId } = await auth(\n}\n\nexport const after = 2;\n";
        let parsed = parse_source(text, SourceKind::TypeScript);
        let module = parsed.module.expect("recovered");
        assert_eq!(parsed.errors.len(), 1);
        // import, ok(), after — `typing` is blanked.
        assert_eq!(module.body.len(), 3, "{:?}", parsed.skipped);
        let skipped = &text[parsed.skipped[0].as_usize_range()];
        assert!(skipped.contains("typing"));
        assert!(!skipped.contains("after"));
    }

    #[test]
    fn error_at_eof_from_unclosed_brace() {
        let text = "export const a = 1;\nexport function f() {\n  if (x) {\n    g();\n}\n";
        let parsed = parse_source(text, SourceKind::TypeScript);
        // swc itself recovers from a missing `}` at the end of the file.
        let module = parsed.module.expect("recovered");
        assert!(!module.body.is_empty());
        assert_eq!(parsed.errors.len(), 1);
    }

    #[test]
    fn multibyte_text_is_blanked_whole() {
        let text = "export const a = '日本🚀';\nconst b = ;\n";
        let parsed = parse_source(text, SourceKind::TypeScript);
        assert!(parsed.module.is_some());
        assert!(!parsed.errors.is_empty());
    }

    #[test]
    fn comments_are_collected_in_order() {
        let parsed = parse_source("// one\nconst a = 1; /* two */\n", SourceKind::TypeScript);
        let texts: Vec<_> = parsed.comments.iter().map(|c| c.text.trim().to_string()).collect();
        assert_eq!(texts, ["one", "two"]);
    }
}

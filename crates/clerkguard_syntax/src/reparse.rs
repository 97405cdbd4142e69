//! Incremental re-parsing for the editor: a keystroke re-parses the top-level items it touched,
//! not the file.
//!
//! The file is cut into *chunks*, one per top-level item: a chunk runs from its item's first
//! token to the next item's first token (the first chunk from the start of the file), so the
//! whitespace and comments between items belong to the chunk before them. An edit is found by
//! comparing the new text with the last one (common prefix and suffix). The chunks it touches
//! are parsed again together with one untouched, cleanly parsed neighbour on each side, as a
//! piece of text at its own offset of the file; the other items are reused, the ones after the
//! edit with their spans moved by the edit's length change.
//!
//! A clean re-parse is accepted only when the neighbours come back exactly where they were: the
//! left one starting at the same byte, the right one with the same span (moved). They are
//! unchanged text, and each still ends where its next item starts, so the tokens around both
//! seams are the ones the last parse already split there: the result is the tree a parse of the
//! whole new text gives (the tests compare the two after random edits). Anything else (a
//! neighbour that moved, an edit that swallowed one) falls back to a full parse.
//!
//! A re-parse with a syntax error recovers locally: the recovery pass of [`crate::parse_source`]
//! runs on the re-parsed piece only and blanks the broken statement there, where a full parse
//! might blank more (an unclosed brace makes swc report its error at the end of the file). The
//! neighbours that came back unchanged stay chunks of their own; the touched chunks, with any
//! neighbour holding an error or a blanked range, become one broken chunk. While a broken chunk
//! lies outside the next edit's piece, that edit parses the whole file again (a comment opened
//! in one place and closed in another is then seen whole); so does an error reaching the
//! piece's last token, which cutting the text there may have caused.

use swc_common::{BytePos, Span, Spanned};
use swc_ecma_ast::ModuleItem;
use swc_ecma_visit::{VisitMut, VisitMutWith};

use crate::parse::{ParsedFile, SourceComment, parse_at};
use crate::text_change::moved;
use crate::{SourceKind, TextChange, TextRange};

/// Re-parses successive versions of one file, reusing what an edit did not touch. Hand each
/// parse back with [`Self::keep`] once done with it; a parse not handed back makes the next one
/// a full parse.
#[derive(Default)]
pub struct Reparser {
    /// The layout of the last parse handed out.
    layout: Option<Layout>,
    /// That parse, once handed back.
    kept: Option<ParsedFile>,
    last_kind: Option<ReparseKind>,
}

struct Layout {
    text: String,
    kind: SourceKind,
    chunks: Vec<Chunk>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Chunk {
    /// Where the chunk starts: its first item's first byte (0 for the first chunk).
    start: u32,
    /// How many module items it holds (0 only for a file without items).
    items: u32,
    /// It holds a syntax error or a blanked range.
    broken: bool,
}

/// How a [`Reparser::parse`] went, for tests and statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReparseKind {
    /// The whole text was parsed.
    Full,
    /// The text had not changed; the kept tree was returned.
    Unchanged,
    /// Only the touched items (and their neighbours) were parsed.
    Partial,
}

impl Reparser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses `text`, reusing the kept parse of the last version where the edit allows.
    pub fn parse(&mut self, text: &str, kind: SourceKind) -> ParsedFile {
        let (parsed, how) = self.parse_reporting(text, kind);
        self.last_kind = Some(how);
        parsed
    }

    /// How the last [`Self::parse`] went.
    pub fn last_kind(&self) -> Option<ReparseKind> {
        self.last_kind
    }

    /// [`Self::parse`], saying how the parse went.
    fn parse_reporting(&mut self, text: &str, kind: SourceKind) -> (ParsedFile, ReparseKind) {
        let layout = self.layout.take();
        let kept = self.kept.take();
        if let (Some(layout), Some(kept)) = (layout, kept)
            && layout.kind == kind
            && kept.module.is_some()
        {
            if layout.text == text {
                self.layout = Some(layout);
                return (kept, ReparseKind::Unchanged);
            }
            if let Some((parsed, chunks)) = reparse(&layout, kept, text, kind) {
                self.layout = Some(Layout { text: text.to_string(), kind, chunks });
                return (parsed, ReparseKind::Partial);
            }
        }
        let parsed = crate::parse_source(text, kind);
        self.layout = chunks_of(&parsed, text).map(|chunks| Layout { text: text.to_string(), kind, chunks });
        (parsed, ReparseKind::Full)
    }

    /// Keeps `parsed`, the last parse this reparser handed out, for the next version.
    pub fn keep(&mut self, parsed: ParsedFile) {
        let matches = self.layout.as_ref().zip(parsed.module.as_ref()).is_some_and(|(layout, module)| {
            layout.chunks.iter().map(|c| c.items as usize).sum::<usize>() == module.body.len()
        });
        if matches {
            self.kept = Some(parsed);
        } else {
            self.layout = None;
        }
    }
}

/// The chunks of a full parse, or `None` when it has no tree or needed the recovery pass (its
/// item boundaries are then not the text's: the next version is parsed whole too).
fn chunks_of(parsed: &ParsedFile, text: &str) -> Option<Vec<Chunk>> {
    let module = parsed.module.as_ref().filter(|_| parsed.is_clean())?;
    Some(chunks_for_items(&module.body, 0, text, 0, &parsed.comments))
}

/// One chunk per item, the first starting at `start`; a single empty chunk without items.
/// `text` is the parsed text, at `offset` of the file. An item is a chunk of its own only when
/// nothing but whitespace and comments separates it from the item before: an item whose span
/// does not cover all of its tokens (a class's decorators come before its span) stays with the
/// item before it, so a re-parse never starts between it and those tokens.
fn chunks_for_items(
    items: &[ModuleItem],
    start: u32,
    text: &str,
    offset: u32,
    comments: &[SourceComment],
) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::with_capacity(items.len().max(1));
    let mut previous_end = start;
    for item in items {
        let range = TextRange::from_span(item.span());
        match chunks.last_mut() {
            Some(chunk) if !is_trivia(text, offset, TextRange::new(previous_end, range.start), comments) => {
                chunk.items += 1;
            }
            Some(_) => chunks.push(Chunk { start: range.start, items: 1, broken: false }),
            None => chunks.push(Chunk { start, items: 1, broken: false }),
        }
        previous_end = previous_end.max(range.end);
    }
    if chunks.is_empty() {
        chunks.push(Chunk { start, items: 0, broken: false });
    }
    chunks
}

/// Whether `range` of the file holds only ASCII whitespace and comments (`text` starts at
/// `offset` of the file; `comments` are sorted).
fn is_trivia(text: &str, offset: u32, range: TextRange, comments: &[SourceComment]) -> bool {
    if range.start > range.end || range.start < offset {
        return false;
    }
    let bytes = text.as_bytes();
    let mut at = range.start;
    let mut next_comment = comments.partition_point(|c| c.range.start < at);
    while at < range.end {
        if let Some(c) = comments.get(next_comment)
            && c.range.start == at
        {
            at = c.range.end;
            next_comment += 1;
            continue;
        }
        match bytes.get((at - offset) as usize) {
            Some(b) if b.is_ascii_whitespace() => at += 1,
            _ => return false,
        }
    }
    true
}

/// Re-parses the chunks the change from `layout.text` to `text` touched; `None` when it must be
/// a full parse.
fn reparse(layout: &Layout, mut kept: ParsedFile, text: &str, kind: SourceKind) -> Option<(ParsedFile, Vec<Chunk>)> {
    let chunks = &layout.chunks;
    let change = TextChange::between(&layout.text, text);
    let (change_start, old_change_end) = (change.start, change.old_end);
    let delta = change.delta();

    let old_len = layout.text.len() as u32;
    let chunk_end = |i: usize| chunks.get(i + 1).map_or(old_len, |c| c.start);
    let chunk_at = |offset: u32| chunks.partition_point(|c| c.start <= offset).saturating_sub(1);
    let first = chunk_at(change_start);
    let last = chunk_at(old_change_end.saturating_sub(1).max(change_start)).max(first);
    // One clean, item-holding neighbour on each side (the seams the result is checked at).
    let usable = |c: &Chunk| !c.broken && c.items > 0;
    let mut lo = first;
    if lo > 0 {
        lo -= 1;
        while lo > 0 && !usable(&chunks[lo]) {
            lo -= 1;
        }
    }
    let mut hi = last;
    if hi + 1 < chunks.len() {
        hi += 1;
        while hi + 1 < chunks.len() && !usable(&chunks[hi]) {
            hi += 1;
        }
    }
    // A broken chunk outside the piece: its error may depend on this edit; parse everything.
    if chunks.iter().enumerate().any(|(i, c)| c.broken && (i < lo || i > hi)) {
        return None;
    }
    let left_seam = lo < first;
    let right_seam = hi > last;
    if (left_seam && !usable(&chunks[lo])) || (right_seam && !usable(&chunks[hi])) {
        return None;
    }

    let module = kept.module.as_mut()?;
    let items_before: usize = chunks[..lo].iter().map(|c| c.items as usize).sum();
    let items_in: usize = chunks[lo..=hi].iter().map(|c| c.items as usize).sum();
    let piece_start = chunks[lo].start;
    let old_piece_end = chunk_end(hi);
    let new_piece_end = moved(old_piece_end, delta)?;
    let piece_text = text.get(piece_start as usize..new_piece_end as usize)?;
    let piece = parse_at(piece_text, piece_start, kind);
    let piece_module = piece.module?;
    let old_items = &module.body[items_before..items_before + items_in];
    let piece_chunks = if piece.errors.is_empty() && piece.skipped.is_empty() {
        let new_items = &piece_module.body;
        if left_seam && old_items.first()?.span().lo != new_items.first()?.span().lo {
            return None;
        }
        if right_seam && shift_span(old_items.last()?.span(), delta)? != new_items.last()?.span() {
            return None;
        }
        chunks_for_items(&piece_module.body, piece_start, piece_text, piece_start, &piece.comments)
    } else {
        let piece_layout = Piece { chunks, lo, first, last, hi, old_piece_end, new_piece_end, delta };
        piece_layout.broken_chunks(old_items, &piece_module.body, &piece.errors, &piece.skipped)?
    };

    // Splice the items: before (as they were), the piece's, after (moved).
    let mut after: Vec<ModuleItem> = module.body.split_off(items_before + items_in);
    module.body.truncate(items_before);
    if delta != 0 {
        let mut mover = SpanMover { delta };
        for item in &mut after {
            item.visit_mut_with(&mut mover);
        }
    }
    // The module's span runs from its first token to its last: the piece's where it holds them.
    let span_lo = if piece_start == 0 { piece_module.span.lo } else { module.span.lo };
    let span_hi = if hi + 1 == chunks.len() { piece_module.span.hi } else { shift_pos(module.span.hi, delta)? };
    module.span = Span::new(span_lo, span_hi);
    if piece_start == 0 {
        module.shebang = piece_module.shebang;
    }
    module.body.extend(piece_module.body);
    module.body.extend(after);

    // Comments: before the piece, the piece's, after it (moved).
    let mut comments: Vec<SourceComment> = Vec::with_capacity(kept.comments.len() + 4);
    let mut old_comments = std::mem::take(&mut kept.comments).into_iter().peekable();
    while let Some(c) = old_comments.next_if(|c| c.range.end <= piece_start) {
        comments.push(c);
    }
    comments.extend(piece.comments);
    for mut c in old_comments.filter(|c| c.range.start >= old_piece_end) {
        c.range = shift_range(c.range, delta)?;
        comments.push(c);
    }

    let mut new_chunks = Vec::with_capacity(chunks.len() + piece_chunks.len());
    new_chunks.extend_from_slice(&chunks[..lo]);
    new_chunks.extend(piece_chunks);
    for c in &chunks[hi + 1..] {
        new_chunks.push(Chunk { start: moved(c.start, delta)?, ..*c });
    }
    // Broken chunks all lay inside the piece, so the file's errors are the piece's.
    let parsed = ParsedFile { module: kept.module, errors: piece.errors, comments, skipped: piece.skipped };
    Some((parsed, new_chunks))
}

fn shift_pos(pos: BytePos, delta: i64) -> Option<BytePos> {
    moved(pos.0, delta).map(BytePos)
}

fn shift_span(span: Span, delta: i64) -> Option<Span> {
    Some(Span::new(shift_pos(span.lo, delta)?, shift_pos(span.hi, delta)?))
}

fn shift_range(range: TextRange, delta: i64) -> Option<TextRange> {
    Some(TextRange::new(moved(range.start, delta)?, moved(range.end, delta)?))
}

/// Where a re-parsed piece lies among the last version's chunks.
struct Piece<'c> {
    chunks: &'c [Chunk],
    /// The piece's first and last chunk (the neighbours, where there are some).
    lo: usize,
    hi: usize,
    /// The first and last chunk the edit touched.
    first: usize,
    last: usize,
    old_piece_end: u32,
    new_piece_end: u32,
    delta: i64,
}

impl Piece<'_> {
    fn old_chunk_end(&self, i: usize) -> u32 {
        self.chunks.get(i + 1).map_or(self.old_piece_end, |c| c.start)
    }

    fn moved(&self, offset: u32) -> Option<u32> {
        moved(offset, self.delta)
    }

    /// The chunks of a piece that needed the recovery pass: the untouched chunks at its edges
    /// that came back exactly as they were (same items, same spans) stay as they were; the rest
    /// (the touched chunks, and any neighbour holding an error or a blanked range) becomes one
    /// broken chunk. `None` when the piece must be given up for a full parse: an error that
    /// reaches the piece's last token may be an artefact of cutting the text there (an
    /// unterminated comment or string, an unclosed brace the rest of the file would close),
    /// and items that do not line up with the old chunks mean the edit moved a seam.
    fn broken_chunks(
        &self,
        old_items: &[ModuleItem],
        items: &[ModuleItem],
        errors: &[crate::SyntaxError],
        skipped: &[TextRange],
    ) -> Option<Vec<Chunk>> {
        let bad_starts = errors.iter().map(|e| e.range.start).chain(skipped.iter().map(|r| r.start));
        let bad_ends = errors.iter().map(|e| e.range.end).chain(skipped.iter().map(|r| r.end));
        let first_bad = bad_starts.min()?;
        let last_bad = bad_ends.max()?;
        // A right neighbour exists (the piece does not run to the end of the file).
        if self.hi > self.last {
            let last_token_end = self.moved(TextRange::from_span(old_items.last()?.span()).end)?;
            if last_bad >= last_token_end {
                return None;
            }
        }
        let broken_from = self.chunks[self.first].start.min(first_bad);
        let broken_to = self.moved(self.old_chunk_end(self.last))?.max(last_bad);
        let kept_left = (self.lo..self.first).take_while(|&i| self.old_chunk_end(i) <= broken_from).count();
        let mut kept_right = 0;
        for i in (self.last + 1..=self.hi).rev() {
            if self.moved(self.chunks[i].start)? < broken_to {
                break;
            }
            kept_right += 1;
        }
        let left_items: usize = self.chunks[self.lo..self.lo + kept_left].iter().map(|c| c.items as usize).sum();
        let right_items: usize = self.chunks[self.hi + 1 - kept_right..=self.hi].iter().map(|c| c.items as usize).sum();
        if left_items + right_items > items.len() {
            return None;
        }
        let broken_start = self.chunks[self.lo + kept_left].start;
        let broken_end = match kept_right {
            0 => self.new_piece_end,
            n => self.moved(self.chunks[self.hi + 1 - n].start)?,
        };
        // The kept chunks' items came back unchanged, and the broken chunk's stay inside it.
        let same_left = old_items[..left_items].iter().zip(&items[..left_items]).all(|(a, b)| a.span() == b.span());
        let old_right = &old_items[old_items.len() - right_items..];
        let new_right = &items[items.len() - right_items..];
        let same_right =
            old_right.iter().zip(new_right).all(|(a, b)| shift_span(a.span(), self.delta) == Some(b.span()));
        let middle = &items[left_items..items.len() - right_items];
        let inside = middle.iter().all(|item| {
            let r = TextRange::from_span(item.span());
            r.start >= broken_start && r.end <= broken_end
        });
        if !(same_left && same_right && inside) {
            return None;
        }
        let mut out = Vec::with_capacity(kept_left + kept_right + 1);
        out.extend_from_slice(&self.chunks[self.lo..self.lo + kept_left]);
        out.push(Chunk { start: broken_start, items: middle.len() as u32, broken: true });
        for c in &self.chunks[self.hi + 1 - kept_right..=self.hi] {
            out.push(Chunk { start: self.moved(c.start)?, ..*c });
        }
        Some(out)
    }
}

/// Moves every span of the items after an edit by the edit's length change. Items after the
/// edit start after it, so no position underflows; dummy spans (`BytePos(0)`) stay dummy.
struct SpanMover {
    delta: i64,
}

impl VisitMut for SpanMover {
    fn visit_mut_span(&mut self, span: &mut Span) {
        if span.lo.0 == 0 && span.hi.0 == 0 {
            return;
        }
        let lo = (span.lo.0 as i64 + self.delta).max(0) as u32;
        let hi = (span.hi.0 as i64 + self.delta).max(0) as u32;
        *span = Span::new(BytePos(lo), BytePos(hi));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_source;

    /// Compares a re-parse with a full parse of the same text.
    fn assert_same(reparsed: &ParsedFile, full: &ParsedFile, context: &str) {
        assert_eq!(reparsed.module, full.module, "tree differs {context}");
        let key = |c: &SourceComment| (c.range, c.text.clone(), c.is_block);
        let a: Vec<_> = reparsed.comments.iter().map(key).collect();
        let b: Vec<_> = full.comments.iter().map(key).collect();
        assert_eq!(a, b, "comments differ {context}");
        assert_eq!(reparsed.skipped, full.skipped, "blanked ranges differ {context}");
        // swc drops some lexer errors depending on the path its parser took to the token (a
        // string left open at the end of the file, lexed inside a lookahead): a re-parse that
        // reaches the token another way may report one that a full parse of the same text did
        // not, with the same tree. It may never lose one.
        let lexer_only = reparsed.errors.iter().all(|e| e.message.starts_with("Unterminated"));
        if !(full.errors.is_empty() && lexer_only) {
            assert_eq!(reparsed.errors, full.errors, "errors differ {context}");
        }
    }

    fn step(reparser: &mut Reparser, text: &str) -> ReparseKind {
        let (parsed, how) = reparser.parse_reporting(text, SourceKind::TypeScript);
        let full = parse_source(text, SourceKind::TypeScript);
        if full.is_clean() {
            assert_same(&parsed, &full, &format!("({how:?}) for:\n{text}"));
        }
        reparser.keep(parsed);
        how
    }

    const FILE: &str = "'use server';\n// leading\nimport { auth } from '@clerk/nextjs/server';\n\nexport async function a(id: string) {\n  const { userId } = await auth();\n  return id;\n}\n\n/** doc */\nexport const b = async () => {\n  return 2;\n};\n\nfunction c() { return /re/.test('x') }\nexport default c;\n";

    #[test]
    fn an_edit_inside_a_function_reparses_only_its_neighbourhood() {
        let mut reparser = Reparser::new();
        assert_eq!(step(&mut reparser, FILE), ReparseKind::Full);
        assert_eq!(step(&mut reparser, FILE), ReparseKind::Unchanged);
        let edited = FILE.replace("return id;", "return id + 1;");
        assert_eq!(step(&mut reparser, &edited), ReparseKind::Partial);
        let edited = edited.replace("return 2;", "const x = `t${1}`;\n  return x;");
        assert_eq!(step(&mut reparser, &edited), ReparseKind::Partial);
    }

    #[test]
    fn typing_a_statement_stays_partial_and_recovers_locally() {
        let mut reparser = Reparser::new();
        step(&mut reparser, FILE);
        let at = FILE.find("  return id;").expect("anchor");
        let typed = "const note = [\"audit\", id].join(\":\");\n  ";
        let mut partial = 0;
        for n in 1..=typed.len() {
            let text = format!("{}{}{}", &FILE[..at + 2], &typed[..n], &FILE[at + 2..]);
            let (parsed, how) = reparser.parse_reporting(&text, SourceKind::TypeScript);
            partial += usize::from(how == ReparseKind::Partial);
            let module = parsed.module.as_ref().expect("a tree, recovered where needed");
            // Every other item survives the half-typed function.
            assert!(module.body.len() >= 5, "{n}: {:?}", parsed.errors);
            let full = parse_source(&text, SourceKind::TypeScript);
            if full.is_clean() {
                assert_same(&parsed, &full, &text);
            } else {
                assert!(!parsed.is_clean(), "{n}: a broken text came back clean");
            }
            reparser.keep(parsed);
        }
        assert_eq!(partial, typed.len(), "every keystroke was partial");
    }

    #[test]
    fn edits_at_the_file_edges_and_between_items() {
        let mut reparser = Reparser::new();
        step(&mut reparser, FILE);
        for text in [
            format!("#!/usr/bin/env node\n{FILE}"),
            format!("{FILE}// trailing\n"),
            FILE.replace("\n\n/** doc */", "\nconst between = 1;\n/** doc */"),
            FILE.replace("export default c;\n", ""),
            String::new(),
            FILE.to_string(),
            // Joins two items: the second now continues the first.
            FILE.replace("function c() { return /re/.test('x') }\nexport default c;", "const d = c\n(1)"),
        ] {
            step(&mut reparser, &text);
        }
    }

    #[test]
    fn decorated_classes_keep_their_decorators() {
        let file = "import { d } from './d';\n\n@d()\nexport class A {\n  m() { return 1; }\n}\n\n@d() class B {}\nexport @d() class C {}\nconst z = 1;\n";
        let mut reparser = Reparser::new();
        step(&mut reparser, file);
        step(&mut reparser, &file.replace("return 1;", "return 2;"));
        step(&mut reparser, &file.replace("class B {}", "class B { x = 1 }"));
        step(&mut reparser, &file.replace("const z = 1;", "const z = 2;"));
    }

    #[test]
    fn a_comment_opened_in_one_item_and_closed_in_another_is_seen_whole() {
        let mut reparser = Reparser::new();
        step(&mut reparser, FILE);
        let opened = FILE.replace("return id;", "/* return id;");
        step(&mut reparser, &opened);
        let closed = opened.replace("return 2;", "return 2; */");
        step(&mut reparser, &closed);
    }

    fn corpus() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        let mut stack = vec![root.join("examples/saas-app/src"), root.join("tests/fixtures")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "ts" || e == "tsx")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    files.push((path, text));
                }
            }
        }
        files.sort();
        files
    }

    /// Random edits (typing fragments, deletions, undos) on every TypeScript file of the
    /// example app and the fixtures: whenever a full parse of the text is clean, the re-parse
    /// is the same tree, comments and all.
    #[test]
    fn random_edits_reparse_like_a_full_parse() {
        const FRAGMENTS: &[&str] = &[
            "a",
            " ",
            "\n",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            ";",
            "'",
            "\"",
            "`",
            "${",
            "/*",
            "*/",
            "//",
            "/",
            "<",
            ">",
            "@",
            "=>",
            "const x = 1;",
            "export ",
            "async ",
            "await ",
            "function f() {}\n",
            "\n(",
            "return",
            ".",
            ",",
            "<div>",
            "</div>",
            "ü",
            "🚀",
            "if (a) {",
            "} else {",
            "\nimport { y } from 'y';\n",
        ];
        let files = corpus();
        assert!(files.len() > 50, "the corpus is the repository's TypeScript files");
        let mut rng = crate::test_rng::TestRng::new(
            std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9e37_79b9_7f4a_7c15),
        );
        let (mut partial, mut total, mut compared) = (0usize, 0usize, 0usize);
        for (path, original) in &files {
            let kind = SourceKind::from_path(path).unwrap_or(SourceKind::TypeScript);
            let mut reparser = Reparser::new();
            let mut history = vec![original.clone()];
            let first = reparser.parse(original, kind);
            reparser.keep(first);
            let mut clean = true;
            // Fewer in debug builds, where swc parses several times slower.
            for _ in 0..if cfg!(debug_assertions) { 100 } else { 400 } {
                let current = history.last().cloned().unwrap_or_default();
                // Undo more often from a broken text, so clean texts after partial re-parses of
                // broken ones come up often.
                let undo_odds = if clean { 2 } else { 6 };
                let text = if history.len() > 1 && rng.below(10) < undo_odds {
                    history.pop();
                    history.last().cloned().unwrap_or_default()
                } else {
                    let mut at = rng.below(current.len() + 1);
                    while !current.is_char_boundary(at) {
                        at -= 1;
                    }
                    let mut text = current.clone();
                    let byte = current.as_bytes().get(at).copied().unwrap_or(b'\n');
                    if at < current.len()
                        && rng.below(2) == 0
                        && (byte.is_ascii_alphabetic() || byte.is_ascii_whitespace())
                    {
                        // Edits that mostly keep the text valid: rename, re-space.
                        let replacement = match byte {
                            b'a'..=b'y' | b'A'..=b'Y' => ((byte + 1) as char).to_string(),
                            b'z' | b'Z' => "q".to_string(),
                            _ => [" ", "\n", "  \n"][rng.below(3)].to_string(),
                        };
                        let keep = usize::from(byte.is_ascii_whitespace());
                        text.replace_range(at + keep..at + 1, &replacement);
                    } else if rng.below(3) == 0 && at < current.len() {
                        let mut end = (at + 1 + rng.below(20)).min(current.len());
                        while !current.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    } else {
                        text.insert_str(at, FRAGMENTS[rng.below(FRAGMENTS.len())]);
                    }
                    history.push(text.clone());
                    text
                };
                // swc has debug assertions that some random texts trip (debug builds only): such
                // a text is skipped and the reparser starts over.
                let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    (reparser.parse_reporting(&text, kind), parse_source(&text, kind))
                }));
                let Ok(((parsed, how), full)) = attempt else {
                    reparser = Reparser::new();
                    continue;
                };
                total += 1;
                partial += usize::from(how == ReparseKind::Partial);
                clean = full.is_clean();
                if full.is_clean() {
                    compared += usize::from(how == ReparseKind::Partial);
                    assert_same(&parsed, &full, &format!("({how:?}) {} after edits:\n{text}", path.display()));
                }
                if let Some(module) = &parsed.module {
                    assert!(module.span.hi.0 as usize <= text.len() + 1, "{}", path.display());
                }
                reparser.keep(parsed);
            }
        }
        eprintln!("partial {partial} of {total}, {compared} partial re-parses of clean texts compared");
        // The point of it: most edits do not parse the whole file.
        assert!(partial * 2 > total, "{partial} of {total} re-parses were partial");
    }
}

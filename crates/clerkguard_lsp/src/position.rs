//! LSP positions ↔ byte offsets, under the negotiated encoding. The analyser works in UTF-8
//! byte offsets; conversion happens here and nowhere else.

use clerkguard_linter::{LineCol, LineIndex, PositionEncoding, TextRange};
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

/// A text with its line index, for converting many ranges of the same text.
pub struct IndexedText<'a> {
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> IndexedText<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, index: LineIndex::new(text) }
    }

    /// `text` with an index already made of it.
    pub fn with_index(text: &'a str, index: LineIndex) -> Self {
        Self { text, index }
    }

    pub fn position(&self, offset: u32, encoding: PositionEncoding) -> Position {
        let LineCol { line, col } = self.index.line_col(self.text, offset, encoding);
        Position::new(line, col)
    }

    pub fn range(&self, range: TextRange, encoding: PositionEncoding) -> Range {
        Range::new(self.position(range.start, encoding), self.position(range.end, encoding))
    }

    /// The byte offset of an LSP position; out-of-range positions clamp.
    pub fn offset(&self, position: Position, encoding: PositionEncoding) -> u32 {
        self.index.offset(self.text, LineCol { line: position.line, col: position.character }, encoding)
    }

    /// The byte range of an LSP range, with the ends put in order.
    pub fn text_range(&self, range: Range, encoding: PositionEncoding) -> TextRange {
        let a = self.offset(range.start, encoding);
        let b = self.offset(range.end, encoding);
        TextRange::new(a.min(b), a.max(b))
    }
}

/// The char index of an LSP position in a rope, with the same clamping as
/// [`LineIndex::offset`]: a line past the end clamps to the end of the text, a column past the
/// end of its line clamps to the line's end (before `\r\n`), a column inside a character snaps
/// to the character's start.
pub fn rope_char_index(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line_idx = position.line as usize;
    if line_idx >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line_idx);
    let line = rope.line(line_idx);
    let mut content_chars = line.len_chars();
    if content_chars > 0 && line.char(content_chars - 1) == '\n' {
        content_chars -= 1;
        if content_chars > 0 && line.char(content_chars - 1) == '\r' {
            content_chars -= 1;
        }
    }
    let mut units = 0u32;
    for (i, ch) in line.chars().take(content_chars).enumerate() {
        let width = match encoding {
            PositionEncoding::Utf8 => ch.len_utf8() as u32,
            PositionEncoding::Utf16 => ch.len_utf16() as u32,
        };
        if units + width > position.character {
            return line_start + i;
        }
        units += width;
    }
    line_start + content_chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_and_line_index_agree_on_non_ascii_text() {
        let text = "a🚀日e\u{301}z\r\nsecond\nthird";
        let rope = Rope::from_str(text);
        let indexed = IndexedText::new(text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            for line in 0..5 {
                for character in 0..16 {
                    let pos = Position::new(line, character);
                    let byte = rope.char_to_byte(rope_char_index(&rope, pos, encoding));
                    assert_eq!(byte as u32, indexed.offset(pos, encoding), "{pos:?} {encoding:?}");
                }
            }
        }
    }

    #[test]
    fn columns_count_code_units() {
        let text = "x🚀y";
        let indexed = IndexedText::new(text);
        assert_eq!(indexed.position(5, PositionEncoding::Utf16), Position::new(0, 3));
        assert_eq!(indexed.position(5, PositionEncoding::Utf8), Position::new(0, 5));
    }
}

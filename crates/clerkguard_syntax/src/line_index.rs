//! Byte offset ↔ (line, column) conversion for UTF-8 and UTF-16 clients.

/// How columns are counted: LSP's default is UTF-16 code units; clients may negotiate UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
}

/// A 0-based line and a 0-based column in the chosen encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text. Lines end at `\n`; a `\r` before it belongs to the
/// line's content for column purposes but is never part of a position clients see.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        Self { line_starts, len: text.len() as u32 }
    }

    /// The index of the text `change` made from the one this indexes (`text` is the new text):
    /// line starts before the change stay, those after it move, and only the new text of the
    /// change is searched for line ends.
    pub fn edited(&self, change: crate::TextChange, text: &str) -> Self {
        let (start, old_end, new_end) = (change.start, change.old_end, change.new_end);
        // A line start `s` follows the `\n` at `s - 1`: kept when that is before the change,
        // moved when it is at or after its old end, found again when it was replaced.
        let kept = self.line_starts.partition_point(|&s| s <= start);
        let moved = self.line_starts.partition_point(|&s| s <= old_end);
        let inserted = text.as_bytes().get(start as usize..new_end as usize).unwrap_or_default();
        let mut line_starts = Vec::with_capacity(kept + (self.line_starts.len() - moved) + 8);
        line_starts.extend_from_slice(&self.line_starts[..kept]);
        line_starts.extend(memchr::memchr_iter(b'\n', inserted).map(|i| start + i as u32 + 1));
        let delta = change.delta();
        line_starts.extend(self.line_starts[moved..].iter().map(|&s| (s as i64 + delta) as u32));
        Self { line_starts, len: text.len() as u32 }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts, or `None` past the last line.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line as usize).copied()
    }

    /// The byte range of `line` without its line terminator.
    pub fn line_range(&self, text: &str, line: u32) -> Option<(u32, u32)> {
        let start = self.line_start(line)?;
        let mut end = self.line_start(line + 1).map_or(self.len, |next| next - 1);
        if end > start && text.as_bytes().get(end as usize - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some((start, end))
    }

    /// The 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// Converts a byte offset to a line and column. Offsets inside a multi-byte character are
    /// moved back to the character's start.
    pub fn line_col(&self, text: &str, offset: u32, encoding: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len) as usize) as u32;
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize];
        let prefix = &text[start as usize..offset as usize];
        let col = match encoding {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.encode_utf16().count(),
        } as u32;
        LineCol { line, col }
    }

    /// Converts a line and column back to a byte offset. A line past the end clamps to the end
    /// of the text; a column past the end of its line clamps to the line's end (LSP semantics);
    /// a column inside a surrogate pair or multi-byte character snaps to the character's start.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> u32 {
        let Some((start, end)) = self.line_range(text, pos.line) else {
            return self.len;
        };
        let line_text = &text[start as usize..end as usize];
        let mut units = 0u32;
        for (byte_idx, ch) in line_text.char_indices() {
            let width = match encoding {
                PositionEncoding::Utf8 => ch.len_utf8() as u32,
                PositionEncoding::Utf16 => ch.len_utf16() as u32,
            };
            if units + width > pos.col {
                return start + byte_idx as u32;
            }
            units += width;
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_index_equals_a_fresh_one() {
        let mut rng = crate::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        let pieces = ["\n", "a", "\r\n", "é", "\n\n", "xy", ""];
        let mut text = String::from("one\ntwo\r\nthree\n\nfour");
        let mut index = LineIndex::new(&text);
        for _ in 0..5_000 {
            let (a, b) = (rng.char_boundary(&text), rng.char_boundary(&text));
            let inserted: String = (0..rng.below(3)).map(|_| pieces[rng.below(pieces.len())]).collect();
            let mut edited = text.clone();
            edited.replace_range(a.min(b)..a.max(b), &inserted);
            if edited.len() > 300 {
                edited.truncate(edited.char_indices().nth(100).map_or(edited.len(), |(i, _)| i));
            }
            index = index.edited(crate::TextChange::between(&text, &edited), &edited);
            let fresh = LineIndex::new(&edited);
            assert_eq!((&index.line_starts, index.len), (&fresh.line_starts, fresh.len), "{edited:?}");
            text = edited;
        }
    }

    #[test]
    fn ascii_round_trip() {
        let text = "ab\ncd\r\nef";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_col(text, 4, PositionEncoding::Utf16), LineCol { line: 1, col: 1 });
        assert_eq!(idx.offset(text, LineCol { line: 2, col: 1 }, PositionEncoding::Utf8), 8);
        // Past the end of a line clamps to the line end, before "\r\n".
        assert_eq!(idx.offset(text, LineCol { line: 1, col: 99 }, PositionEncoding::Utf16), 5);
        assert_eq!(idx.offset(text, LineCol { line: 9, col: 0 }, PositionEncoding::Utf16), 9);
    }

    #[test]
    fn emoji_cjk_and_combining_marks() {
        // 🚀 is 4 bytes / 2 UTF-16 units; 日 is 3 bytes / 1 unit; e + U+0301 is 1+2 bytes / 2 units.
        let text = "x🚀日e\u{301}y";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap() as u32;
        assert_eq!(idx.line_col(text, y, PositionEncoding::Utf16).col, 6);
        assert_eq!(idx.line_col(text, y, PositionEncoding::Utf8).col, 11);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 6 }, PositionEncoding::Utf16), y);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 11 }, PositionEncoding::Utf8), y);
        // Inside the surrogate pair snaps to the emoji's start.
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 2 }, PositionEncoding::Utf16), 1);
        // Inside a multi-byte character's bytes snaps back too.
        assert_eq!(idx.line_col(text, 2, PositionEncoding::Utf16).col, 1);
    }
}

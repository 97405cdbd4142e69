//! One contiguous replacement between two versions of a text, and where offsets and ranges of
//! one version are in the other.

use crate::TextRange;

/// The old text's `start..old_end` became the new text's `start..new_end`; everything before
/// `start` and from `old_end` (new: `new_end`) on is the same in both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextChange {
    pub start: u32,
    pub old_end: u32,
    pub new_end: u32,
}

impl TextChange {
    /// The smallest such change: the longest common prefix, then the longest common suffix of
    /// what is left.
    pub fn between(old: &str, new: &str) -> Self {
        let (old, new) = (old.as_bytes(), new.as_bytes());
        let prefix = common_prefix(old, new);
        let max_suffix = old.len().min(new.len()) - prefix;
        let suffix = common_suffix(&old[prefix..], &new[prefix..]).min(max_suffix);
        Self { start: prefix as u32, old_end: (old.len() - suffix) as u32, new_end: (new.len() - suffix) as u32 }
    }

    /// Both texts are the same.
    pub fn is_none(self) -> bool {
        self.start == self.old_end && self.start == self.new_end
    }

    /// How far text after the change moved (new length minus old length).
    pub fn delta(self) -> i64 {
        self.new_end as i64 - self.old_end as i64
    }

    /// The same change seen from the new text: maps offsets of the new text to the old one.
    pub fn inverse(self) -> Self {
        Self { start: self.start, old_end: self.new_end, new_end: self.old_end }
    }

    /// Where `offset` of the old text is in the new one; `None` inside the replaced text. An
    /// offset where text was only inserted is both the end of what comes before and the start
    /// of what comes after: `after` says which it belongs to.
    pub fn map_offset(self, offset: u32, after: bool) -> Option<u32> {
        if offset < self.start {
            Some(offset)
        } else if offset > self.old_end {
            self.moved(offset)
        } else if self.start == self.old_end {
            if after { self.moved(offset) } else { Some(offset) }
        } else if offset == self.start {
            Some(offset)
        } else if offset == self.old_end {
            self.moved(offset)
        } else {
            None
        }
    }

    /// Where `range` of the old text is in the new one: `None` when the change touches it. An
    /// empty range is an offset ([`Self::map_offset`]).
    pub fn map_range(self, range: TextRange, after: bool) -> Option<TextRange> {
        if range.is_empty() {
            return self.map_offset(range.start, after).map(TextRange::empty);
        }
        if range.end <= self.start {
            Some(range)
        } else if range.start >= self.old_end {
            Some(TextRange::new(self.moved(range.start)?, self.moved(range.end)?))
        } else {
            None
        }
    }

    /// An offset after the change, moved by its length.
    fn moved(self, offset: u32) -> Option<u32> {
        moved(offset, self.delta())
    }
}

/// `offset` moved by an edit's length change `delta`; `None` if that leaves the `u32` range.
pub(crate) fn moved(offset: u32, delta: i64) -> Option<u32> {
    u32::try_from(offset as i64 + delta).ok()
}

/// The length of the longest common prefix, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= len && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..len].iter().zip(&b[i..len]).take_while(|(x, y)| x == y).count()
}

/// The length of the longest common suffix, compared a block at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut n = 0;
    while n + BLOCK <= len && a[len - n - BLOCK..len - n] == b[len - n - BLOCK..len - n] {
        n += BLOCK;
    }
    n + a[..len - n].iter().rev().zip(b[..len - n].iter().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_smallest_change() {
        let c = TextChange::between("const a = 1;", "const ab = 1;");
        assert_eq!(c, TextChange { start: 7, old_end: 7, new_end: 8 });
        let c = TextChange::between("abcdef", "abXYef");
        assert_eq!(c, TextChange { start: 2, old_end: 4, new_end: 4 });
        let c = TextChange::between("aaa", "aa");
        assert_eq!(c, TextChange { start: 2, old_end: 3, new_end: 2 });
        assert!(TextChange::between("same", "same").is_none());
        assert_eq!(TextChange::between("", "x"), TextChange { start: 0, old_end: 0, new_end: 1 });
    }

    #[test]
    fn block_comparison_matches_a_byte_by_byte_one() {
        let base: String = (0..500).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        for at in [0usize, 1, 63, 64, 65, 127, 128, 300, 499, 500] {
            for removed in [0usize, 1, 2, 70] {
                let end = (at + removed).min(base.len());
                let new = format!("{}XY{}", &base[..at], &base[end..]);
                let c = TextChange::between(&base, &new);
                let (old_b, new_b) = (base.as_bytes(), new.as_bytes());
                let prefix = old_b.iter().zip(new_b).take_while(|(a, b)| a == b).count();
                let max_suffix = old_b.len().min(new_b.len()) - prefix;
                let suffix =
                    old_b.iter().rev().zip(new_b.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
                assert_eq!(c.start as usize, prefix, "at {at} removed {removed}");
                assert_eq!(c.old_end as usize, base.len() - suffix, "at {at} removed {removed}");
                assert_eq!(c.new_end as usize, new.len() - suffix, "at {at} removed {removed}");
                // Unchanged text maps onto itself.
                for (i, ch) in base.bytes().enumerate() {
                    let r = TextRange::new(i as u32, i as u32 + 1);
                    if let Some(m) = c.map_range(r, true) {
                        assert_eq!(new.as_bytes()[m.start as usize], ch);
                        assert_eq!(c.inverse().map_range(m, true), Some(r));
                    }
                }
            }
        }
    }

    #[test]
    fn an_insertion_point_belongs_to_the_side_asked_for() {
        let c = TextChange::between("ab", "aXb");
        assert_eq!(c.map_offset(1, false), Some(1));
        assert_eq!(c.map_offset(1, true), Some(2));
        assert_eq!(c.map_range(TextRange::new(0, 1), true), Some(TextRange::new(0, 1)));
        assert_eq!(c.map_range(TextRange::new(1, 2), false), Some(TextRange::new(2, 3)));
        assert_eq!(c.map_range(TextRange::new(0, 2), true), None);
        let c = TextChange::between("abcd", "aXd");
        assert_eq!(c.map_offset(2, true), None);
        assert_eq!(c.map_offset(1, true), Some(1));
        assert_eq!(c.map_offset(3, false), Some(2));
    }
}

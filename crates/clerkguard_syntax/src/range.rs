use serde::{Deserialize, Serialize};
use swc_common::Span;

/// A half-open byte range `[start, end)` into a file's UTF-8 text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: u32) -> Self {
        Self { start: at, end: at }
    }

    /// Converts an swc span of a file parsed by [`crate::parse_source`] (which starts at
    /// `BytePos(1)`) into a byte range of the text.
    pub fn from_span(span: Span) -> Self {
        let lo = span.lo.0.saturating_sub(crate::parse::BASE_POS);
        let hi = span.hi.0.saturating_sub(crate::parse::BASE_POS);
        Self { start: lo, end: hi.max(lo) }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn intersects(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn as_usize_range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

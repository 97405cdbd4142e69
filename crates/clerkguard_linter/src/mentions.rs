//! The rules' text pre-checks, answered once per word and file.
//!
//! Before walking a file, most rules ask whether its text mentions a word at all
//! (`"Metadata"`, `"svix-signature"`, `"sk_live_"`, ...), and several ask about the same words.
//! [`Mentions`] remembers each answer for the file. (Answering every word in one Aho–Corasick
//! pass was measured: its overlapping search cost more than the SIMD substring searches it
//! replaced.)

use std::cell::RefCell;

/// Answers to "does the text contain this word?" for one text.
#[derive(Debug, Default)]
pub(crate) struct Mentions {
    known: RefCell<Vec<(&'static str, bool)>>,
}

impl Mentions {
    /// Whether `text` (always the same text for one `Mentions`) contains `word`.
    pub(crate) fn contains(&self, text: &str, word: &'static str) -> bool {
        if let Some((_, found)) = self.known.borrow().iter().find(|(known, _)| *known == word) {
            return *found;
        }
        let found = memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some();
        self.known.borrow_mut().push((word, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_like_contains_and_remembers() {
        let text = "const { unsafeMetadata } = user; headers.get('svix-signature')";
        let mentions = Mentions::default();
        for word in ["Metadata", "svix-signature", "publicMetadata", "Metadata", "publicMetadata"] {
            assert_eq!(mentions.contains(text, word), text.contains(word), "{word}");
        }
        assert_eq!(mentions.known.borrow().len(), 3);
    }
}

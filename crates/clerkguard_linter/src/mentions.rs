//! The rules' text pre-checks, answered once per word and file.
//!
//! Before walking a file, most rules ask whether its text mentions a word at all
//! (`"Metadata"`, `"svix-signature"`, `"sk_live_"`, ...), and several ask about the same words.
//! [`Mentions`] remembers each answer for the file. (Answering every word in one Aho–Corasick
//! pass was measured: its overlapping search cost more than the SIMD substring searches it
//! replaced.) The searchers themselves are built once per thread and word: building one cost
//! about half as much as the search it served.

use std::cell::RefCell;

use memchr::memmem::Finder;

thread_local! {
    /// A searcher per word asked about on this thread, found by the word's address (the words
    /// are string literals, a few dozen in all).
    static FINDERS: RefCell<Vec<(&'static str, Finder<'static>)>> = const { RefCell::new(Vec::new()) };
}

/// Whether `text` contains `word`, with this thread's searcher for `word`.
fn find(text: &str, word: &'static str) -> bool {
    FINDERS.with_borrow_mut(|finders| {
        let position = finders.iter().position(|(known, _)| std::ptr::eq(*known, word) || *known == word);
        let index = position.unwrap_or_else(|| {
            finders.push((word, Finder::new(word.as_bytes())));
            finders.len() - 1
        });
        finders[index].1.find(text.as_bytes()).is_some()
    })
}

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
        let found = find(text, word);
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

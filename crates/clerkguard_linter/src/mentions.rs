//! The rules' text pre-checks, answered once per word and file.
//!
//! Before walking a file, most rules ask whether its text mentions a word at all
//! (`"Metadata"`, `"svix-signature"`, `"sk_live_"`, ...), and several ask about the same words.
//! [`Mentions`] remembers each answer for the file. (Answering every word in one Aho–Corasick
//! pass was measured: its overlapping search cost more than the SIMD substring searches it
//! replaced.) The searchers themselves are built once per thread and word: building one cost
//! about half as much as the search it served.
//!
//! An editor buffer keeps the answers of its last version, each with where the word was found,
//! and [`carried_over`] turns them into answers for the next version: a found word whose
//! occurrence the edit did not touch is still there, and a word that was absent can only have
//! appeared around the edit. Searching a 100 KB buffer for ~20 words took ~10 % of a
//! keystroke's lint.

use std::cell::RefCell;

use clerkguard_syntax::{TextChange, TextRange};
use memchr::memmem::Finder;

thread_local! {
    /// A searcher per word asked about on this thread, found by the word's address (the words
    /// are string literals, a few dozen in all).
    static FINDERS: RefCell<Vec<(&'static str, Finder<'static>)>> = const { RefCell::new(Vec::new()) };
}

/// Where `haystack` contains `word` first, with this thread's searcher for `word`.
fn find(haystack: &[u8], word: &'static str) -> Option<usize> {
    FINDERS.with_borrow_mut(|finders| {
        let position = finders.iter().position(|(known, _)| std::ptr::eq(*known, word) || *known == word);
        let index = position.unwrap_or_else(|| {
            finders.push((word, Finder::new(word.as_bytes())));
            finders.len() - 1
        });
        finders[index].1.find(haystack)
    })
}

/// A word asked about, and where the text has it (`None`: nowhere).
pub(crate) type Answer = (&'static str, Option<u32>);

/// Answers to "does the text contain this word?" for one text.
#[derive(Debug, Default)]
pub(crate) struct Mentions {
    known: RefCell<Vec<Answer>>,
}

impl Mentions {
    /// Starts from answers already known for the text ([`carried_over`]).
    pub(crate) fn seed(&mut self, answers: Vec<Answer>) {
        *self.known.get_mut() = answers;
    }

    /// Whether `text` (always the same text for one `Mentions`) contains `word`.
    pub(crate) fn contains(&self, text: &str, word: &'static str) -> bool {
        if let Some((_, at)) = self.known.borrow().iter().find(|(known, _)| *known == word) {
            return at.is_some();
        }
        let at = find(text.as_bytes(), word).map(|at| at as u32);
        self.known.borrow_mut().push((word, at));
        at.is_some()
    }

    /// The answers so far, for [`carried_over`].
    pub(crate) fn into_answers(self) -> Vec<Answer> {
        self.known.into_inner()
    }
}

/// The `answers` for the text before `change`, made answers for `text` (the text after it)
/// without searching the whole text: an occurrence the change did not touch moved with it, and
/// a word that was absent is searched for only where the change could have made one. A word
/// whose occurrence the change touched is left out (asked again, it is searched for).
pub(crate) fn carried_over(answers: Vec<Answer>, change: TextChange, text: &str) -> Vec<Answer> {
    let bytes = text.as_bytes();
    answers
        .into_iter()
        .filter_map(|(word, at)| {
            let len = word.len() as u32;
            let at = match at {
                Some(at) => Some(change.map_range(TextRange::new(at, at + len), true)?.start),
                None if change.is_none() => None,
                None => {
                    // A new occurrence starts after `start - len` and before `new_end`.
                    let from = change.start.saturating_sub(len.saturating_sub(1)) as usize;
                    let to = (change.new_end as usize + len as usize).saturating_sub(1).min(bytes.len());
                    let window = bytes.get(from..to).unwrap_or_default();
                    find(window, word).map(|at| (from + at) as u32)
                }
            };
            Some((word, at))
        })
        .collect()
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

    #[test]
    fn carried_answers_equal_fresh_answers_across_random_edits() {
        const WORDS: [&str; 6] = ["svix-", "role", "Metadata", "ab", "process", "x"];
        let pieces = ["svix-", "ro", "le", "Meta", "data", "a", "b", "pro", "cess", "x", " ", "\n", "é"];
        let mut rng = clerkguard_syntax::test_rng::TestRng::new(0x9e37_79b9_7f4a_7c15);
        let mut text = String::from("const role = 'admin'; process.env.X; user.publicMetadata");
        let mentions = Mentions::default();
        WORDS.iter().for_each(|w| {
            mentions.contains(&text, w);
        });
        let mut answers = mentions.into_answers();
        for _ in 0..3_000 {
            // Replace a random run of characters with a few random pieces.
            let (a, b) = (rng.char_boundary(&text), rng.char_boundary(&text));
            let (start, end) = (a.min(b), a.max(b).min(a.min(b) + 8));
            let end = (start..=end).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(start);
            let inserted: String = (0..rng.below(3)).map(|_| pieces[rng.below(pieces.len())]).collect();
            let mut edited = text.clone();
            edited.replace_range(start..end, &inserted);
            let change = TextChange::between(&text, &edited);
            let mut carried = Mentions::default();
            carried.seed(carried_over(answers, change, &edited));
            for word in WORDS {
                assert_eq!(carried.contains(&edited, word), edited.contains(word), "{word:?} in {edited:?}");
            }
            for (word, at) in carried.known.borrow().iter() {
                if let Some(at) = at {
                    assert!(edited.as_bytes()[*at as usize..].starts_with(word.as_bytes()), "{word} at {at}");
                }
            }
            answers = carried.into_answers();
            text = edited;
            if text.len() > 400 {
                text.truncate(text.char_indices().nth(200).map_or(text.len(), |(i, _)| i));
                let fresh = Mentions::default();
                WORDS.iter().for_each(|w| {
                    fresh.contains(&text, w);
                });
                answers = fresh.into_answers();
            }
        }
    }
}

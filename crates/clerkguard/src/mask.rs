//! Secrets never reach the output. Every renderer passes every piece of text it prints (messages,
//! help, fix titles and inserted text, code frames) through [`mask_secrets`].

use std::borrow::Cow;

/// Prefixes of Clerk secrets: backend secret keys and Svix webhook signing secrets.
const SECRET_PREFIXES: [&str; 3] = ["sk_live_", "sk_test_", "whsec_"];

/// How many trailing characters stay visible so a reader can tell keys apart.
const VISIBLE_TAIL: usize = 4;

/// A tail shorter than this is hidden completely (showing 4 of 6 characters reveals too much).
const MIN_TAIL_FOR_HINT: usize = 12;

fn is_secret_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// A secret found in a text: the bytes to hide (everything after the prefix) and what to show
/// instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretSpan {
    pub range: std::ops::Range<usize>,
    pub replacement: String,
}

/// Finds Clerk-looking secrets. A prefix with nothing after it (as in prose: "keys starting with
/// `sk_live_`") is not a secret; neither is a prefix inside a longer identifier (`task_test_x`).
pub fn secret_spans(text: &str) -> Vec<SecretSpan> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let Some(prefix) = SECRET_PREFIXES.iter().find(|p| bytes[i..].starts_with(p.as_bytes())) else {
            i += 1;
            continue;
        };
        if i > 0 && is_word_byte(bytes[i - 1]) {
            i += 1;
            continue;
        }
        let tail_start = i + prefix.len();
        let tail_len = bytes[tail_start..].iter().take_while(|&&c| is_secret_char(c)).count();
        let tail_end = tail_start + tail_len;
        if tail_len > 0 {
            let mut replacement = String::from("…");
            if tail_len >= MIN_TAIL_FOR_HINT {
                // The tail is ASCII, so any byte index in it is a char boundary.
                replacement.push_str(&text[tail_end - VISIBLE_TAIL..tail_end]);
            }
            spans.push(SecretSpan { range: tail_start..tail_end, replacement });
        }
        i = tail_end;
    }
    spans
}

/// Masks Clerk-looking secrets: `sk_live_abcdef…` becomes `sk_live_…9f2c` (prefix, an ellipsis,
/// the last four characters; short tails are hidden entirely).
pub fn mask_secrets(text: &str) -> Cow<'_, str> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for span in spans {
        out.push_str(&text[copied..span.range.start]);
        out.push_str(&span.replacement);
        copied = span.range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// [`mask_secrets`] into an owned string.
pub fn masked(text: &str) -> String {
    mask_secrets(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_clerk_secret_keys_and_webhook_secrets() {
        assert_eq!(
            mask_secrets(r#"const key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9f2c";"#),
            r#"const key = "sk_live_…9f2c";"#
        );
        assert_eq!(mask_secrets("sk_test_abcdefghijklmnop1234"), "sk_test_…1234");
        assert_eq!(
            mask_secrets("CLERK_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "CLERK_WEBHOOK_SECRET=whsec_…LaSw"
        );
        assert_eq!(mask_secrets("whsec_ab+/cdEFgh12=="), "whsec_…12==");
    }

    #[test]
    fn masks_every_occurrence_and_keeps_the_rest() {
        let text = "a sk_live_AAAAAAAAAAAAAAAA1111 b sk_test_BBBBBBBBBBBBBBBB2222 c";
        assert_eq!(mask_secrets(text), "a sk_live_…1111 b sk_test_…2222 c");
    }

    #[test]
    fn short_tails_are_hidden_entirely() {
        assert_eq!(mask_secrets("sk_live_abc123"), "sk_live_…");
    }

    #[test]
    fn leaves_prose_and_identifiers_alone() {
        let prose = "Secret keys start with `sk_live_` or `sk_test_`.";
        assert!(matches!(mask_secrets(prose), Cow::Borrowed(_)));
        assert_eq!(mask_secrets("task_test_runner"), "task_test_runner");
        assert_eq!(mask_secrets("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"), "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k");
    }

    #[test]
    fn handles_non_ascii_around_secrets() {
        assert_eq!(mask_secrets("ключ: sk_live_0123456789abcdefWXYZ — 🚀"), "ключ: sk_live_…WXYZ — 🚀");
        assert_eq!(mask_secrets("🚀sk_live_0123456789abcdefWXYZ"), "🚀sk_live_…WXYZ");
    }
}

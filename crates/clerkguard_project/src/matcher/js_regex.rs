//! JavaScript regular expressions (non-`u` syntax) rewritten for fancy-regex.
//!
//! Matcher patterns are JavaScript regexes twice over: RegExp literals in `createRouteMatcher`,
//! and the source path-to-regexp builds (which embeds the user's `(...)` groups verbatim). The
//! syntaxes mostly agree; this pass rewrites the places where they do not, so that a pattern
//! means in Rust what it means in Node:
//!
//! - identity escapes (`\/`, `\:`, `\<`) become literals (`\<` is a word boundary in Rust);
//! - `\d` and `\w` are ASCII in JavaScript, Unicode in Rust: spelled out as ASCII classes;
//! - a `{` or `}` that does not form a quantifier is a literal in JavaScript;
//! - inside classes `[` is a literal and `&&`/`~~` are not set operations;
//! - `[^]` (any character) and `[]` (nothing);
//! - `\xHH`, `\uHHHH` (surrogate pairs joined), `\cX`, `\0`.

use std::fmt::Write as _;

use thiserror::Error;

/// A JavaScript regex construct that has no fancy-regex equivalent.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum JsRegexError {
    #[error("\\ at end of pattern")]
    TrailingBackslash,
    #[error("unterminated character class")]
    UnterminatedClass,
    #[error("lone surrogate \\u{0:04X} cannot be matched in a Rust string")]
    LoneSurrogate(u32),
}

/// A fancy-regex pattern built from a JavaScript regex, with notes on flags that were ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslatedRegex {
    pub pattern: String,
    pub notes: Vec<String>,
}

/// Characters that must stay escaped for the Rust regex parser (outside classes).
const RUST_META: &str = r"\.+*?()|[]{}^$#&-~";

/// Translates a JavaScript regex `source` with `flags` (`"i"`, `"gi"`, ...) to fancy-regex syntax.
/// `i`, `m` and `s` become inline flags; other flags are ignored and noted.
pub fn translate(source: &str, flags: &str) -> Result<TranslatedRegex, JsRegexError> {
    let unicode = flags.contains('u') || flags.contains('v');
    let mut notes = Vec::new();
    let mut inline = String::new();
    for flag in flags.chars() {
        match flag {
            'i' | 'm' | 's' => inline.push(flag),
            'g' | 'y' => notes.push(format!(
                "flag `{flag}` makes `.test()` stateful (`lastIndex`): repeated calls can disagree; \
                 matched here as if each call were the first"
            )),
            'u' | 'v' => {}
            'd' => {}
            other => notes.push(format!("unknown flag `{other}` ignored")),
        }
    }
    let mut out = String::with_capacity(source.len() + 8);
    if !inline.is_empty() {
        let _ = write!(out, "(?{inline})");
    }
    let pattern = Translator { chars: source.chars().collect(), i: 0, out, unicode }.run()?;
    Ok(TranslatedRegex { pattern, notes })
}

struct Translator {
    chars: Vec<char>,
    i: usize,
    out: String,
    unicode: bool,
}

impl Translator {
    fn run(mut self) -> Result<String, JsRegexError> {
        while let Some(&c) = self.chars.get(self.i) {
            self.i += 1;
            match c {
                '\\' => self.escape(false)?,
                '[' => self.class()?,
                '{' => {
                    let len = self.quantifier_len();
                    if len > 0 {
                        self.out.push('{');
                        self.out.extend(&self.chars[self.i..self.i + len]);
                        self.i += len;
                    } else {
                        self.out.push_str(r"\{");
                    }
                }
                '}' => self.out.push_str(r"\}"),
                ']' => self.out.push_str(r"\]"),
                _ => self.out.push(c),
            }
        }
        Ok(self.out)
    }

    /// Length of `n}`, `n,}` or `n,m}` after a `{` (0 when the brace is a literal).
    fn quantifier_len(&self) -> usize {
        let rest = &self.chars[self.i..];
        let digits = |from: usize| rest[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let first = digits(0);
        if first == 0 {
            return 0;
        }
        let mut j = first;
        if rest.get(j) == Some(&',') {
            j += 1;
            j += digits(j);
        }
        if rest.get(j) == Some(&'}') { j + 1 } else { 0 }
    }

    /// Translates the escape after a backslash (already consumed).
    fn escape(&mut self, in_class: bool) -> Result<(), JsRegexError> {
        let Some(&c) = self.chars.get(self.i) else { return Err(JsRegexError::TrailingBackslash) };
        self.i += 1;
        match c {
            'd' if in_class => self.out.push_str("0-9"),
            'd' => self.out.push_str("[0-9]"),
            'D' if !in_class => self.out.push_str("[^0-9]"),
            'w' if in_class => self.out.push_str("0-9A-Za-z_"),
            'w' => self.out.push_str("[0-9A-Za-z_]"),
            'W' if !in_class => self.out.push_str("[^0-9A-Za-z_]"),
            'D' | 'W' | 's' | 'S' | 'n' | 'r' | 't' | 'f' | 'v' => {
                self.out.push('\\');
                self.out.push(c);
            }
            'b' if in_class => self.out.push_str(r"\x{8}"),
            'b' | 'B' => {
                self.out.push('\\');
                self.out.push(c);
            }
            '1'..='9' if !in_class => {
                self.out.push('\\');
                self.out.push(c);
                while let Some(&d) = self.chars.get(self.i).filter(|d| d.is_ascii_digit()) {
                    self.out.push(d);
                    self.i += 1;
                }
            }
            '0' => self.out.push_str(r"\x{0}"),
            'k' if !in_class && self.chars.get(self.i) == Some(&'<') => self.out.push_str(r"\k"),
            'c' => match self.chars.get(self.i).filter(|l| l.is_ascii_alphabetic()) {
                Some(&letter) => {
                    self.i += 1;
                    self.push_code_point(u32::from(letter) % 32);
                }
                None => self.out.push_str(r"\\c"),
            },
            'x' => match self.hex(2) {
                Some(code) => self.push_code_point(code),
                None => self.out.push('x'),
            },
            'u' => self.unicode_escape()?,
            'p' | 'P' if self.unicode => {
                self.out.push('\\');
                self.out.push(c);
            }
            _ => self.literal(c, in_class),
        }
        Ok(())
    }

    fn unicode_escape(&mut self) -> Result<(), JsRegexError> {
        if self.unicode && self.chars.get(self.i) == Some(&'{') {
            let digits: String = self.chars[self.i + 1..].iter().take_while(|c| c.is_ascii_hexdigit()).collect();
            if self.chars.get(self.i + 1 + digits.len()) == Some(&'}')
                && let Ok(code) = u32::from_str_radix(&digits, 16)
            {
                self.i += digits.len() + 2;
                self.push_code_point(code);
                return Ok(());
            }
        }
        let Some(code) = self.hex(4) else {
            self.out.push('u');
            return Ok(());
        };
        if (0xD800..0xDC00).contains(&code)
            && self.chars.get(self.i) == Some(&'\\')
            && self.chars.get(self.i + 1) == Some(&'u')
        {
            let save = self.i;
            self.i += 2;
            match self.hex(4) {
                Some(low) if (0xDC00..0xE000).contains(&low) => {
                    self.push_code_point(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00));
                    return Ok(());
                }
                _ => self.i = save,
            }
        }
        if (0xD800..0xE000).contains(&code) {
            return Err(JsRegexError::LoneSurrogate(code));
        }
        self.push_code_point(code);
        Ok(())
    }

    /// Reads exactly `n` hex digits, or nothing.
    fn hex(&mut self, n: usize) -> Option<u32> {
        let digits: String = self.chars.get(self.i..self.i + n)?.iter().collect();
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += n;
        u32::from_str_radix(&digits, 16).ok()
    }

    fn push_code_point(&mut self, code: u32) {
        let _ = write!(self.out, r"\x{{{code:X}}}");
    }

    /// An identity escape: the character itself, escaped only where Rust needs it.
    fn literal(&mut self, c: char, in_class: bool) {
        let needs_escape =
            if in_class { matches!(c, '[' | ']' | '\\' | '-' | '^' | '&' | '~') } else { RUST_META.contains(c) };
        if needs_escape {
            self.out.push('\\');
        }
        self.out.push(c);
    }

    /// Translates a character class; the `[` is already consumed.
    fn class(&mut self) -> Result<(), JsRegexError> {
        let negated = self.chars.get(self.i) == Some(&'^');
        if negated {
            self.i += 1;
        }
        if self.chars.get(self.i) == Some(&']') {
            self.i += 1;
            // `[]` matches nothing, `[^]` any character.
            self.out.push_str(if negated { r"[\s\S]" } else { r"[^\s\S]" });
            return Ok(());
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        loop {
            let Some(&c) = self.chars.get(self.i) else { return Err(JsRegexError::UnterminatedClass) };
            self.i += 1;
            match c {
                ']' => break,
                '\\' => self.escape(true)?,
                '[' | '&' | '~' => {
                    self.out.push('\\');
                    self.out.push(c);
                }
                '-' if self.chars.get(self.i) == Some(&'-') => self.out.push_str(r"\-"),
                _ => self.out.push(c),
            }
        }
        self.out.push(']');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(source: &str) -> String {
        translate(source, "").map(|t| t.pattern).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn rewrites_javascript_only_syntax() {
        assert_eq!(t(r"^\/dashboard[\/#\?]?$"), r"^/dashboard[/#?]?$");
        assert_eq!(t(r"\d+\w"), r"[0-9]+[0-9A-Za-z_]");
        assert_eq!(t(r"[\d.]"), r"[0-9.]");
        assert_eq!(t(r"a{,3}b{2}c{1,}"), r"a\{,3\}b{2}c{1,}");
        assert_eq!(t(r"[[&&]"), r"[\[\&\&]");
        assert_eq!(t(r"[^]"), r"[\s\S]");
        assert_eq!(t(r"\<\:"), r"<:");
        assert_eq!(t(r"\x41\u00e9\uD83D\uDE00"), r"\x{41}\x{E9}\x{1F600}");
        assert_eq!(t(r"(?!_next)(?<n>a)\k<n>"), r"(?!_next)(?<n>a)\k<n>");
        assert_eq!(t("a\\"), "ERR \\ at end of pattern");
        assert_eq!(t("[a"), "ERR unterminated character class");
    }

    #[test]
    fn maps_flags() {
        let t = translate("a", "gi").unwrap();
        assert_eq!(t.pattern, "(?i)a");
        assert_eq!(t.notes.len(), 1);
    }
}

//! Byte spans of the members of a JSON object, for edits that must land on exact text (bumping a
//! version in package.json). serde_json gives values but no positions; this scanner gives
//! positions and leaves values to serde.

/// One `"key": value` member of an object. Offsets are byte offsets into the scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Member {
    pub key: String,
    /// From the key's opening quote to the end of the value.
    pub pair: (usize, usize),
    /// The value, including quotes or brackets.
    pub value: (usize, usize),
}

/// The members of the top-level object of `text`, or of the object found by following `path`
/// through nested object members. Malformed input yields the members read before the damage.
pub(crate) fn object_members(text: &str, path: &[&str]) -> Vec<Member> {
    let mut scanner = Scanner { bytes: text.as_bytes(), text, i: 0 };
    scanner.skip_trivia();
    let mut members = scanner.members();
    for key in path {
        let Some(member) = members.iter().find(|m| m.key == *key) else { return Vec::new() };
        let mut inner = Scanner { bytes: text.as_bytes(), text, i: member.value.0 };
        members = inner.members();
    }
    members
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn skip_trivia(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_ascii_whitespace() {
                self.i += 1;
            } else if self.bytes[self.i..].starts_with("\u{feff}".as_bytes()) {
                self.i += "\u{feff}".len();
            } else {
                break;
            }
        }
    }

    /// Members of the object starting at the cursor; empty when the cursor is not on `{`.
    fn members(&mut self) -> Vec<Member> {
        let mut out = Vec::new();
        if self.peek() != Some(b'{') {
            return out;
        }
        self.i += 1;
        loop {
            self.skip_trivia();
            match self.peek() {
                Some(b'"') => {}
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                _ => return out,
            }
            let key_start = self.i;
            let Some(key_end) = self.string() else { return out };
            self.skip_trivia();
            if self.peek() != Some(b':') {
                return out;
            }
            self.i += 1;
            self.skip_trivia();
            let value_start = self.i;
            let Some(value_end) = self.value() else { return out };
            let key = serde_json::from_str::<String>(&self.text[key_start..key_end]).unwrap_or_default();
            out.push(Member { key, pair: (key_start, value_end), value: (value_start, value_end) });
        }
    }

    /// Skips a string at the cursor, returning the offset after its closing quote.
    fn string(&mut self) -> Option<usize> {
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return Some(self.i),
                b'\n' => return None,
                _ => {}
            }
        }
        None
    }

    /// Skips one value (iteratively, so deep nesting cannot overflow the stack).
    fn value(&mut self) -> Option<usize> {
        let mut depth = 0usize;
        loop {
            let c = self.peek()?;
            if depth == 0 && (matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace()) {
                return Some(self.i);
            }
            match c {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
            if depth == 0 && matches!(c, b'"' | b'}' | b']') {
                return Some(self.i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_member_spans() {
        let text = "\u{feff}{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"@clerk/nextjs\": \"^6.9.0\",\n    \"next\" : \"15.2.4\"\n  },\n  \"x\": [1, {\"a\": 2}], \"n\": 12\n}";
        let top = object_members(text, &[]);
        assert_eq!(top.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), ["name", "dependencies", "x", "n"]);
        assert_eq!(&text[top[3].value.0..top[3].value.1], "12");
        let deps = object_members(text, &["dependencies"]);
        assert_eq!(&text[deps[0].pair.0..deps[0].pair.1], "\"@clerk/nextjs\": \"^6.9.0\"");
        assert_eq!(&text[deps[1].pair.0..deps[1].pair.1], "\"next\" : \"15.2.4\"");
        assert_eq!(&text[deps[1].value.0..deps[1].value.1], "\"15.2.4\"");
    }

    #[test]
    fn survives_garbage() {
        for text in [
            "{\"a\": é, \"é\": \"\\é\"}",
            "{\"\\é",
            "",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\": {\"b\": [}",
            "]]]",
            "{\"a\": \"x",
            "{,,\"a\":1}",
        ] {
            let _ = object_members(text, &["a"]);
        }
        let deep = "[".repeat(100_000);
        let _ = object_members(&format!("{{\"a\": {deep}"), &["a"]);
    }
}

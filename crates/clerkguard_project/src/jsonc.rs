//! JSON with comments and trailing commas (tsconfig.json, jsconfig.json, bun.lock).

/// Blanks out `//` and `/* */` comments and trailing commas outside strings, byte for byte:
/// the result has the same length as the input and every byte offset (and line) still points at
/// the same text, so positions from a JSON parser map straight back to the original file.
/// Unterminated strings and comments are tolerated (the JSON parser reports them afterwards).
pub fn strip_jsonc(text: &str) -> String {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    let len = out.len();
    let mut i = 0;
    // The last significant comma outside strings, blanked if the next significant byte closes.
    let mut pending_comma: Option<usize> = None;
    while i < len {
        match out[i] {
            b'"' => {
                pending_comma = None;
                i += 1;
                while i < len && out[i] != b'"' {
                    if out[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if i + 1 < len && out[i + 1] == b'/' => {
                while i < len && out[i] != b'\n' {
                    blank(&mut out, i);
                    i += 1;
                }
            }
            b'/' if i + 1 < len && out[i + 1] == b'*' => {
                let start = i;
                i += 2;
                while i < len && !(out[i] == b'*' && i + 1 < len && out[i + 1] == b'/') {
                    i += 1;
                }
                let end = (i + 2).min(len);
                for j in start..end {
                    blank(&mut out, j);
                }
                i = end;
            }
            b',' => {
                pending_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(comma) = pending_comma.take() {
                    out[comma] = b' ';
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                pending_comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced with ASCII spaces, and whole multi-byte characters inside
    // comments were blanked, so the bytes stay valid UTF-8; the fallback never runs in practice.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Replaces a comment byte with a space, keeping newlines so line numbers survive.
fn blank(out: &mut [u8], i: usize) {
    if out[i] != b'\n' && out[i] != b'\r' {
        out[i] = b' ';
    }
}

/// Parses JSONC text into a JSON value, `None` when it is not valid even after stripping.
pub fn parse_jsonc(text: &str) -> Option<serde_json::Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(&strip_jsonc(text)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_comments_and_trailing_commas_in_place() {
        let text = "{\n  // note é\n  \"a\": [1, 2, /* x */],\n  \"b\": \"http://x/*y*/\", // tail\n}";
        let stripped = strip_jsonc(text);
        assert_eq!(stripped.len(), text.len());
        assert_eq!(stripped.lines().count(), text.lines().count());
        let value: serde_json::Value = serde_json::from_str(&stripped).unwrap();
        assert_eq!(value["a"], serde_json::json!([1, 2]));
        assert_eq!(value["b"], "http://x/*y*/");
    }

    #[test]
    fn keeps_commas_between_values_and_escaped_quotes() {
        let value = parse_jsonc(r#"{"a": "q\"//", "b": 1,}"#).unwrap();
        assert_eq!(value["a"], "q\"//");
        assert_eq!(value["b"], 1);
    }

    #[test]
    fn tolerates_unterminated_input() {
        assert!(parse_jsonc("{\"a\": /* never closed").is_none());
        assert!(parse_jsonc("{\"a\": \"never closed").is_none());
        assert!(parse_jsonc("\u{feff}{}").is_some());
        let _ = strip_jsonc("\\");
        let _ = strip_jsonc("\"\\");
    }
}

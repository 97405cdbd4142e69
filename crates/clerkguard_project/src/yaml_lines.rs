//! A line-based reader for the block-style YAML that package managers write (pnpm-lock.yaml,
//! pnpm-workspace.yaml, berry's yarn.lock). It understands indentation-nested mappings, quoted
//! keys and scalars, list items and comments, and skips what it does not need (flow collections
//! stay raw text, block scalars are skipped). Not a YAML parser: enough to find versions.

/// One meaningful line, with the keys of the mappings that enclose it.
pub(crate) enum YamlEvent<'a> {
    /// `key: value` (value `None` for `key:` that opens a nested mapping or list).
    Entry { path: &'a [String], key: &'a str, value: Option<&'a str> },
    /// `- value` in a block list.
    Item { path: &'a [String], value: &'a str },
}

pub(crate) fn walk_yaml(text: &str, mut f: impl FnMut(YamlEvent<'_>)) {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(block) = block_scalar_indent {
            if indent > block {
                continue;
            }
            block_scalar_indent = None;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        path.clear();
        path.extend(stack.iter().map(|(_, k)| k.clone()));
        if let Some(rest) = trimmed.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with(' ')) {
            let value = unquote(strip_comment(rest.trim()));
            f(YamlEvent::Item { path: &path, value: &value });
            continue;
        }
        let Some((key, rest)) = split_key(trimmed) else { continue };
        let rest = strip_comment(rest.trim());
        if rest.is_empty() {
            f(YamlEvent::Entry { path: &path, key: &key, value: None });
            stack.push((indent, key));
        } else {
            if rest.starts_with('|') || rest.starts_with('>') {
                block_scalar_indent = Some(indent);
                continue;
            }
            let value = unquote(rest);
            f(YamlEvent::Entry { path: &path, key: &key, value: Some(&value) });
        }
    }
}

/// Splits `key: rest` (the key possibly quoted); `None` for lines that are not mapping entries.
fn split_key(line: &str) -> Option<(String, &str)> {
    let first = line.chars().next()?;
    if first == '\'' || first == '"' {
        let close = closing_quote(line, first)?;
        let after = line[close + 1..].trim_start();
        let rest = after.strip_prefix(':')?;
        return Some((unquote(&line[..=close]), rest));
    }
    if let Some(pos) = line.find(": ") {
        return Some((line[..pos].trim_end().to_string(), &line[pos + 1..]));
    }
    let key = line.strip_suffix(':')?;
    Some((key.trim_end().to_string(), ""))
}

fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let q = quote as u8;
    let mut i = 1;
    while i < bytes.len() {
        if quote == '"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == q {
            if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Drops a ` # comment` after an unquoted scalar.
fn strip_comment(text: &str) -> &str {
    if let Some(quote) = text.chars().next().filter(|c| *c == '\'' || *c == '"') {
        return match closing_quote(text, quote) {
            Some(close) => &text[..=close],
            None => text,
        };
    }
    match text.find(" #") {
        Some(pos) => text[..pos].trim_end(),
        None => text,
    }
}

/// The text of a plain, single- or double-quoted scalar.
pub(crate) fn unquote(text: &str) -> String {
    let text = text.trim();
    if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
        return text[1..text.len() - 1].replace("''", "'");
    }
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        return text[1..text.len() - 1].replace("\\\"", "\"").replace("\\\\", "\\");
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        walk_yaml(text, |event| match event {
            YamlEvent::Entry { path, key, value } => {
                out.push(format!("{}|{key}={}", path.join("/"), value.unwrap_or("<map>")))
            }
            YamlEvent::Item { path, value } => out.push(format!("{}|-{value}", path.join("/"))),
        });
        out
    }

    #[test]
    fn reads_nested_mappings_lists_and_quotes() {
        let text = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      '@clerk/nextjs':\n        specifier: ^6.0.0 # c\n        version: 6.9.0(next@15.2.4)\npackages:\n  - 'apps/*'\n  - \"!**/test\"\nmsg: |\n  a: b\nend: x\n";
        assert_eq!(
            entries(text),
            [
                "|lockfileVersion=9.0",
                "|importers=<map>",
                "importers|.=<map>",
                "importers/.|dependencies=<map>",
                "importers/./dependencies|@clerk/nextjs=<map>",
                "importers/./dependencies/@clerk/nextjs|specifier=^6.0.0",
                "importers/./dependencies/@clerk/nextjs|version=6.9.0(next@15.2.4)",
                "|packages=<map>",
                "packages|-apps/*",
                "packages|-!**/test",
                "|end=x",
            ]
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        for text in ["'", "\"a", ":", "- ", "  x: 'y", "é: ü\n  'é'", "a:\n\t b: c", "\u{feff}x: y"] {
            let _ = entries(text);
        }
    }
}

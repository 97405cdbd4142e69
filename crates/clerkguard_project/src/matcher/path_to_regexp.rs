//! A port of path-to-regexp 6 (`lexer` → `parse` → `tokensToRegexp`), the version Clerk vendors
//! and Next.js compiles `config.matcher` with.
//!
//! Two dialects: 6.3 (Clerk >= 6, Next.js >= 15) added backtracking protection to the default
//! parameter pattern and two validation errors; 6.1/6.2 (Next.js 14, Clerk 5) lack them.
//!
//! The output is the *JavaScript* regular-expression source path-to-regexp would build, so it can
//! be shown to users and compared with what Node prints; [`super::js_regex`] turns it into a
//! fancy-regex pattern. Error texts follow path-to-regexp's `TypeError` messages.

use std::fmt;

use thiserror::Error;

/// The default `delimiter` option: characters a parameter does not cross.
pub const DEFAULT_DELIMITER: &str = "/#?";
/// The default `prefixes` option: a parameter directly after one of these takes it as its prefix.
const DEFAULT_PREFIXES: &str = "./";

/// Why path-to-regexp rejects a path. Indices count characters from the start of the path.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PathSyntaxError {
    #[error("Missing parameter name at {0}")]
    MissingParameterName(usize),
    #[error("Pattern cannot start with \"?\" at {0}")]
    PatternStartsWithQuestionMark(usize),
    #[error("Capturing groups are not allowed at {0}")]
    CapturingGroup(usize),
    #[error("Unbalanced pattern at {0}")]
    UnbalancedPattern(usize),
    #[error("Missing pattern at {0}")]
    MissingPattern(usize),
    #[error("Unexpected {found} at {index}, expected {expected}")]
    Unexpected { found: LexKind, index: usize, expected: LexKind },
    #[error("Must have text between two parameters, missing text after \"{0}\"")]
    MissingTextBetweenParameters(String),
    #[error("Can not repeat \"{0}\" without a prefix and suffix")]
    RepeatWithoutPrefixOrSuffix(String),
}

/// Which path-to-regexp 6 release to follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// 6.1 / 6.2: default parameter pattern `[^\/#\?]+?`; repeats without prefix allowed.
    Legacy,
    /// 6.3: the default pattern excludes the preceding text, and `/:a:b` and `(.*)*` are errors.
    #[default]
    V6_3,
}

/// Lexer token kinds, named as path-to-regexp names them in its errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LexKind {
    Open,
    Close,
    Pattern,
    Name,
    Char,
    EscapedChar,
    Modifier,
    End,
}

impl fmt::Display for LexKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Open => "OPEN",
            Self::Close => "CLOSE",
            Self::Pattern => "PATTERN",
            Self::Name => "NAME",
            Self::Char => "CHAR",
            Self::EscapedChar => "ESCAPED_CHAR",
            Self::Modifier => "MODIFIER",
            Self::End => "END",
        })
    }
}

#[derive(Clone, Debug)]
struct LexToken {
    kind: LexKind,
    index: usize,
    /// Empty only for an `ESCAPED_CHAR` at the very end (JavaScript's `undefined`).
    value: String,
}

fn lexer(path: &str) -> Result<Vec<LexToken>, PathSyntaxError> {
    let chars: Vec<char> = path.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let token = |kind, index, value: String| LexToken { kind, index, value };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' | '+' | '?' => {
                tokens.push(token(LexKind::Modifier, i, c.to_string()));
                i += 1;
            }
            '\\' => {
                let value = chars.get(i + 1).map(|c| c.to_string()).unwrap_or_default();
                tokens.push(token(LexKind::EscapedChar, i, value));
                i += 2;
            }
            '{' => {
                tokens.push(token(LexKind::Open, i, "{".into()));
                i += 1;
            }
            '}' => {
                tokens.push(token(LexKind::Close, i, "}".into()));
                i += 1;
            }
            ':' => {
                let name: String =
                    chars[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').collect();
                if name.is_empty() {
                    return Err(PathSyntaxError::MissingParameterName(i));
                }
                let len = name.chars().count();
                tokens.push(token(LexKind::Name, i, name));
                i += 1 + len;
            }
            '(' => {
                let (pattern, next) = lex_pattern(&chars, i)?;
                tokens.push(token(LexKind::Pattern, i, pattern));
                i = next;
            }
            _ => {
                tokens.push(token(LexKind::Char, i, c.to_string()));
                i += 1;
            }
        }
    }
    tokens.push(token(LexKind::End, i.min(chars.len()), String::new()));
    Ok(tokens)
}

/// Reads a `( ... )` custom pattern starting at `open`; returns its body and the index after it.
fn lex_pattern(chars: &[char], open: usize) -> Result<(String, usize), PathSyntaxError> {
    let mut count = 1;
    let mut pattern = String::new();
    let mut j = open + 1;
    if chars.get(j) == Some(&'?') {
        return Err(PathSyntaxError::PatternStartsWithQuestionMark(j));
    }
    while j < chars.len() {
        let c = chars[j];
        if c == '\\' {
            pattern.push(c);
            if let Some(&next) = chars.get(j + 1) {
                pattern.push(next);
            }
            j += 2;
            continue;
        }
        if c == ')' {
            count -= 1;
            if count == 0 {
                j += 1;
                break;
            }
        } else if c == '(' {
            count += 1;
            if chars.get(j + 1) != Some(&'?') {
                return Err(PathSyntaxError::CapturingGroup(j));
            }
        }
        pattern.push(c);
        j += 1;
    }
    if count != 0 {
        return Err(PathSyntaxError::UnbalancedPattern(open));
    }
    if pattern.is_empty() {
        return Err(PathSyntaxError::MissingPattern(open));
    }
    Ok((pattern, j))
}

/// A parameter's name: given (`:id`) or the position of an unnamed group (`(.*)` → 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyName {
    Named(String),
    Index(usize),
    /// A `{...}` group with neither a name nor a pattern (JavaScript's `""`).
    None,
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Named(name) => f.write_str(name),
            Self::Index(i) => write!(f, "{i}"),
            Self::None => Ok(()),
        }
    }
}

/// A parameter or group of a parsed path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: KeyName,
    pub prefix: String,
    pub suffix: String,
    /// Regular-expression source (JavaScript syntax); empty for a group without a parameter.
    pub pattern: String,
    /// `""`, `"?"`, `"*"` or `"+"`.
    pub modifier: String,
}

impl Key {
    /// `*` or `+`: the parameter repeats, joined by its prefix and suffix.
    pub fn repeats(&self) -> bool {
        matches!(self.modifier.as_str(), "*" | "+")
    }

    /// `?` or `*`: the parameter may be absent.
    pub fn is_optional(&self) -> bool {
        matches!(self.modifier.as_str(), "?" | "*")
    }
}

/// One element of a parsed path: literal text or a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Text(String),
    Key(Key),
}

/// Parses `path` as path-to-regexp 6.3 does with default options.
pub fn parse(path: &str) -> Result<Vec<Token>, PathSyntaxError> {
    parse_with(path, Dialect::V6_3)
}

/// Parses `path` as the given path-to-regexp release does with default options.
pub fn parse_with(path: &str, dialect: Dialect) -> Result<Vec<Token>, PathSyntaxError> {
    Parser { tokens: lexer(path)?, i: 0, result: Vec::new(), delimiter: DEFAULT_DELIMITER, dialect }.run()
}

struct Parser {
    tokens: Vec<LexToken>,
    i: usize,
    result: Vec<Token>,
    delimiter: &'static str,
    dialect: Dialect,
}

impl Parser {
    fn run(mut self) -> Result<Vec<Token>, PathSyntaxError> {
        let mut key = 0usize;
        let mut path = String::new();
        while self.i < self.tokens.len() {
            let char = self.try_consume(LexKind::Char);
            let name = self.try_consume(LexKind::Name);
            let pattern = self.try_consume(LexKind::Pattern);
            if name.is_some() || pattern.is_some() {
                let mut prefix = char.unwrap_or_default();
                if !prefix.is_empty() && !DEFAULT_PREFIXES.contains(prefix.as_str()) {
                    path.push_str(&prefix);
                    prefix.clear();
                }
                if !path.is_empty() {
                    self.result.push(Token::Text(std::mem::take(&mut path)));
                }
                let name = match name {
                    Some(name) => KeyName::Named(name),
                    None => {
                        key += 1;
                        KeyName::Index(key - 1)
                    }
                };
                let pattern = match pattern {
                    Some(pattern) => pattern,
                    None => self.safe_pattern(&prefix)?,
                };
                let modifier = self.try_consume(LexKind::Modifier).unwrap_or_default();
                self.result.push(Token::Key(Key { name, prefix, suffix: String::new(), pattern, modifier }));
                continue;
            }
            let value = match char {
                Some(c) => Some(c),
                None => self.try_consume(LexKind::EscapedChar),
            };
            if let Some(value) = value {
                // An escape at the very end has no character: JavaScript appends nothing.
                path.push_str(&value);
                if !value.is_empty() {
                    continue;
                }
            }
            if !path.is_empty() {
                self.result.push(Token::Text(std::mem::take(&mut path)));
            }
            if self.try_consume(LexKind::Open).is_some() {
                let prefix = self.consume_text();
                let name = self.try_consume(LexKind::Name).unwrap_or_default();
                let pattern = self.try_consume(LexKind::Pattern).unwrap_or_default();
                let suffix = self.consume_text();
                self.must_consume(LexKind::Close)?;
                let key_name = if !name.is_empty() {
                    KeyName::Named(name.clone())
                } else if !pattern.is_empty() {
                    key += 1;
                    KeyName::Index(key - 1)
                } else {
                    KeyName::None
                };
                let pattern =
                    if !name.is_empty() && pattern.is_empty() { self.safe_pattern(&prefix)? } else { pattern };
                let modifier = self.try_consume(LexKind::Modifier).unwrap_or_default();
                self.result.push(Token::Key(Key { name: key_name, prefix, suffix, pattern, modifier }));
                continue;
            }
            self.must_consume(LexKind::End)?;
        }
        Ok(self.result)
    }

    fn try_consume(&mut self, kind: LexKind) -> Option<String> {
        let token = self.tokens.get(self.i).filter(|t| t.kind == kind)?;
        self.i += 1;
        Some(token.value.clone())
    }

    fn must_consume(&mut self, kind: LexKind) -> Result<String, PathSyntaxError> {
        if let Some(value) = self.try_consume(kind) {
            return Ok(value);
        }
        let (found, index) = self.tokens.get(self.i).map_or((LexKind::End, 0), |t| (t.kind, t.index));
        Err(PathSyntaxError::Unexpected { found, index, expected: kind })
    }

    fn consume_text(&mut self) -> String {
        let mut text = String::new();
        loop {
            let value = match self.try_consume(LexKind::Char) {
                Some(c) => Some(c),
                None => self.try_consume(LexKind::EscapedChar),
            };
            match value {
                Some(v) if !v.is_empty() => text.push_str(&v),
                _ => return text,
            }
        }
    }

    /// The default parameter pattern; 6.3's backtracking protection excludes the preceding text.
    fn safe_pattern(&self, prefix: &str) -> Result<String, PathSyntaxError> {
        let delimiter = escape_string(self.delimiter);
        if self.dialect == Dialect::Legacy {
            return Ok(format!("[^{delimiter}]+?"));
        }
        let prev = self.result.last();
        let prev_text = if !prefix.is_empty() {
            prefix
        } else {
            match prev {
                Some(Token::Text(text)) => text.as_str(),
                _ => "",
            }
        };
        if let (Some(Token::Key(prev)), true) = (prev, prev_text.is_empty()) {
            return Err(PathSyntaxError::MissingTextBetweenParameters(prev.name.to_string()));
        }
        if prev_text.is_empty() || self.delimiter.chars().any(|c| prev_text.contains(c)) {
            Ok(format!("[^{delimiter}]+?"))
        } else {
            Ok(format!("(?:(?!{})[^{delimiter}])+?", escape_string(prev_text)))
        }
    }
}

/// path-to-regexp's `escapeString`: backslash before `.+*?=^!:${}()[]|/\`.
pub fn escape_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ".+*?=^!:${}()[]|/\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `tokensToRegexp` (6.3) with `start: true`, `end: true`, `strict: false`, `delimiter: "/#?"`:
/// the JavaScript source of the regular expression (flags are up to the caller).
pub fn tokens_to_regexp(tokens: &[Token]) -> Result<String, PathSyntaxError> {
    tokens_to_regexp_with(tokens, Dialect::V6_3)
}

/// `tokensToRegexp` of the given release, default options.
pub fn tokens_to_regexp_with(tokens: &[Token], dialect: Dialect) -> Result<String, PathSyntaxError> {
    let delimiter_re = format!("[{}]", escape_string(DEFAULT_DELIMITER));
    let mut route = String::from("^");
    for token in tokens {
        match token {
            Token::Text(text) => route.push_str(&escape_string(text)),
            Token::Key(key) => {
                let prefix = escape_string(&key.prefix);
                let suffix = escape_string(&key.suffix);
                let pattern = &key.pattern;
                let modifier = &key.modifier;
                if pattern.is_empty() {
                    route.push_str(&format!("(?:{prefix}{suffix}){modifier}"));
                } else if !prefix.is_empty() || !suffix.is_empty() {
                    if key.repeats() {
                        let optional = if modifier == "*" { "?" } else { "" };
                        route.push_str(&format!(
                            "(?:{prefix}((?:{pattern})(?:{suffix}{prefix}(?:{pattern}))*){suffix}){optional}"
                        ));
                    } else {
                        route.push_str(&format!("(?:{prefix}({pattern}){suffix}){modifier}"));
                    }
                } else if key.repeats() && dialect == Dialect::V6_3 {
                    return Err(PathSyntaxError::RepeatWithoutPrefixOrSuffix(key.name.to_string()));
                } else {
                    route.push_str(&format!("({pattern}){modifier}"));
                }
            }
        }
    }
    route.push_str(&delimiter_re);
    route.push_str("?$");
    Ok(route)
}

/// `pathToRegexp(path)` with default options: parse, then build the JavaScript source.
pub fn path_to_regexp_source(path: &str) -> Result<String, PathSyntaxError> {
    tokens_to_regexp(&parse(path)?)
}

/// Next.js's `tryToParsePath` (15+): when 6.3 rejects a repeated parameter without prefix or
/// suffix, it gives such parameters a `/` prefix and tries again. Next.js 14 used 6.1.
pub fn next_path_to_regexp_source(path: &str, dialect: Dialect) -> Result<String, PathSyntaxError> {
    let tokens = parse_with(path, dialect)?;
    match tokens_to_regexp_with(&tokens, dialect) {
        Err(PathSyntaxError::RepeatWithoutPrefixOrSuffix(_)) => {
            let normalized: Vec<Token> = tokens
                .into_iter()
                .map(|token| match token {
                    Token::Key(mut key) if key.repeats() && key.prefix.is_empty() && key.suffix.is_empty() => {
                        key.prefix = "/".into();
                        Token::Key(key)
                    }
                    other => other,
                })
                .collect();
            tokens_to_regexp_with(&normalized, dialect)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str) -> String {
        path_to_regexp_source(path).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn builds_the_regexes_path_to_regexp_builds() {
        assert_eq!(src("/dashboard"), r"^\/dashboard[\/#\?]?$");
        assert_eq!(src("/dashboard(.*)"), r"^\/dashboard(.*)[\/#\?]?$");
        assert_eq!(src("/dashboard/(.*)"), r"^\/dashboard(?:\/(.*))[\/#\?]?$");
        assert_eq!(src("/dashboard/:path*"), r"^\/dashboard(?:\/((?:[^\/#\?]+?)(?:\/(?:[^\/#\?]+?))*))?[\/#\?]?$");
        assert_eq!(src("/(api|trpc)(.*)"), r"^(?:\/(api|trpc))(.*)[\/#\?]?$");
        assert_eq!(src("/user-:id"), r"^\/user-([^\/#\?]+?)[\/#\?]?$");
        assert_eq!(src("/:a-:b"), r"^(?:\/([^\/#\?]+?))-((?:(?!-)[^\/#\?])+?)[\/#\?]?$");
        assert_eq!(src("/:a?"), r"^(?:\/([^\/#\?]+?))?[\/#\?]?$");
        assert_eq!(src("/{:a.}?x"), r"^\/(?:([^\/#\?]+?)\.)?x[\/#\?]?$");
        assert_eq!(src("/x\\*"), r"^\/x\*[\/#\?]?$");
    }

    #[test]
    fn rejects_what_path_to_regexp_rejects() {
        assert_eq!(src("/admin/*"), "ERR Unexpected MODIFIER at 7, expected END");
        assert_eq!(src("**"), "ERR Unexpected MODIFIER at 0, expected END");
        assert_eq!(src("/:"), "ERR Missing parameter name at 1");
        assert_eq!(src("/(?!x)"), "ERR Pattern cannot start with \"?\" at 2");
        assert_eq!(src("/((a))"), "ERR Capturing groups are not allowed at 2");
        assert_eq!(src("/(a"), "ERR Unbalanced pattern at 1");
        assert_eq!(src("/()"), "ERR Missing pattern at 1");
        assert_eq!(src("/:a:b"), "ERR Must have text between two parameters, missing text after \"a\"");
        assert_eq!(src("/{a"), "ERR Unexpected END at 3, expected CLOSE");
        assert_eq!(src("(.*)*"), "ERR Can not repeat \"0\" without a prefix and suffix");
    }

    #[test]
    fn legacy_dialect_and_next_normalization() {
        let legacy = |p: &str| tokens_to_regexp_with(&parse_with(p, Dialect::Legacy).unwrap(), Dialect::Legacy);
        assert_eq!(legacy("/:a:b").unwrap(), r"^(?:\/([^\/#\?]+?))([^\/#\?]+?)[\/#\?]?$");
        assert_eq!(legacy("(.*)*").unwrap(), r"^(.*)*[\/#\?]?$");
        assert_eq!(
            next_path_to_regexp_source("/a(.*)*", Dialect::V6_3).unwrap(),
            r"^\/a(?:\/((?:.*)(?:\/(?:.*))*))?[\/#\?]?$"
        );
    }
}

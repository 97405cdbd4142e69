//! Raw SQL: ``sql`DELETE FROM posts WHERE id = ${id}` ``, `db.query("... WHERE id = $1", [id])`.
//!
//! A small tokenizer, not a SQL parser: it finds the statement kind, the first table, and
//! `column = <value>` / `column IN (<value>)` pairs whose value is a substitution. `OR`
//! anywhere makes the filter opaque.

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, TaggedTpl};

use super::libs::array_elements;
use super::{Condition, Cx, Library, Operation, Query, Segment, ValueSource, string_value};
use crate::analysis::ast_util::{chain_names, peel, range_of};

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    /// A substitution: index into the values.
    Value(usize),
    Literal,
    Op(String),
    Punct(char),
}

/// A tagged SQL template.
pub(super) fn tagged(tpl: &TaggedTpl, cx: &Cx<'_>) -> Option<Query> {
    let names = chain_names(&tpl.tag);
    let last = names.last()?.as_str();
    if !matches!(last, "sql" | "query" | "raw" | "$queryRaw" | "$executeRaw" | "unsafe") {
        return None;
    }
    let mut text = String::new();
    for (i, quasi) in tpl.tpl.quasis.iter().enumerate() {
        text.push_str(&quasi.raw);
        if i < tpl.tpl.exprs.len() {
            text.push_str(&format!(" \u{1}{i}\u{1} "));
        }
    }
    let values: Vec<&Expr> = tpl.tpl.exprs.iter().map(|e| &**e).collect();
    parse(&text, &values, cx, range_of(tpl))
}

/// `db.query("...", [a, b])`, `pool.query(...)`, `prisma.$queryRawUnsafe("...", a, b)`.
pub(super) fn call(_root: &Expr, segs: &[Segment<'_>], range: TextRange, cx: &Cx<'_>) -> Option<Query> {
    let seg = segs.last()?;
    let args = seg.args?;
    if !matches!(seg.name.as_str(), "query" | "execute" | "$queryRawUnsafe" | "$executeRawUnsafe" | "unsafe") {
        return None;
    }
    let first = &*args.first()?.expr;
    let (text, mut values): (String, Vec<&Expr>) = match peel(first) {
        // An untagged template: substitutions are spliced into the SQL text.
        Expr::Tpl(t) if !t.exprs.is_empty() => {
            let mut text = String::new();
            for (i, quasi) in t.quasis.iter().enumerate() {
                text.push_str(&quasi.raw);
                if i < t.exprs.len() {
                    text.push_str(&format!(" \u{1}{i}\u{1} "));
                }
            }
            (text, t.exprs.iter().map(|e| &**e).collect())
        }
        other => (string_value(other)?, Vec::new()),
    };
    let offset = values.len();
    let positional: Vec<&Expr> = if seg.name.ends_with("Unsafe") {
        args.iter().skip(1).map(|a| &*a.expr).collect()
    } else {
        array_elements(args.get(1).map(|a| &*a.expr))
    };
    values.extend(positional);
    let text = number_placeholders(&text, offset);
    parse(&text, &values, cx, range)
}

/// Rewrites `$1`/`?` placeholders into value markers (after `offset` template values).
fn number_placeholders(text: &str, offset: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut question = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                let index = n.parse::<usize>().unwrap_or(1).saturating_sub(1) + offset;
                out.push_str(&format!(" \u{1}{index}\u{1} "));
            }
            '?' => {
                out.push_str(&format!(" \u{1}{}\u{1} ", question + offset));
                question += 1;
            }
            other => out.push(other),
        }
    }
    out
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\u{1}' {
            let end = chars[i + 1..].iter().position(|&c| c == '\u{1}').map_or(chars.len(), |p| i + 1 + p);
            let n: String = chars[i + 1..end].iter().collect();
            tokens.push(n.parse().map_or(Token::Literal, Token::Value));
            i = end + 1;
        } else if c == '\'' {
            let end = chars[i + 1..].iter().position(|&c| c == '\'').map_or(chars.len(), |p| i + 1 + p);
            tokens.push(Token::Literal);
            i = end + 1;
        } else if c.is_alphanumeric() || c == '_' || c == '"' || c == '`' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '"' | '`')) {
                i += 1;
            }
            let word: String = chars[start..i].iter().filter(|c| !matches!(c, '"' | '`')).collect();
            if word.chars().all(|c| c.is_ascii_digit() || c == '.') {
                tokens.push(Token::Literal);
            } else {
                tokens.push(Token::Word(word));
            }
        } else if matches!(c, '=' | '<' | '>' | '!') {
            let start = i;
            while i < chars.len() && matches!(chars[i], '=' | '<' | '>' | '!') {
                i += 1;
            }
            tokens.push(Token::Op(chars[start..i].iter().collect()));
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

fn is_kw(token: Option<&Token>, kw: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(kw))
}

fn parse(text: &str, values: &[&Expr], cx: &Cx<'_>, range: TextRange) -> Option<Query> {
    let tokens = tokenize(text);
    let (op_index, operation) = tokens.iter().enumerate().find_map(|(i, t)| match t {
        Token::Word(w) => match w.to_ascii_uppercase().as_str() {
            "SELECT" => Some((i, Operation::Read)),
            "INSERT" => Some((i, Operation::Create)),
            "UPDATE" => Some((i, Operation::Update)),
            "DELETE" => Some((i, Operation::Delete)),
            _ => None,
        },
        _ => None,
    })?;
    let table_kw = match operation {
        Operation::Create => "INTO",
        Operation::Update => "UPDATE",
        _ => "FROM",
    };
    let table_index = (op_index..tokens.len()).find(|&i| is_kw(tokens.get(i), table_kw))? + 1;
    let model = match tokens.get(table_index) {
        Some(Token::Word(w)) => Some(w.rsplit('.').next().unwrap_or_default().to_string()),
        _ => None,
    };
    let where_index = tokens.iter().position(|t| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case("WHERE")));
    let set_range = if operation == Operation::Update {
        let set = (table_index..tokens.len()).find(|&i| is_kw(tokens.get(i), "SET"));
        set.map(|s| (s, where_index.unwrap_or(tokens.len())))
    } else {
        None
    };
    let mut query = Query {
        library: Library::RawSql,
        model,
        operation,
        range,
        report_range: range,
        conditions: Vec::new(),
        data: Vec::new(),
        has_filter: where_index.is_some(),
        opaque: tokens.iter().any(|t| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case("OR"))),
        edit: None,
    };
    let mut i = table_index;
    while i + 2 < tokens.len() {
        let in_set = set_range.is_some_and(|(s, e)| i > s && i < e);
        let Token::Word(column) = &tokens[i] else {
            i += 1;
            continue;
        };
        let value_at = match (&tokens[i + 1], tokens.get(i + 2), tokens.get(i + 3), tokens.get(i + 4)) {
            (Token::Op(op), Some(Token::Value(v)), _, _) if op == "=" => Some(*v),
            (Token::Op(op), Some(Token::Word(any)), Some(Token::Punct('(')), Some(Token::Value(v)))
                if op == "=" && any.eq_ignore_ascii_case("ANY") =>
            {
                Some(*v)
            }
            (Token::Word(kw), Some(Token::Punct('(')), Some(Token::Value(v)), _) if kw.eq_ignore_ascii_case("IN") => {
                Some(*v)
            }
            _ => None,
        };
        if let Some(v) = value_at {
            let value_expr = values.get(v);
            let condition = Condition {
                column: column.rsplit('.').next().unwrap_or_default().to_string(),
                path: Vec::new(),
                value: value_expr.map_or(ValueSource::Other, |e| cx.classify(e)),
                value_range: value_expr.map_or(range, |e| range_of(*e)),
                in_or: false,
                equality: true,
            };
            if in_set { query.data.push(condition) } else { query.conditions.push(condition) }
        }
        i += 1;
    }
    Some(query)
}

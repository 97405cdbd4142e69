//! `export const config = { matcher }`: read statically, as Next.js does at build time.

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{ArrayLit, Expr, Lit, Module, ObjectLit, Prop, PropOrSpread};

use super::ast::{local_for_export, peel, prop_name, range_of, static_string, top_level_init};
use crate::matcher::{ConditionKind, NextMatcherEntry, RouteCondition};

/// One `config.matcher` entry with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatcherEntrySpan {
    pub entry: NextMatcherEntry,
    /// The string literal, or the object literal of the object form.
    pub range: TextRange,
    /// The `source` string's range (the string itself for the string form).
    pub source_range: TextRange,
}

/// What the middleware file says about `config.matcher`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatcherConfig {
    /// No `config.matcher`: the middleware runs on every path.
    EveryPath,
    /// A static matcher.
    Static {
        entries: Vec<MatcherEntrySpan>,
        /// The matcher value: an array literal, or a single string.
        value_range: TextRange,
        /// Whether the value is an array literal (new entries go inside it).
        is_array: bool,
    },
    /// A matcher Next.js cannot read at build time (a variable, a call, a spread).
    NotStatic { range: TextRange, reason: String },
}

/// Reads `config.matcher` from a middleware module.
pub fn read_matcher(module: &Module) -> MatcherConfig {
    let Some(local) = local_for_export(module, "config") else { return MatcherConfig::EveryPath };
    let Some(init) = top_level_init(module, &local) else { return MatcherConfig::EveryPath };
    let Expr::Object(object) = peel(init) else {
        return MatcherConfig::NotStatic { range: range_of(init), reason: "`config` is not an object literal".into() };
    };
    let Some(value) = property(object, "matcher") else {
        return if object.props.iter().any(|p| matches!(p, PropOrSpread::Spread(_))) {
            MatcherConfig::NotStatic { range: range_of(object), reason: "`config` spreads another object".into() }
        } else {
            MatcherConfig::EveryPath
        };
    };
    let value = peel(value);
    let not_static = |reason: &str| MatcherConfig::NotStatic { range: range_of(value), reason: reason.to_string() };
    if let Some(source) = static_string(value) {
        let range = range_of(value);
        let entries = vec![MatcherEntrySpan { entry: NextMatcherEntry::new(source), range, source_range: range }];
        return MatcherConfig::Static { entries, value_range: range, is_array: false };
    }
    let Expr::Array(ArrayLit { elems, .. }) = value else {
        return not_static("`matcher` is not a string or an array literal");
    };
    let mut entries = Vec::new();
    for elem in elems {
        let Some(elem) = elem else { continue };
        if elem.spread.is_some() {
            return not_static("`matcher` spreads another value");
        }
        match entry(&elem.expr) {
            Some(entry) => entries.push(entry),
            None => return not_static("a `matcher` entry is not a literal"),
        }
    }
    MatcherConfig::Static { entries, value_range: range_of(value), is_array: true }
}

fn property<'a>(object: &'a ObjectLit, name: &str) -> Option<&'a Expr> {
    object.props.iter().find_map(|p| match p {
        PropOrSpread::Prop(prop) => match &**prop {
            Prop::KeyValue(kv) if prop_name(&kv.key).as_deref() == Some(name) => Some(&*kv.value),
            _ => None,
        },
        PropOrSpread::Spread(_) => None,
    })
}

fn entry(expr: &Expr) -> Option<MatcherEntrySpan> {
    let expr = peel(expr);
    if let Some(source) = static_string(expr) {
        let range = range_of(expr);
        return Some(MatcherEntrySpan { entry: NextMatcherEntry::new(source), range, source_range: range });
    }
    let Expr::Object(object) = expr else { return None };
    let source_expr = property(object, "source")?;
    let mut entry = NextMatcherEntry::new(static_string(source_expr)?);
    if let Some(locale) = property(object, "locale") {
        match peel(locale) {
            Expr::Lit(Lit::Bool(b)) => entry.locale = b.value,
            _ => return None,
        }
    }
    for (key, out) in [("has", &mut entry.has), ("missing", &mut entry.missing)] {
        let Some(list) = property(object, key) else { continue };
        let Expr::Array(array) = peel(list) else { return None };
        for item in array.elems.iter().flatten() {
            let Expr::Object(cond) = peel(&item.expr) else { return None };
            let kind = match property(cond, "type").and_then(static_string).as_deref() {
                Some("header") => ConditionKind::Header,
                Some("query") => ConditionKind::Query,
                Some("cookie") => ConditionKind::Cookie,
                Some("host") => ConditionKind::Host,
                _ => return None,
            };
            let key = property(cond, "key").and_then(static_string);
            let value = property(cond, "value").and_then(static_string);
            out.push(RouteCondition { kind, key, value });
        }
    }
    Some(MatcherEntrySpan { entry, range: range_of(object), source_range: range_of(source_expr) })
}

//! When a query misses its tenant scope, and the edits that add a condition to a query or bring
//! the session's `orgId` / `userId` into the function. Shared by the tenancy rules and
//! `mutation-without-ownership-check`.

use crate::analysis::entry_points::EntryPointKind;
use crate::analysis::flow::AuthSource;
use crate::analysis::queries::{FilterEdit, Library, Operation, Query, ValueSource};
use crate::fixer::{ensure_import, indent_at, line_end_after};
use crate::project_index::data_schema::{Model, ModelKind};
use crate::rules::entry_points::auth_lookup;
use crate::{Edit, FileContext};

use super::facts::EntryData;

/// Why a query on an org-owned model is not scoped to the caller's organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeGap {
    /// Selected by a value the caller sent (an id, a slug).
    ByInput,
    /// Selected by the session user only: rows of every organization the user ever wrote to.
    ByUserOnly,
    /// No filter at all.
    Unfiltered,
}

/// The org-owned model a query touches, when the schema knows one.
pub fn org_model<'s>(ctx: &'s FileContext<'_>, query: &Query) -> Option<&'s Model> {
    let schema = ctx.index.data_schema();
    let model = ctx.data_model(query.model.as_deref()?)?;
    if model.kind != ModelKind::Data || model.org_column.is_none() {
        return None;
    }
    if query.library == Library::Supabase && query.model.as_deref().is_some_and(|t| schema.has_row_level_security(t)) {
        return None;
    }
    Some(model)
}

/// Whether `org-scope-missing` reports the query at `index` of `data`, and why.
pub fn org_scope_gap(ctx: &FileContext<'_>, data: &EntryData<'_>, index: usize) -> Option<ScopeGap> {
    let query = &data.queries[index];
    if query.opaque || query.operation == Operation::Create || !data.has_session() {
        return None;
    }
    let model = org_model(ctx, query)?;
    // Scoped: the org column with a value the caller did not send, any session value in a
    // relation or subquery (membership join), or the session's org anywhere.
    let scoped = query.conditions.iter().any(|c| {
        (c.restricts() && model.is_org_column(&c.column) && c.path.is_empty() && c.value != ValueSource::Input)
            || (c.restricts() && c.value == ValueSource::SessionOrg)
            || (!c.path.is_empty() && c.value.is_session() && !c.in_or)
    });
    if scoped {
        return None;
    }
    // An org id from the caller is `org-id-from-input`'s finding.
    if query.conditions.iter().any(|c| model.is_org_column(&c.column) && c.value == ValueSource::Input) {
        return None;
    }
    if data.result_checked(index) {
        return None;
    }
    let mut restricting: Vec<_> = query.restricting().collect();
    let org_in_scope = data.session_org_name().is_some();
    if restricting.is_empty() && !query.has_filter {
        return org_in_scope.then_some(ScopeGap::Unfiltered);
    }
    if restricting.is_empty() {
        // Only `OR` branches: any branch selecting by the caller's value reaches every tenant.
        restricting = query.conditions.iter().filter(|c| c.equality && c.value == ValueSource::Input).collect();
    }
    if !restricting
        .iter()
        .all(|c| matches!(c.value, ValueSource::Input | ValueSource::SessionUser | ValueSource::Literal))
    {
        return None;
    }
    if restricting.iter().any(|c| c.value == ValueSource::Input) {
        // An earlier check of the record (`if (project.orgId !== orgId) throw`) or of the id
        // (a membership lookup by the same id) scopes it.
        let start = query.range.start;
        let checked = data.record_compared_before(start)
            || restricting
                .iter()
                .filter(|c| c.value == ValueSource::Input)
                .any(|c| data.input_checked_before(ctx.source(c.value_range), start));
        return (!checked).then_some(ScopeGap::ByInput);
    }
    (org_in_scope && restricting.iter().any(|c| c.value == ValueSource::SessionUser)).then_some(ScopeGap::ByUserOnly)
}

/// An expression for a session field in the entry, with the edits that make it available.
pub struct SessionValue {
    pub expr: String,
    pub edits: Vec<Edit>,
}

/// Which session field a fix needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionField {
    OrgId,
    UserId,
}

/// `orgId` (or `userId`) from the session: an existing binding, a field added to an existing
/// `auth()` destructure, or a new `const { orgId } = await auth()` at the top. A new org binding
/// comes with a check, since Prisma drops `undefined` filters (no active organization would
/// otherwise match every row).
pub fn session_value(ctx: &FileContext<'_>, data: &EntryData<'_>, field: SessionField) -> Option<SessionValue> {
    let existing = match field {
        SessionField::OrgId => data.session_org_name(),
        SessionField::UserId => data.session_user_name(),
    };
    if let Some(name) = existing {
        return Some(SessionValue { expr: name.to_string(), edits: Vec::new() });
    }
    let name = match field {
        SessionField::OrgId => "orgId",
        SessionField::UserId => "userId",
    };
    let entry = data.entry;
    let decl = entry.facts.auth_decls.iter().find(|d| matches!(d.source, AuthSource::Auth | AuthSource::GetAuth));
    if field == SessionField::UserId {
        // Only reuse what is there: a user id fix never adds an unchecked session lookup.
        let decl = entry.facts.auth_decls.iter().find(|d| d.user_check_expr.is_some())?;
        let expr = decl.user_check_expr.clone()?;
        let expr =
            if decl.source == AuthSource::CurrentUser && !expr.contains('.') { format!("{expr}.id") } else { expr };
        return Some(SessionValue { expr, edits: Vec::new() });
    }
    let reject = rejection(ctx, data)?;
    if let Some(decl) = decl {
        let stmt_end = decl.stmt_range.end;
        let indent = indent_at(ctx.text, decl.stmt_range.start);
        let check_at = line_end_after(ctx.text, stmt_end);
        if let Some(pattern) = decl.pattern_range {
            if entry.declared(ctx).contains(name) {
                return None;
            }
            let pattern_text = ctx.source(pattern);
            let close = pattern_text.rfind('}')?;
            let before = pattern_text[..close].trim_end();
            let at = pattern.start + before.len() as u32;
            let insert =
                if before.ends_with(',') || before.ends_with('{') { format!(" {name}") } else { format!(", {name}") };
            let edits =
                vec![Edit::insert(at, insert), Edit::insert(check_at, format!("{indent}if (!{name}) {reject}\n"))];
            return Some(SessionValue { expr: name.to_string(), edits });
        }
        let base = decl.user_check_expr.as_deref()?.strip_suffix(".userId")?.to_string();
        let expr = format!("{base}.{name}");
        return Some(SessionValue {
            expr: expr.clone(),
            edits: vec![Edit::insert(check_at, format!("{indent}if (!{expr}) {reject}\n"))],
        });
    }
    // No session lookup to extend: add one at the top of the function.
    if entry.declared(ctx).contains(name) || matches!(entry.kind, EntryPointKind::PagesApi) {
        return None;
    }
    let (at, indent) = entry.body_insert(ctx)?;
    if indent.contains('\n') {
        return None;
    }
    let mut edits = Vec::new();
    let lookup = auth_lookup(ctx, entry, &format!("{{ {name} }}"), &mut edits);
    edits.push(Edit::insert(at, format!("{indent}{lookup}\n{indent}if (!{name}) {reject}\n")));
    Some(SessionValue { expr: name.to_string(), edits })
}

/// The statement that stops a caller without an active organization.
fn rejection(ctx: &FileContext<'_>, data: &EntryData<'_>) -> Option<String> {
    let style = ctx.style();
    let semi = style.semi();
    let message = style.quoted("No active organization");
    Some(match &data.entry.kind {
        EntryPointKind::RouteHandler { .. } => {
            if ctx.semantics.imports.contains_key("NextResponse") {
                format!("return NextResponse.json({{ error: {message} }}, {{ status: 403 }}){semi}")
            } else {
                format!("return new Response({message}, {{ status: 403 }}){semi}")
            }
        }
        EntryPointKind::PagesApi => {
            let res = data.entry.params.get(1).filter(|p| !p.is_empty())?;
            format!("return {res}.status(403).json({{ error: {message} }}){semi}")
        }
        EntryPointKind::ServerFunction { .. } | EntryPointKind::Page => format!("throw new Error({message}){semi}"),
    })
}

/// The edits that add `column = value` to the query's filter.
pub fn add_condition(
    ctx: &FileContext<'_>,
    query: &Query,
    model: &Model,
    field: &str,
    value: &str,
) -> Option<Vec<Edit>> {
    let style = ctx.style();
    match query.edit.as_ref()? {
        FilterEdit::Object { open, after_last } => {
            let property = if field == value { field.to_string() } else { format!("{field}: {value}") };
            Some(vec![match after_last {
                Some(end) => Edit::insert(*end, format!(", {property}")),
                None => Edit::insert(open + 1, format!(" {property} ")),
            }])
        }
        FilterEdit::DrizzleWhere { arg, and_close, table } => {
            let mut edits = Vec::new();
            let sources = ["drizzle-orm/sql", "drizzle-orm/expressions"];
            let (eq, import) =
                ensure_import(ctx.syntax(), ctx.semantics, ctx.text, &style, "eq", "drizzle-orm", &sources);
            edits.extend(import);
            let condition = format!("{eq}({table}.{field}, {value})");
            match and_close {
                Some(close) if ctx.text.as_bytes().get(*close as usize) == Some(&b')') => {
                    edits.push(Edit::insert(*close, format!(", {condition}")));
                }
                Some(_) => return None,
                None => {
                    let (and, import) =
                        ensure_import(ctx.syntax(), ctx.semantics, ctx.text, &style, "and", "drizzle-orm", &sources);
                    // Both names go into the same import statement: merge the two insertions.
                    merge_import(&mut edits, import);
                    edits.push(Edit::replace(*arg, format!("{and}({}, {condition})", ctx.source(*arg))));
                }
            }
            Some(edits)
        }
        FilterEdit::SupabaseChain { at } => {
            let column = model.column_for(field, true);
            Some(vec![Edit::insert(*at, format!(".eq({}, {value})", style.quoted(&column)))])
        }
    }
}

/// Adds an import edit, merging it with an earlier insertion at the same offset.
fn merge_import(edits: &mut Vec<Edit>, import: Option<Edit>) {
    let Some(import) = import else { return };
    if let Some(existing) = edits.iter_mut().find(|e| e.range == import.range && e.range.is_empty()) {
        // Two `import { x } from "drizzle-orm"` lines, or two `, x` additions: combine them.
        if existing.new_text.starts_with("import {") && import.new_text.starts_with("import {") {
            if let (Some(a), Some(b)) = (existing.new_text.find(" }"), import.new_text.find('{')) {
                let name = import.new_text[b + 1..].split('}').next().unwrap_or("").trim().to_string();
                existing.new_text.insert_str(a, &format!(", {name}"));
                return;
            }
        } else {
            existing.new_text.push_str(&import.new_text);
            return;
        }
    }
    edits.push(import);
}

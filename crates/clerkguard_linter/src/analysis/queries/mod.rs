//! The data-access model: which calls query which model or table, whether they read or write,
//! and which columns they filter on with values from where (the session, the caller, a literal,
//! anything else).
//!
//! Recognised shapes (by call shape, not by import, like [`super::effects`]):
//! - Prisma: `db.post.findMany({ where })`, `update`/`delete`/`upsert`/..., nested `AND`/`OR`,
//!   relation filters (`project: { members: { some: { userId } } }`);
//! - Drizzle: `db.select().from(t).where(and(eq(t.c, v), ...))`, `db.update(t).set().where()`,
//!   `db.delete(t).where()`, `db.insert(t).values()`, relational `db.query.t.findMany({ where })`;
//! - Supabase: `supabase.from("t").select().eq("col", v)`, `.match({...})`;
//! - Mongoose: `Post.find({...})`, `findOneAndUpdate`, `findByIdAndDelete(id)`, ...;
//! - Kysely: `db.selectFrom("t").where("col", "=", v)`, `updateTable`, `deleteFrom`;
//! - raw SQL: ``sql`...` `` tagged templates and `db.query("...", [..])`.

mod libs;
mod sql;
pub mod values;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{CallExpr, Callee, Expr, ExprOrSpread, TaggedTpl};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::FileSemantics;
use super::ast_util::{member_prop_name, peel, range_of};
use super::functions::{FnBody, FnRef};
pub use values::{Bindings, Origin, ValueSource};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Library {
    Prisma,
    Drizzle,
    DrizzleRelational,
    Supabase,
    Mongoose,
    Kysely,
    RawSql,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    Read,
    Create,
    Update,
    Delete,
    /// Update or create (Prisma `upsert`).
    Upsert,
}

impl Operation {
    pub fn is_write(self) -> bool {
        !matches!(self, Self::Read)
    }

    /// Updates and deletes of existing rows (what ownership checks are about).
    pub fn modifies_existing(self) -> bool {
        matches!(self, Self::Update | Self::Delete | Self::Upsert)
    }
}

/// One column condition of a filter (or one field of written data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The column as the code names it: `orgId`, `org_id`, `_id`.
    pub column: String,
    /// Relation path of nested Prisma filters (`["project", "members"]`), empty for own columns.
    pub path: Vec<String>,
    pub value: ValueSource,
    pub value_range: TextRange,
    /// Inside an `OR` (only some rows need to match it).
    pub in_or: bool,
    /// An equality (or membership `in`) test, the only kind that scopes rows to a tenant.
    pub equality: bool,
}

impl Condition {
    /// Restricts the rows for sure: an equality outside any `OR`.
    pub fn restricts(&self) -> bool {
        self.equality && !self.in_or
    }
}

/// How a fix can add a condition to the query's filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterEdit {
    /// An object literal filter (Prisma, Mongoose, Drizzle relational v2): add `key: value`
    /// after the last property, which ends at `after_last` (`None`: the object is empty and
    /// `{` is at `open`).
    Object { open: u32, after_last: Option<u32> },
    /// A Drizzle `.where(arg)`: wrap in `and(...)`, or append to an existing `and(...)` whose
    /// closing parenthesis is at `and_close`.
    DrizzleWhere { arg: TextRange, and_close: Option<u32>, table: String },
    /// A Supabase chain: insert `.eq("col", value)` at this offset (after the operation call).
    SupabaseChain { at: u32 },
}

/// A recognised database query.
#[derive(Clone, Debug)]
pub struct Query {
    pub library: Library,
    /// The model or table as the code names it: `post` (Prisma accessor), `posts` (Drizzle
    /// table variable or table name), `Post` (Mongoose model).
    pub model: Option<String>,
    pub operation: Operation,
    /// The whole call (chain).
    pub range: TextRange,
    /// Where the method or SQL statement is named (reports start here).
    pub report_range: TextRange,
    pub conditions: Vec<Condition>,
    /// Fields written by creates and updates, with their value sources.
    pub data: Vec<Condition>,
    /// The query has a filter at all (`where`, `.eq()`, `WHERE`, an id argument).
    pub has_filter: bool,
    /// Parts of the filter could not be read (spreads, variables, callbacks, raw fragments):
    /// rules must not assume a condition is missing.
    pub opaque: bool,
    pub edit: Option<FilterEdit>,
}

impl Query {
    /// Conditions that restrict rows for sure.
    pub fn restricting(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.iter().filter(|c| c.restricts())
    }
}

/// Every query in a function body (not in nested inline Server Functions).
pub fn queries_in_function(func: FnRef<'_>, bindings: &Bindings, sem: &FileSemantics) -> Vec<Query> {
    let mut finder = QueryFinder { bindings, sem, conditions_only: false, found: Vec::new() };
    match func.body() {
        Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut finder)),
        Some(FnBody::Expr(e)) => e.visit_with(&mut finder),
        None => {}
    }
    finder.found
}

/// Every query in a module, with its model and filter conditions only (for inferring columns
/// from how the code filters: written data is left empty). Value sources are only worked out
/// when the file imports Clerk: inference reads them only for session values, and without a
/// Clerk import no value is one (so every value is `Other`).
pub fn queries_in_module(module: &clerkguard_syntax::ast::Module, sem: &FileSemantics) -> Vec<Query> {
    let bindings = if sem.imports_clerk() { Bindings::for_module(module, sem) } else { Bindings::default() };
    let mut finder = QueryFinder { bindings: &bindings, sem, conditions_only: true, found: Vec::new() };
    module.visit_with(&mut finder);
    finder.found
}

struct QueryFinder<'a> {
    bindings: &'a Bindings,
    sem: &'a FileSemantics,
    conditions_only: bool,
    found: Vec<Query>,
}

impl Visit for QueryFinder<'_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        let cx = Cx { bindings: self.bindings, sem: self.sem, conditions_only: self.conditions_only };
        let Some(query) = recognize_call(call, &cx) else {
            call.visit_children_with(self);
            return;
        };
        self.found.push(query);
        // The chain itself is the query; its arguments may hold more (subqueries, callbacks).
        let Callee::Expr(callee) = &call.callee else { return };
        let (_, segments) = decompose(callee, &call.args, range_of(call));
        for seg in &segments {
            for arg in seg.args.unwrap_or(&[]) {
                arg.expr.visit_with(self);
            }
        }
    }

    fn visit_tagged_tpl(&mut self, tpl: &TaggedTpl) {
        tpl.visit_children_with(self);
        let cx = Cx { bindings: self.bindings, sem: self.sem, conditions_only: self.conditions_only };
        if let Some(query) = sql::tagged(tpl, &cx) {
            self.found.push(query);
        }
    }

    crate::analysis::functions::skip_inline_server_functions!();
}

/// What recognisers need: value sources and Clerk bindings.
pub(crate) struct Cx<'a> {
    pub bindings: &'a Bindings,
    pub sem: &'a FileSemantics,
    /// Only the model and filter conditions are wanted: written data is not read.
    pub conditions_only: bool,
}

impl Cx<'_> {
    pub fn classify(&self, expr: &Expr) -> ValueSource {
        self.bindings.classify(expr, self.sem)
    }
}

/// Recognises a call (the outermost of a chain) as a query.
pub(crate) fn recognize_call(call: &CallExpr, cx: &Cx<'_>) -> Option<Query> {
    let Callee::Expr(callee) = &call.callee else { return None };
    // Only calls the effect model counts as data access (same client-name conventions).
    if !super::effects::is_data_effect(call, cx.sem) {
        return None;
    }
    let (root, segments) = decompose(callee, &call.args, range_of(call));
    if segments.is_empty() {
        return None;
    }
    let range = range_of(call);
    libs::prisma(root, &segments, range, cx)
        .or_else(|| libs::drizzle(root, &segments, range, cx))
        .or_else(|| libs::supabase(root, &segments, range, cx))
        .or_else(|| libs::kysely(root, &segments, range, cx))
        .or_else(|| libs::mongoose(root, &segments, range, cx))
        .or_else(|| sql::call(root, &segments, range, cx))
}

/// One step of a member chain: `.name` or `.name(args)`.
pub(crate) struct Segment<'a> {
    pub name: String,
    pub args: Option<&'a [ExprOrSpread]>,
    /// The call (or member expression) ending at this step.
    pub range: TextRange,
    /// The property name.
    pub name_range: TextRange,
}

/// Splits `root.a.b(x).c(y)` into the root expression and its steps.
pub(crate) fn decompose<'a>(
    callee: &'a Expr,
    args: &'a [ExprOrSpread],
    call_range: TextRange,
) -> (&'a Expr, Vec<Segment<'a>>) {
    let mut segments = Vec::new();
    let mut pending_args: Option<(&'a [ExprOrSpread], TextRange)> = Some((args, call_range));
    let mut current = peel(callee);
    loop {
        match current {
            Expr::Member(m) => {
                let Some(name) = member_prop_name(&m.prop) else { return (current, reverse(segments)) };
                let (args, range) = match pending_args.take() {
                    Some((a, r)) => (Some(a), r),
                    None => (None, range_of(m)),
                };
                segments.push(Segment { name: name.into_owned(), args, range, name_range: range_of(&m.prop) });
                current = peel(&m.obj);
            }
            Expr::Call(c) if pending_args.is_none() => {
                let Callee::Expr(inner) = &c.callee else { return (current, reverse(segments)) };
                match peel(inner) {
                    Expr::Member(_) => {
                        pending_args = Some((&c.args, range_of(c)));
                        current = peel(inner);
                    }
                    _ => return (current, reverse(segments)),
                }
            }
            // A direct call (`sql(...)`) or the chain's root: no more member steps.
            _ => return (current, reverse(segments)),
        }
    }
}

fn reverse<T>(mut v: Vec<T>) -> Vec<T> {
    v.reverse();
    v
}

/// The static name at the end of a chain: `posts` → `posts`, `schema.posts` → `posts`.
pub(crate) fn last_name(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Ident(id) => Some(id.sym.as_str().to_owned()),
        other => super::ast_util::as_member(other).map(|(_, p)| p.into_owned()),
    }
}

/// The value of a string literal (or a template literal without substitutions).
pub(crate) fn string_value(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Lit(clerkguard_syntax::ast::Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
        Expr::Tpl(t) if t.exprs.is_empty() => Some(t.quasis.iter().map(|q| q.raw.to_string()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

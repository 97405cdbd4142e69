//! Recognisers for the query builders and ORMs.

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, ExprOrSpread, ObjectLit, Prop, PropOrSpread};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::{Condition, Cx, FilterEdit, Library, Operation, Query, Segment, ValueSource, last_name, string_value};
use crate::analysis::ast_util::{peel, prop_name, range_of};

const PRISMA_METHODS: [&str; 17] = [
    "findMany",
    "findFirst",
    "findUnique",
    "findFirstOrThrow",
    "findUniqueOrThrow",
    "count",
    "aggregate",
    "groupBy",
    "update",
    "updateMany",
    "updateManyAndReturn",
    "delete",
    "deleteMany",
    "upsert",
    "create",
    "createMany",
    "createManyAndReturn",
];

fn prisma_operation(method: &str) -> Operation {
    match method {
        "update" | "updateMany" | "updateManyAndReturn" => Operation::Update,
        "delete" | "deleteMany" => Operation::Delete,
        "upsert" => Operation::Upsert,
        "create" | "createMany" | "createManyAndReturn" => Operation::Create,
        _ => Operation::Read,
    }
}

fn first_arg<'a>(seg: &Segment<'a>) -> Option<&'a Expr> {
    seg.args.and_then(|a| a.first()).filter(|a| a.spread.is_none()).map(|a| &*a.expr)
}

fn arg<'a>(seg: &Segment<'a>, index: usize) -> Option<&'a Expr> {
    seg.args.and_then(|a| a.get(index)).filter(|a| a.spread.is_none()).map(|a| &*a.expr)
}

fn object_lit(expr: &Expr) -> Option<&ObjectLit> {
    match peel(expr) {
        Expr::Object(o) => Some(o),
        _ => None,
    }
}

/// The value of property `key` of an object literal.
fn object_prop<'a>(obj: &'a ObjectLit, key: &str) -> Option<&'a Expr> {
    obj.props.iter().find_map(|p| match p {
        PropOrSpread::Prop(prop) => match &**prop {
            Prop::KeyValue(kv) if prop_name(&kv.key).as_deref() == Some(key) => Some(&*kv.value),
            _ => None,
        },
        PropOrSpread::Spread(_) => None,
    })
}

fn object_edit(obj: &ObjectLit) -> FilterEdit {
    let open = range_of(obj).start;
    let after_last = obj.props.last().map(|p| match p {
        PropOrSpread::Prop(prop) => range_of(&**prop).end,
        PropOrSpread::Spread(s) => range_of(&*s.expr).end,
    });
    FilterEdit::Object { open, after_last }
}

/// Prisma operator keys of a field filter (`{ equals }`, `{ in: [...] }`, `{ not: x }`).
const FIELD_OPERATORS: [&str; 20] = [
    "equals",
    "in",
    "notIn",
    "not",
    "lt",
    "lte",
    "gt",
    "gte",
    "contains",
    "startsWith",
    "endsWith",
    "mode",
    "search",
    "has",
    "hasSome",
    "hasEvery",
    "isEmpty",
    "$eq",
    "$in",
    "$ne",
];

/// Collects the conditions of an object filter (Prisma `where`, Mongo filter documents).
pub(super) fn object_filter(
    obj: &ObjectLit,
    cx: &Cx<'_>,
    path: &mut Vec<String>,
    in_or: bool,
    out: &mut Vec<Condition>,
    opaque: &mut bool,
) {
    for prop in &obj.props {
        let PropOrSpread::Prop(prop) = prop else {
            *opaque = true;
            continue;
        };
        let (key, value): (String, &Expr) = match &**prop {
            Prop::KeyValue(kv) => match prop_name(&kv.key) {
                Some(k) => (k.into_owned(), &kv.value),
                None => {
                    *opaque = true;
                    continue;
                }
            },
            Prop::Shorthand(id) => {
                out.push(Condition {
                    column: id.sym.as_str().to_owned(),
                    path: path.clone(),
                    value: cx.bindings.classify(&Expr::Ident(id.clone()), cx.sem),
                    value_range: range_of(id),
                    in_or,
                    equality: true,
                });
                continue;
            }
            _ => continue,
        };
        match key.as_str() {
            "AND" | "$and" => for_each_element(value, |e| match object_lit(e) {
                Some(o) => object_filter(o, cx, path, in_or, out, opaque),
                None => *opaque = true,
            }),
            "OR" | "$or" => for_each_element(value, |e| match object_lit(e) {
                Some(o) => object_filter(o, cx, path, true, out, opaque),
                None => *opaque = true,
            }),
            "NOT" | "$nor" | "$not" | "none" | "isNot" => {}
            _ => match object_lit(value) {
                Some(inner) if is_field_operator_object(inner) => {
                    let (eq_value, equality) = match object_prop(inner, "equals")
                        .or_else(|| object_prop(inner, "in"))
                        .or_else(|| object_prop(inner, "$eq"))
                        .or_else(|| object_prop(inner, "$in"))
                    {
                        Some(v) => (v, true),
                        None => (value, false),
                    };
                    out.push(Condition {
                        column: key,
                        path: path.clone(),
                        value: if equality { cx.classify(eq_value) } else { ValueSource::Other },
                        value_range: range_of(eq_value),
                        in_or,
                        equality,
                    });
                }
                // A relation filter (`project: { members: { some: { userId } } }`) or a compound
                // unique key (`id_orgId: { id, orgId }`).
                Some(inner) => {
                    let compound = path.is_empty() && is_compound_key(&key, inner);
                    let step = !compound && !matches!(key.as_str(), "some" | "every" | "is");
                    if step {
                        path.push(key.clone());
                    }
                    object_filter(inner, cx, path, in_or, out, opaque);
                    if step {
                        path.pop();
                    }
                }
                None => {
                    // Dotted Mongo paths (`"members.userId"`) name a nested column.
                    let (column, extra): (String, Vec<String>) = match key.rsplit_once('.') {
                        Some((head, tail)) => (tail.to_string(), head.split('.').map(str::to_string).collect()),
                        None => (key.clone(), Vec::new()),
                    };
                    let mut full_path = path.clone();
                    full_path.extend(extra);
                    out.push(Condition {
                        column,
                        path: full_path,
                        value: cx.classify(value),
                        value_range: range_of(value),
                        in_or,
                        equality: true,
                    });
                }
            },
        }
    }
}

/// `id_orgId: { id, orgId }`: a Prisma compound unique key over the model's own columns.
fn is_compound_key(key: &str, inner: &ObjectLit) -> bool {
    let parts: Vec<&str> = key.split('_').filter(|p| !p.is_empty()).collect();
    parts.len() >= 2 && every_key(inner, |k| parts.contains(&k))
}

/// Whether an object literal has `{ key }` shorthand (a filter built elsewhere).
fn has_shorthand(obj: &ObjectLit, key: &str) -> bool {
    obj.props
        .iter()
        .any(|p| matches!(p, PropOrSpread::Prop(prop) if matches!(&**prop, Prop::Shorthand(id) if &*id.sym == key)))
}

fn is_field_operator_object(obj: &ObjectLit) -> bool {
    !obj.props.is_empty() && every_key(obj, |k| FIELD_OPERATORS.contains(&k))
}

/// Every property is a plain `key: value` or `{ key }` whose key passes `accept` (spreads,
/// methods and computed keys fail).
fn every_key(obj: &ObjectLit, accept: impl Fn(&str) -> bool) -> bool {
    obj.props.iter().all(|p| match p {
        PropOrSpread::Prop(prop) => match &**prop {
            Prop::KeyValue(kv) => prop_name(&kv.key).is_some_and(|k| accept(&k)),
            Prop::Shorthand(id) => accept(&id.sym),
            _ => false,
        },
        PropOrSpread::Spread(_) => false,
    })
}

fn for_each_element(value: &Expr, mut f: impl FnMut(&Expr)) {
    match peel(value) {
        Expr::Array(a) => a.elems.iter().flatten().for_each(|e| f(&e.expr)),
        other => f(other),
    }
}

/// The top-level fields of written data (`data: {...}`, `.set({...})`, `.values({...})`).
fn data_fields(expr: Option<&Expr>, cx: &Cx<'_>, out: &mut Vec<Condition>) {
    let Some(expr) = expr.filter(|_| !cx.conditions_only) else { return };
    let mut opaque = false;
    match peel(expr) {
        Expr::Object(o) => {
            // Mongo update documents keep the fields under `$set`.
            if let Some(set) = object_prop(o, "$set").and_then(object_lit) {
                object_filter(set, cx, &mut Vec::new(), false, out, &mut opaque);
            } else {
                object_filter(o, cx, &mut Vec::new(), false, out, &mut opaque);
            }
        }
        Expr::Array(a) => a.elems.iter().flatten().for_each(|e| data_fields(Some(&e.expr), cx, out)),
        _ => {}
    }
}

fn empty_query(
    library: Library,
    model: Option<String>,
    operation: Operation,
    range: TextRange,
    report: TextRange,
) -> Query {
    Query {
        library,
        model,
        operation,
        range,
        report_range: report,
        conditions: Vec::new(),
        data: Vec::new(),
        has_filter: false,
        opaque: false,
        edit: None,
    }
}

/// `db.post.findMany({ where })`, `tx.post.update(...)`, `ctx.db.post.delete(...)`.
pub(super) fn prisma(root: &Expr, segs: &[Segment<'_>], range: TextRange, cx: &Cx<'_>) -> Option<Query> {
    let last = segs.len().checked_sub(1)?;
    let index = (1..=last).rev().find(|&i| {
        PRISMA_METHODS.contains(&segs[i].name.as_str())
            && segs[i].args.is_some()
            && segs[i - 1].args.is_none()
            && segs[i - 1].name.starts_with(|c: char| c.is_ascii_lowercase())
            && (i < 2 || segs[i - 2].name != "query")
    })?;
    if !matches!(peel(root), Expr::Ident(_) | Expr::This(_) | Expr::Member(_)) {
        return None;
    }
    let method = &segs[index];
    let model = segs[index - 1].name.clone();
    let operation = prisma_operation(&method.name);
    let mut query = empty_query(Library::Prisma, Some(model), operation, range, segs[index - 1].name_range);
    let args = first_arg(method).and_then(object_lit);
    if method.args.is_some_and(|a| !a.is_empty()) && args.is_none() {
        // `db.post.findMany(options)`: built elsewhere.
        query.opaque = true;
        return Some(query);
    }
    let Some(args) = args else { return Some(query) };
    if let Some(where_expr) = object_prop(args, "where") {
        query.has_filter = true;
        match object_lit(where_expr) {
            Some(obj) => {
                object_filter(obj, cx, &mut Vec::new(), false, &mut query.conditions, &mut query.opaque);
                query.edit = Some(object_edit(obj));
            }
            None => query.opaque = true,
        }
    } else if has_shorthand(args, "where") {
        query.has_filter = true;
        query.opaque = true;
    } else if args.props.iter().any(|p| matches!(p, PropOrSpread::Spread(_))) {
        query.opaque = true;
    }
    data_fields(object_prop(args, "data"), cx, &mut query.data);
    data_fields(object_prop(args, "create"), cx, &mut query.data);
    data_fields(object_prop(args, "update"), cx, &mut query.data);
    Some(query)
}

/// Drizzle's SQL-like builder and relational queries.
pub(super) fn drizzle(root: &Expr, segs: &[Segment<'_>], range: TextRange, cx: &Cx<'_>) -> Option<Query> {
    if !matches!(peel(root), Expr::Ident(_) | Expr::This(_) | Expr::Member(_)) {
        return None;
    }
    let first = segs.first()?;
    // Relational: `db.query.posts.findMany({ where })`.
    if first.name == "query" && first.args.is_none() && segs.len() >= 3 {
        let method = &segs[2];
        if !matches!(method.name.as_str(), "findMany" | "findFirst") || method.args.is_none() {
            return None;
        }
        let mut query = empty_query(
            Library::DrizzleRelational,
            Some(segs[1].name.clone()),
            Operation::Read,
            range,
            segs[1].name_range,
        );
        if let Some(args) = first_arg(method).and_then(object_lit)
            && let Some(where_expr) = object_prop(args, "where")
        {
            query.has_filter = true;
            match object_lit(where_expr) {
                Some(obj) => {
                    object_filter(obj, cx, &mut Vec::new(), false, &mut query.conditions, &mut query.opaque);
                    query.edit = Some(object_edit(obj));
                }
                None => drizzle_condition(where_expr, cx, false, &mut query.conditions, &mut query.opaque),
            }
        } else if method.args.is_some_and(|a| !a.is_empty()) && first_arg(method).and_then(object_lit).is_none() {
            query.opaque = true;
        }
        return Some(query);
    }
    first.args?;
    let (operation, table) = match first.name.as_str() {
        "select" | "selectDistinct" | "selectDistinctOn" => {
            let from = segs.iter().find(|s| s.name == "from")?;
            (Operation::Read, first_arg(from)?)
        }
        "update" => (Operation::Update, first_arg(first)?),
        "delete" => (Operation::Delete, first_arg(first)?),
        "insert" => (Operation::Create, first_arg(first)?),
        _ => return None,
    };
    let table_name = last_name(table)?;
    let mut query = empty_query(Library::Drizzle, Some(table_name.clone()), operation, range, range_of(table));
    if let Some(where_seg) = segs.iter().find(|s| s.name == "where") {
        query.has_filter = true;
        if let Some(cond) = first_arg(where_seg) {
            drizzle_condition(cond, cx, false, &mut query.conditions, &mut query.opaque);
            let and_close = match peel(cond) {
                Expr::Call(c) if c.callee.as_expr().and_then(|e| last_name(e)).as_deref() == Some("and") => {
                    Some(range_of(c).end - 1)
                }
                _ => None,
            };
            query.edit = Some(FilterEdit::DrizzleWhere { arg: range_of(cond), and_close, table: table_name });
        }
    }
    if segs.iter().any(|s| matches!(s.name.as_str(), "innerJoin" | "leftJoin" | "rightJoin" | "fullJoin")) {
        // Joined tables may carry the scoping; the join condition is not modelled.
        query.opaque = true;
    }
    for seg in segs.iter().filter(|s| matches!(s.name.as_str(), "set" | "values")) {
        data_fields(first_arg(seg), cx, &mut query.data);
    }
    Some(query)
}

/// A Drizzle condition expression: `eq(t.c, v)`, `and(...)`, `or(...)`, `inArray(...)`.
fn drizzle_condition(expr: &Expr, cx: &Cx<'_>, in_or: bool, out: &mut Vec<Condition>, opaque: &mut bool) {
    match peel(expr) {
        Expr::Arrow(a) => match &*a.body {
            clerkguard_syntax::ast::ArrowFunctionBody::Expr(e) => drizzle_condition(e, cx, in_or, out, opaque),
            clerkguard_syntax::ast::ArrowFunctionBody::FunctionBody(_) => *opaque = true,
        },
        Expr::Call(c) => {
            let Some(name) = c.callee.as_expr().and_then(|e| last_name(e)) else {
                *opaque = true;
                return;
            };
            let args: Vec<&Expr> = c.args.iter().map(|a| &*a.expr).collect();
            match name.as_str() {
                "and" => args.iter().for_each(|a| drizzle_condition(a, cx, in_or, out, opaque)),
                "or" => args.iter().for_each(|a| drizzle_condition(a, cx, true, out, opaque)),
                "not" => {}
                "exists" => match args.first().and_then(|a| subquery_session(a, cx)) {
                    Some(value) => out.push(Condition {
                        column: "exists".into(),
                        path: vec!["<subquery>".into()],
                        value,
                        value_range: range_of(c),
                        in_or,
                        equality: true,
                    }),
                    None => *opaque = true,
                },
                "eq" | "inArray" | "ne" | "notInArray" | "gt" | "gte" | "lt" | "lte" | "like" | "ilike" | "isNull"
                | "isNotNull" | "between" => {
                    let Some(column) = args.first().and_then(|a| column_of(a)) else {
                        *opaque = true;
                        return;
                    };
                    let equality = matches!(name.as_str(), "eq" | "inArray");
                    let value_expr = args.get(1).copied();
                    // `inArray(t.id, db.select(...).where(eq(m.userId, userId)))`: a membership
                    // subquery through the session.
                    let subquery = value_expr
                        .filter(|v| equality && matches!(peel(v), Expr::Call(_)))
                        .and_then(|v| subquery_session(v, cx));
                    let value = match (subquery, value_expr) {
                        (Some(session), _) => session,
                        (None, Some(v)) => cx.classify(v),
                        (None, None) => ValueSource::Other,
                    };
                    out.push(Condition {
                        column,
                        path: if subquery.is_some() { vec!["<subquery>".into()] } else { Vec::new() },
                        value: if equality { value } else { ValueSource::Other },
                        value_range: value_expr.map_or(range_of(c), range_of),
                        in_or,
                        equality,
                    });
                }
                _ => *opaque = true,
            }
        }
        _ => *opaque = true,
    }
}

/// `posts.orgId` → `orgId`.
fn column_of(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Member(_) => last_name(expr),
        _ => None,
    }
}

/// A subquery (membership lookup) whose filter uses the session: the session value it uses.
fn subquery_session(expr: &Expr, cx: &Cx<'_>) -> Option<ValueSource> {
    struct Scan<'c, 'a> {
        cx: &'c Cx<'a>,
        found: Option<ValueSource>,
    }
    impl Visit for Scan<'_, '_> {
        fn visit_expr(&mut self, e: &Expr) {
            if matches!(e, Expr::Ident(_) | Expr::Member(_)) {
                let v = self.cx.classify(e);
                if v.is_session() {
                    self.found = Some(v);
                    return;
                }
            }
            e.visit_children_with(self);
        }
    }
    let mut scan = Scan { cx, found: None };
    expr.visit_with(&mut scan);
    scan.found
}

/// `supabase.from("t").select().eq("col", v)`.
pub(super) fn supabase(root: &Expr, segs: &[Segment<'_>], range: TextRange, cx: &Cx<'_>) -> Option<Query> {
    if !matches!(peel(root), Expr::Ident(_) | Expr::This(_) | Expr::Member(_)) {
        return None;
    }
    let first = segs.first()?;
    if first.name != "from" {
        return None;
    }
    let table = string_value(first_arg(first)?)?;
    let mut operation = Operation::Read;
    let mut op_end = None;
    let mut data = Vec::new();
    for seg in &segs[1..] {
        let op = match seg.name.as_str() {
            "select" if op_end.is_none() => Operation::Read,
            "insert" => Operation::Create,
            "upsert" => Operation::Upsert,
            "update" => Operation::Update,
            "delete" => Operation::Delete,
            _ => continue,
        };
        operation = op;
        op_end = Some(seg.range.end);
        if op.is_write() {
            data_fields(first_arg(seg), cx, &mut data);
        }
    }
    let mut query = empty_query(Library::Supabase, Some(table), operation, range, first.range);
    query.data = data;
    if let Some(at) = op_end {
        query.edit = Some(FilterEdit::SupabaseChain { at });
    }
    for seg in &segs[1..] {
        let name = seg.name.as_str();
        match name {
            "eq" | "in" | "neq" | "gt" | "gte" | "lt" | "lte" | "like" | "ilike" | "is" | "contains" => {
                query.has_filter = true;
                let (Some(column), Some(value)) = (first_arg(seg).and_then(string_value), arg(seg, 1)) else {
                    query.opaque = true;
                    continue;
                };
                let equality = matches!(name, "eq" | "in");
                query.conditions.push(Condition {
                    column,
                    path: Vec::new(),
                    value: if equality { cx.classify(value) } else { ValueSource::Other },
                    value_range: range_of(value),
                    in_or: false,
                    equality,
                });
            }
            "filter" => {
                query.has_filter = true;
                let column = first_arg(seg).and_then(string_value);
                let op = arg(seg, 1).and_then(string_value);
                match (column, op, arg(seg, 2)) {
                    (Some(column), Some(op), Some(value)) => query.conditions.push(Condition {
                        column,
                        path: Vec::new(),
                        value: if op == "eq" { cx.classify(value) } else { ValueSource::Other },
                        value_range: range_of(value),
                        in_or: false,
                        equality: op == "eq",
                    }),
                    _ => query.opaque = true,
                }
            }
            "match" => {
                query.has_filter = true;
                match first_arg(seg).and_then(object_lit) {
                    Some(obj) => {
                        object_filter(obj, cx, &mut Vec::new(), false, &mut query.conditions, &mut query.opaque)
                    }
                    None => query.opaque = true,
                }
            }
            "or" | "not" => {
                query.has_filter = true;
                query.opaque = true;
            }
            _ => {}
        }
    }
    Some(query)
}

/// Kysely: `db.selectFrom("t").where("col", "=", v)`, `updateTable`, `deleteFrom`, `insertInto`.
pub(super) fn kysely(root: &Expr, segs: &[Segment<'_>], range: TextRange, cx: &Cx<'_>) -> Option<Query> {
    if !matches!(peel(root), Expr::Ident(_) | Expr::This(_) | Expr::Member(_)) {
        return None;
    }
    let first = segs.first()?;
    let operation = match first.name.as_str() {
        "selectFrom" => Operation::Read,
        "updateTable" => Operation::Update,
        "deleteFrom" => Operation::Delete,
        "insertInto" => Operation::Create,
        _ => return None,
    };
    let table = string_value(first_arg(first)?)?;
    let table = table.split_whitespace().next().unwrap_or_default().to_string();
    let mut query = empty_query(Library::Kysely, Some(table), operation, range, first.range);
    for seg in &segs[1..] {
        match seg.name.as_str() {
            "where" => {
                query.has_filter = true;
                let column = first_arg(seg).and_then(string_value);
                let op = arg(seg, 1).and_then(string_value);
                match (column, op, arg(seg, 2)) {
                    (Some(column), Some(op), Some(value)) => {
                        let column = column.rsplit('.').next().unwrap_or_default().to_string();
                        let equality = matches!(op.as_str(), "=" | "in" | "==" | "is");
                        query.conditions.push(Condition {
                            column,
                            path: Vec::new(),
                            value: if equality { cx.classify(value) } else { ValueSource::Other },
                            value_range: range_of(value),
                            in_or: false,
                            equality,
                        });
                    }
                    _ => query.opaque = true,
                }
            }
            "innerJoin" | "leftJoin" | "whereRef" | "orWhere" => query.opaque = true,
            "set" | "values" => data_fields(first_arg(seg), cx, &mut query.data),
            _ => {}
        }
    }
    Some(query)
}

const MONGOOSE_METHODS: [&str; 18] = [
    "find",
    "findOne",
    "findById",
    "findByIdAndUpdate",
    "findByIdAndDelete",
    "findByIdAndRemove",
    "findOneAndUpdate",
    "findOneAndDelete",
    "findOneAndReplace",
    "updateOne",
    "updateMany",
    "deleteOne",
    "deleteMany",
    "replaceOne",
    "countDocuments",
    "exists",
    "where",
    "distinct",
];

/// Mongoose models: `Post.find({...})`, `Post.findByIdAndDelete(id)`.
pub(super) fn mongoose(root: &Expr, segs: &[Segment<'_>], range: TextRange, cx: &Cx<'_>) -> Option<Query> {
    let Expr::Ident(model) = peel(root) else { return None };
    let model_name = model.sym.as_str().to_owned();
    if !model_name.starts_with(|c: char| c.is_ascii_uppercase())
        || matches!(
            model_name.as_str(),
            "Object" | "Array" | "Promise" | "JSON" | "Math" | "Response" | "NextResponse" | "Date" | "Map" | "Set"
        )
    {
        return None;
    }
    let method = segs.first()?;
    if !MONGOOSE_METHODS.contains(&method.name.as_str()) || method.args.is_none() || method.name == "where" {
        return None;
    }
    let operation = match method.name.as_str() {
        "findByIdAndUpdate" | "findOneAndUpdate" | "updateOne" | "updateMany" | "findOneAndReplace" | "replaceOne" => {
            Operation::Update
        }
        "findByIdAndDelete" | "findByIdAndRemove" | "findOneAndDelete" | "deleteOne" | "deleteMany" => {
            Operation::Delete
        }
        _ => Operation::Read,
    };
    let mut query = empty_query(Library::Mongoose, Some(model_name), operation, range, method.name_range);
    if method.name.starts_with("findById") {
        if let Some(id) = first_arg(method) {
            query.has_filter = true;
            query.conditions.push(Condition {
                column: "_id".into(),
                path: Vec::new(),
                value: cx.classify(id),
                value_range: range_of(id),
                in_or: false,
                equality: true,
            });
        }
    } else if let Some(filter) = first_arg(method) {
        query.has_filter = true;
        match object_lit(filter) {
            Some(obj) => {
                object_filter(obj, cx, &mut Vec::new(), false, &mut query.conditions, &mut query.opaque);
                query.edit = Some(object_edit(obj));
            }
            None => query.opaque = true,
        }
    }
    if operation == Operation::Update {
        data_fields(arg(method, 1), cx, &mut query.data);
    }
    Some(query)
}

/// Arguments as expressions (for SQL positional parameters).
pub(super) fn array_elements(expr: Option<&Expr>) -> Vec<&Expr> {
    match expr.map(peel) {
        Some(Expr::Array(a)) => a.elems.iter().flatten().map(|e: &ExprOrSpread| &*e.expr).collect(),
        _ => Vec::new(),
    }
}

use clerkguard_syntax::{SourceKind, parse_source};

use super::*;
use crate::analysis::FileSemantics;
use crate::analysis::NoSummaries;
use crate::analysis::flow::{Analyzer, EntryKind};
use crate::analysis::locals::LocalFunctions;

/// The queries of the first function in `body` (wrapped in a Server Function taking `params`).
fn queries(params: &str, body: &str) -> Vec<Query> {
    let text = format!(
        "import {{ auth }} from \"@clerk/nextjs/server\";\nimport {{ and, eq, inArray }} from \"drizzle-orm\";\nexport async function f({params}) {{\n{body}\n}}\n"
    );
    let parsed = parse_source(&text, SourceKind::TypeScript);
    let module = parsed.module.expect("parses");
    let sem = FileSemantics::build(&module, &text);
    let locals = LocalFunctions::collect(&module);
    let analyzer = Analyzer { sem: &sem, summaries: &NoSummaries, locals: &locals, extra_guards: &[] };
    let func = locals.get("f").expect("function f");
    let bindings = Bindings::for_function(func, EntryKind::ServerFunction, &analyzer);
    queries_in_function(func, &bindings, &sem)
}

fn only(params: &str, body: &str) -> Query {
    let mut found = queries(params, body);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

fn conds(q: &Query) -> Vec<(String, ValueSource)> {
    q.conditions.iter().map(|c| (c.column.clone(), c.value)).collect()
}

const SESSION: &str = "const { userId, orgId } = await auth();";

#[test]
fn prisma_where_with_session_and_input_values() {
    let q = only(
        "id: string",
        &format!("{SESSION}\nawait db.project.update({{ where: {{ id, orgId }}, data: {{ name: 'x' }} }});"),
    );
    assert_eq!(q.library, Library::Prisma);
    assert_eq!(q.model.as_deref(), Some("project"));
    assert_eq!(q.operation, Operation::Update);
    assert_eq!(conds(&q), [("id".into(), ValueSource::Input), ("orgId".into(), ValueSource::SessionOrg)]);
    assert_eq!(q.data[0].value, ValueSource::Literal);
    assert!(matches!(q.edit, Some(FilterEdit::Object { after_last: Some(_), .. })));
}

#[test]
fn prisma_nested_and_or_relations_and_operators() {
    let q = only(
        "input: { id: string }",
        &format!(
            "{SESSION}\nreturn db.doc.findMany({{ where: {{ AND: [{{ id: {{ equals: input.id }} }}], OR: [{{ orgId }}], project: {{ members: {{ some: {{ userId }} }} }}, title: {{ contains: 'a' }} }} }});"
        ),
    );
    let c = &q.conditions;
    assert_eq!(c[0].column, "id");
    assert_eq!(c[0].value, ValueSource::Input);
    assert!(c[0].restricts());
    assert!(c[1].in_or && c[1].value == ValueSource::SessionOrg);
    assert_eq!(c[2].path, ["project", "members"]);
    assert_eq!(c[2].value, ValueSource::SessionUser);
    assert!(!c[3].equality);
}

#[test]
fn prisma_compound_unique_is_own_columns_and_variables_are_opaque() {
    let q =
        only("id: string", &format!("{SESSION}\nawait db.post.delete({{ where: {{ id_orgId: {{ id, orgId }} }} }});"));
    assert!(q.conditions.iter().all(|c| c.path.is_empty()));
    let q = only("where: object", "await db.post.deleteMany({ where });");
    assert!(q.opaque);
    let q = only("args: object", "await db.post.findMany(args);");
    assert!(q.opaque);
}

#[test]
fn caller_input_flows_through_bodies_params_and_wrappers() {
    let body = format!(
        "{SESSION}\nconst body = await req.json();\nconst {{ id }} = await params;\nconst slug = String(body.slug);\nawait db.a.findFirst({{ where: {{ id, slug, ownerId: body.ownerId, n: 1 }} }});"
    );
    let q = only("req: Request, { params }: any", &body);
    assert_eq!(
        conds(&q),
        [
            ("id".into(), ValueSource::Input),
            ("slug".into(), ValueSource::Input),
            ("ownerId".into(), ValueSource::Input),
            ("n".into(), ValueSource::Literal),
        ]
    );
}

#[test]
fn session_from_protect_current_user_and_members() {
    let q = only(
        "",
        "const session = await auth.protect();\nconst user = await currentUser();\nawait db.a.findMany({ where: { orgId: session.orgId, userId: user.id, x: (await auth()).orgId } });",
    );
    assert_eq!(q.conditions[0].value, ValueSource::SessionOrg);
    // `currentUser` is not imported here, so `user.id` is just a value.
    assert_eq!(q.conditions[1].value, ValueSource::Other);
    assert_eq!(q.conditions[2].value, ValueSource::SessionOrg);
}

#[test]
fn database_records_are_not_caller_input() {
    let q = queries(
        "id: string",
        "const post = await db.post.findUnique({ where: { id } });\nawait db.comment.deleteMany({ where: { postId: post.id } });",
    );
    assert_eq!(q.len(), 2);
    assert_eq!(q[1].conditions[0].value, ValueSource::Other);
}

#[test]
fn drizzle_builders_and_relational_queries() {
    let q = only(
        "id: string",
        &format!(
            "{SESSION}\nawait db.select().from(projects).where(and(eq(projects.id, id), eq(projects.orgId, orgId))).limit(1);"
        ),
    );
    assert_eq!((q.library, q.operation, q.model.as_deref()), (Library::Drizzle, Operation::Read, Some("projects")));
    assert_eq!(conds(&q), [("id".into(), ValueSource::Input), ("orgId".into(), ValueSource::SessionOrg)]);
    assert!(matches!(q.edit, Some(FilterEdit::DrizzleWhere { and_close: Some(_), .. })));

    let q = only("id: string", "await db.delete(schema.posts).where(eq(schema.posts.id, id));");
    assert_eq!((q.operation, q.model.as_deref()), (Operation::Delete, Some("posts")));
    assert!(matches!(q.edit, Some(FilterEdit::DrizzleWhere { and_close: None, .. })));

    let q = only("name: string", "await db.update(posts).set({ name }).where(or(eq(posts.a, 1), eq(posts.b, 2)));");
    assert_eq!(q.operation, Operation::Update);
    assert!(q.conditions.iter().all(|c| c.in_or));
    assert_eq!(q.data[0].value, ValueSource::Input);

    let q = only(
        "",
        &format!("{SESSION}\nreturn db.query.posts.findMany({{ where: (p, {{ eq }}) => eq(p.authorId, userId) }});"),
    );
    assert_eq!(q.library, Library::DrizzleRelational);
    assert_eq!(conds(&q), [("authorId".into(), ValueSource::SessionUser)]);

    let q = only("", "await db.insert(posts).values({ title: 't' });");
    assert_eq!(q.operation, Operation::Create);
}

#[test]
fn drizzle_membership_subquery_counts_as_session() {
    let q = queries(
        "id: string",
        &format!(
            "{SESSION}\nawait db.delete(p).where(inArray(p.id, db.select({{ id: m.pid }}).from(m).where(eq(m.userId, userId))));"
        ),
    );
    assert_eq!(q.len(), 2, "the subquery is a query of its own");
    let outer = q.iter().find(|q| q.operation == Operation::Delete).expect("delete");
    assert_eq!(outer.conditions[0].value, ValueSource::SessionUser);
    assert_eq!(outer.conditions[0].path, ["<subquery>"]);
}

#[test]
fn supabase_filters_and_operation() {
    let q = only(
        "id: string",
        &format!(
            "{SESSION}\nconst {{ data }} = await supabase.from(\"docs\").update({{ title: 'x' }}).eq(\"id\", id).match({{ org_id: orgId }}).select().single();"
        ),
    );
    assert_eq!((q.library, q.operation, q.model.as_deref()), (Library::Supabase, Operation::Update, Some("docs")));
    assert_eq!(conds(&q), [("id".into(), ValueSource::Input), ("org_id".into(), ValueSource::SessionOrg)]);
    assert!(matches!(q.edit, Some(FilterEdit::SupabaseChain { .. })));
    let q = only("", "await supabase.from('docs').select('*').or('a.eq.1,b.eq.2');");
    assert!(q.opaque);
}

#[test]
fn mongoose_models() {
    let q = only("id: string", "await Post.findByIdAndDelete(id);");
    assert_eq!((q.library, q.operation), (Library::Mongoose, Operation::Delete));
    assert_eq!(conds(&q), [("_id".into(), ValueSource::Input)]);
    let q = only(
        "id: string",
        &format!(
            "{SESSION}\nawait Post.findOneAndUpdate({{ _id: id, $or: [{{ orgId }}] }}, {{ $set: {{ title: 'x' }} }});"
        ),
    );
    assert_eq!(q.operation, Operation::Update);
    assert!(q.conditions[1].in_or);
    assert_eq!(q.data[0].column, "title");
    // Chained `.lean()` still finds the query.
    let q = only("", &format!("{SESSION}\nawait Post.find({{ orgId }}).lean();"));
    assert_eq!(q.conditions[0].value, ValueSource::SessionOrg);
}

#[test]
fn kysely_queries() {
    let q = only(
        "id: string",
        &format!(
            "{SESSION}\nawait db.deleteFrom(\"posts\").where(\"posts.id\", \"=\", id).where(\"org_id\", \"=\", orgId).execute();"
        ),
    );
    assert_eq!((q.library, q.operation, q.model.as_deref()), (Library::Kysely, Operation::Delete, Some("posts")));
    assert_eq!(conds(&q), [("id".into(), ValueSource::Input), ("org_id".into(), ValueSource::SessionOrg)]);
}

#[test]
fn raw_sql_templates_and_positional_parameters() {
    let q = only(
        "id: string",
        &format!("{SESSION}\nawait sql`UPDATE posts SET title = ${{id}} WHERE id = ${{id}} AND org_id = ${{orgId}}`;"),
    );
    assert_eq!((q.library, q.operation, q.model.as_deref()), (Library::RawSql, Operation::Update, Some("posts")));
    assert_eq!(conds(&q), [("id".into(), ValueSource::Input), ("org_id".into(), ValueSource::SessionOrg)]);
    assert_eq!(q.data[0].column, "title");

    let q = only(
        "id: string",
        &format!(
            "{SESSION}\nawait pool.query(\"SELECT * FROM docs d JOIN members m ON m.org_id = d.org_id WHERE d.id = $1 AND m.user_id = $2\", [id, userId]);"
        ),
    );
    assert_eq!((q.operation, q.model.as_deref()), (Operation::Read, Some("docs")));
    assert_eq!(conds(&q), [("id".into(), ValueSource::Input), ("user_id".into(), ValueSource::SessionUser)]);

    let q = only("id: string", "await db.execute(sql`DELETE FROM posts WHERE id = ${id} OR 1 = 1`);");
    assert!(q.opaque);
    // A fragment is not a query.
    assert!(queries("id: string", "const cond = sql`id = ${id}`;").is_empty());
}

#[test]
fn not_queries() {
    assert!(
        queries("items: string[]", "items.find((x) => x);\nconst m = new Map();\nm.delete('a');\nawait fetch('/x');")
            .is_empty()
    );
}

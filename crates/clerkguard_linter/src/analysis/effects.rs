//! Which calls read or write data: database clients, `fetch`, Clerk's backend API, the file
//! system. The rules only care that an entry point *does something* with data before checking
//! its caller, so the model errs towards the common client shapes, by name.

use clerkguard_syntax::ast::{CallExpr, Callee, Expr, TaggedTpl};

use super::FileSemantics;
use super::ast_util::{ChainPart, chain_names, chain_parts, chain_root, join_parts, peel};
use super::clerk_api::ClerkFn;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EffectKind {
    Read,
    Mutation,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub kind: EffectKind,
    /// Short description for messages, e.g. `prisma.post.delete`.
    pub what: String,
}

const MUTATING_METHODS: [&str; 24] = [
    "create",
    "createMany",
    "createManyAndReturn",
    "update",
    "updateMany",
    "upsert",
    "delete",
    "deleteMany",
    "insert",
    "insertMany",
    "insertOne",
    "updateOne",
    "deleteOne",
    "findOneAndUpdate",
    "findOneAndDelete",
    "findByIdAndUpdate",
    "findByIdAndDelete",
    "findOneAndReplace",
    "replaceOne",
    "$executeRaw",
    "$executeRawUnsafe",
    "destroy",
    "bulkWrite",
    "remove",
];

const READ_METHODS: [&str; 20] = [
    "findMany",
    "findFirst",
    "findUnique",
    "findFirstOrThrow",
    "findUniqueOrThrow",
    "count",
    "aggregate",
    "groupBy",
    "find",
    "findOne",
    "findById",
    "countDocuments",
    "$queryRaw",
    "$queryRawUnsafe",
    "select",
    "selectFrom",
    "execute",
    "query",
    "rpc",
    "findAll",
];

/// Receivers that are data clients by convention (any case).
fn is_data_client_name(name: &str) -> bool {
    // Every call's receiver comes here: compared without a lowercased copy.
    const NAMES: [&str; 30] = [
        "db",
        "prisma",
        "database",
        "drizzle",
        "supabase",
        "sql",
        "knex",
        "pool",
        "kysely",
        "mongo",
        "mongoose",
        "tx",
        "trx",
        "redis",
        "kv",
        "client",
        "pg",
        "conn",
        "connection",
        "firestore",
        "admin",
        "orm",
        "em",
        "repo",
        "repository",
        "xata",
        "turso",
        "neon",
        "planetscale",
        "ctx",
    ];
    let ends_with = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let starts_with = |prefix: &str| {
        name.len() >= prefix.len() && name.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
        || ends_with("db")
        || ends_with("client")
        || ends_with("repository")
        || starts_with("prisma")
        || starts_with("supabase")
}

/// Classifies a call as a data effect. `sem` is the semantics of the call's own file.
pub fn call_effect(call: &CallExpr, sem: &FileSemantics) -> Option<Effect> {
    let Callee::Expr(callee) = &call.callee else { return None };
    let mut names = None;
    let kind = memoized_kind(call, sem, || effect_kind(callee, names.insert(chain_parts(callee)), sem))?;
    let names = names.unwrap_or_else(|| chain_parts(callee));
    Some(Effect { kind, what: join_parts(&names) })
}

/// Whether [`call_effect`] classifies the call as a data effect (without describing it: the
/// query recogniser asks this of every call it sees).
pub fn is_data_effect(call: &CallExpr, sem: &FileSemantics) -> bool {
    let Callee::Expr(callee) = &call.callee else { return false };
    memoized_kind(call, sem, || effect_kind(callee, &chain_parts(callee), sem)).is_some()
}

/// The effect kind of `call`: classified by `classify` the first time the file asks, then
/// remembered by the call's span (`sem.effect_kinds`).
fn memoized_kind(
    call: &CallExpr,
    sem: &FileSemantics,
    classify: impl FnOnce() -> Option<EffectKind>,
) -> Option<EffectKind> {
    let key = (call.span.lo.0, call.span.hi.0);
    if let Some(&known) = sem.effect_kinds.borrow().get(&key) {
        return known;
    }
    let kind = classify();
    sem.effect_kinds.borrow_mut().insert(key, kind);
    kind
}

/// The kind of effect of a call of `callee`, whose chain is `names`.
fn effect_kind(callee: &Expr, names: &[ChainPart<'_>], sem: &FileSemantics) -> Option<EffectKind> {
    let last: &str = names.last().map_or("", |(n, _)| n);
    let root: &str = names.first().map_or("", |(n, _)| n);

    // Clerk backend API: clerkClient.users.x, (await clerkClient()).users.x, client.users.x
    if let Some(root_expr) = chain_root_expr(callee)
        && matches!(sem.clerk_fn_of_expr(root_expr), Some(ClerkFn::ClerkClient | ClerkFn::CreateClerkClient))
        && names.len() >= 3
    {
        let kind = if last.starts_with("get") || last.starts_with("list") || last.starts_with("verify") {
            EffectKind::Read
        } else {
            EffectKind::Mutation
        };
        return Some(kind);
    }
    // A Clerk backend client held in a variable: `client.users.updateUserMetadata(...)`.
    if names.len() >= 3
        && matches!(
            &*names[1].0,
            "users"
                | "organizations"
                | "sessions"
                | "invitations"
                | "allowlistIdentifiers"
                | "emailAddresses"
                | "phoneNumbers"
        )
        && names[0].1 == 0
    {
        let kind = if last.starts_with("get") || last.starts_with("list") || last.starts_with("verify") {
            EffectKind::Read
        } else {
            EffectKind::Mutation
        };
        return Some(kind);
    }
    if names.len() == 1 {
        return match root {
            "fetch" => Some(EffectKind::Read),
            "writeFile" | "unlink" | "rm" | "appendFile" | "mkdir" | "rename" | "writeFileSync" | "unlinkSync" => {
                Some(EffectKind::Mutation)
            }
            "sql" | "query" => Some(EffectKind::Read),
            _ => None,
        };
    }
    if matches!(root, "fs" | "fsp" | "fsPromises") && !last.starts_with("exists") {
        let kind =
            if last.starts_with("read") || last.starts_with("stat") { EffectKind::Read } else { EffectKind::Mutation };
        return Some(kind);
    }
    let data_root = is_data_client_name(root) || is_model_name(root, last) || imported_from_data_module(root, sem);
    if !data_root {
        return None;
    }
    // Drizzle / Kysely builders: db.insert(t), db.update(t), db.delete(t), db.select().from()
    if names.len() == 2 || names.iter().any(|(_, calls)| *calls > 0) {
        let first_method: &str = names.get(1).map_or("", |(n, _)| n);
        match first_method {
            "insert" | "update" | "delete" | "insertInto" | "updateTable" | "deleteFrom" | "replaceInto" => {
                return Some(EffectKind::Mutation);
            }
            "select" | "selectDistinct" | "selectFrom" | "query" | "execute" | "$queryRaw" | "rpc" | "get" | "all" => {
                return Some(EffectKind::Read);
            }
            "from" => {
                // supabase.from(t).insert()/update()/delete()/upsert()/select()
                let kind =
                    if names.iter().skip(2).any(|(n, _)| matches!(&**n, "insert" | "update" | "delete" | "upsert")) {
                        EffectKind::Mutation
                    } else {
                        EffectKind::Read
                    };
                return Some(kind);
            }
            _ => {}
        }
    }
    if MUTATING_METHODS.contains(&last)
        || matches!(last, "set" | "del" | "hset" | "incr" | "lpush" | "save" | "$transaction")
    {
        return Some(EffectKind::Mutation);
    }
    if READ_METHODS.contains(&last)
        || matches!(last, "get" | "hget" | "where" | "from" | "values" | "returning" | "eq" | "single")
    {
        return Some(EffectKind::Read);
    }
    None
}

/// Tagged SQL templates: ``sql`DELETE FROM posts WHERE id = ${id}` `` and ``db.execute(sql`...`)``.
pub fn tagged_template_effect(tpl: &TaggedTpl) -> Option<Effect> {
    let names = chain_names(&tpl.tag);
    let last = names.last()?.as_str();
    if !matches!(last, "sql" | "query" | "raw" | "$queryRaw" | "$executeRaw" | "unsafe") {
        return None;
    }
    let text: String = tpl.tpl.quasis.iter().map(|q| q.raw.to_string()).collect::<Vec<_>>().join(" ");
    let upper = text.to_ascii_uppercase();
    let kind = if ["INSERT", "UPDATE", "DELETE", "UPSERT", "MERGE", "DROP", "ALTER", "TRUNCATE"]
        .iter()
        .any(|k| upper.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == *k))
    {
        EffectKind::Mutation
    } else {
        EffectKind::Read
    };
    Some(Effect { kind, what: names.join(".") })
}

/// Mongoose-style models: `Post.findByIdAndDelete(id)` (capitalised receiver + model method).
fn is_model_name(root: &str, method: &str) -> bool {
    root.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && (MUTATING_METHODS.contains(&method) || READ_METHODS.contains(&method))
        && !matches!(
            root,
            "Object" | "Array" | "Promise" | "JSON" | "Math" | "Response" | "NextResponse" | "Date" | "Map" | "Set"
        )
}

fn imported_from_data_module(root: &str, sem: &FileSemantics) -> bool {
    let Some(binding) = sem.imports.get(root) else { return false };
    *binding.data_module.get_or_init(|| is_data_module(&binding.source))
}

/// Whether an import source is a data library or a project's database module.
fn is_data_module(source: &str) -> bool {
    let source = source.to_ascii_lowercase();
    [
        "prisma",
        "drizzle",
        "supabase",
        "/db",
        "database",
        "mongoose",
        "kysely",
        "@vercel/kv",
        "@vercel/postgres",
        "@neondatabase",
        "@planetscale",
        "redis",
        "firebase-admin",
    ]
    .iter()
    .any(|m| source.contains(m))
        || source == "db"
}

fn chain_root_expr(expr: &Expr) -> Option<&Expr> {
    let mut current = peel(expr);
    loop {
        current = match current {
            Expr::Member(m) => peel(&m.obj),
            Expr::Call(c) => match &c.callee {
                Callee::Expr(e) => peel(e),
                _ => return None,
            },
            Expr::Await(a) => peel(&a.arg),
            Expr::OptChain(o) => match &*o.base {
                clerkguard_syntax::ast::OptChainBase::Member(m) => peel(&m.obj),
                clerkguard_syntax::ast::OptChainBase::Call(c) => peel(&c.callee),
            },
            other => return Some(other),
        };
    }
}

/// Exposed for rules that need the root of a call chain.
pub fn root_name(expr: &Expr) -> Option<&str> {
    chain_root(expr)
}

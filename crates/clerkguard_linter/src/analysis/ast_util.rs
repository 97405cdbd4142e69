//! Small helpers over swc's AST.

use std::borrow::Cow;

use smallvec::SmallVec;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Callee, Expr, MemberExpr, MemberProp, OptChainBase, Pat, PropName};
use clerkguard_syntax::swc_common::Spanned;

/// Strips parentheses and TypeScript-only wrappers (`as`, `!`, `satisfies`, `<T>x`).
pub fn peel(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::TsAs(e) => &e.expr,
            Expr::TsNonNull(e) => &e.expr,
            Expr::TsSatisfies(e) => &e.expr,
            Expr::TsConstAssertion(e) => &e.expr,
            Expr::TsTypeAssertion(e) => &e.expr,
            Expr::TsInstantiation(e) => &e.expr,
            _ => return expr,
        };
    }
}

pub fn range_of<T: Spanned>(node: &T) -> TextRange {
    TextRange::from_span(node.span())
}

/// The static name of a member property: `a.b` → `b`, `a["b"]` → `b` (borrowed from the tree:
/// the analysis asks for it at every member expression).
pub fn member_prop_name(prop: &MemberProp) -> Option<Cow<'_, str>> {
    match prop {
        MemberProp::Ident(id) => Some(Cow::Borrowed(&id.sym)),
        MemberProp::Computed(c) => match peel(&c.expr) {
            Expr::Lit(clerkguard_syntax::ast::Lit::Str(s)) => Some(s.value.to_string_lossy()),
            _ => None,
        },
        MemberProp::PrivateName(_) => None,
    }
}

/// The static name of an object key: `{ a: 1 }` and `{ "a": 1 }` → `a` (borrowed from the tree).
pub fn prop_name(name: &PropName) -> Option<Cow<'_, str>> {
    match name {
        PropName::Ident(id) => Some(Cow::Borrowed(&id.sym)),
        PropName::Str(s) => Some(s.value.to_string_lossy()),
        _ => None,
    }
}

/// A member chain as names from the root: `prisma.post.delete` → `["prisma", "post", "delete"]`.
/// Calls inside the chain appear as `name()`: `clerkClient().users.updateUser` →
/// `["clerkClient()", "users", "updateUser"]`. `await` inside the chain is transparent.
pub fn chain_names(expr: &Expr) -> Vec<String> {
    chain_parts(expr)
        .iter()
        .map(|part| {
            let mut name = String::new();
            push_part(&mut name, part);
            name
        })
        .collect()
}

/// One name of a member chain, borrowed from the tree, and how many calls follow it
/// (`clerkClient()` is `("clerkClient", 1)`).
pub type ChainPart<'a> = (Cow<'a, str>, u32);

/// A member chain's parts; chains of up to six parts (nearly all) stay on the stack.
pub type ChainParts<'a> = SmallVec<[ChainPart<'a>; 6]>;

/// The names of a member chain without an allocation per name, for the paths that look at
/// every call; [`chain_names`] spells them out.
pub fn chain_parts(expr: &Expr) -> ChainParts<'_> {
    let mut out = ChainParts::new();
    collect_parts(expr, &mut out);
    out
}

fn collect_parts<'a>(expr: &'a Expr, out: &mut ChainParts<'a>) {
    fn called(out: &mut [ChainPart<'_>]) {
        if let Some(last) = out.last_mut() {
            last.1 = last.1.saturating_add(1);
        }
    }
    match peel(expr) {
        Expr::Ident(id) => out.push((Cow::Borrowed(&id.sym), 0)),
        Expr::This(_) => out.push((Cow::Borrowed("this"), 0)),
        Expr::Member(m) => {
            collect_parts(&m.obj, out);
            out.push((member_prop_name(&m.prop).unwrap_or(Cow::Borrowed("[]")), 0));
        }
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => {
                collect_parts(&m.obj, out);
                out.push((member_prop_name(&m.prop).unwrap_or(Cow::Borrowed("[]")), 0));
            }
            OptChainBase::Call(c) => {
                collect_parts(&c.callee, out);
                called(out);
            }
        },
        Expr::Call(c) => {
            if let Callee::Expr(callee) = &c.callee {
                collect_parts(callee, out);
                called(out);
            } else {
                out.push((Cow::Borrowed("?"), 0));
            }
        }
        Expr::Await(a) => collect_parts(&a.arg, out),
        Expr::New(n) => {
            collect_parts(&n.callee, out);
            called(out);
        }
        _ => out.push((Cow::Borrowed("?"), 0)),
    }
}

/// Chain parts joined as `chain_names(..).join(".")`: `clerkClient().users.updateUser`.
pub fn join_parts(parts: &[ChainPart<'_>]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_part(&mut out, part);
    }
    out
}

/// A chain part as text: its name, then `()` for each call.
fn push_part(out: &mut String, (name, calls): &ChainPart<'_>) {
    out.push_str(name);
    for _ in 0..*calls {
        out.push_str("()");
    }
}

/// The root identifier of a member chain (`a.b.c()` → `a`).
pub fn chain_root(expr: &Expr) -> Option<&str> {
    match peel(expr) {
        Expr::Ident(id) => Some(&id.sym),
        Expr::Member(m) => chain_root(&m.obj),
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => chain_root(&m.obj),
            OptChainBase::Call(c) => chain_root(&c.callee),
        },
        Expr::Call(c) => match &c.callee {
            Callee::Expr(e) => chain_root(e),
            _ => None,
        },
        Expr::Await(a) => chain_root(&a.arg),
        _ => None,
    }
}

/// `obj.prop` access as (object expr, property name), through optional chaining.
pub fn as_member(expr: &Expr) -> Option<(&Expr, Cow<'_, str>)> {
    match peel(expr) {
        Expr::Member(MemberExpr { obj, prop, .. }) => Some((obj, member_prop_name(prop)?)),
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => Some((&m.obj, member_prop_name(&m.prop)?)),
            OptChainBase::Call(_) => None,
        },
        _ => None,
    }
}

/// Every identifier a binding pattern declares.
pub fn pat_idents(pat: &Pat, out: &mut Vec<(String, TextRange)>) {
    use clerkguard_syntax::ast::ObjectPatProp;
    match pat {
        Pat::Ident(b) => out.push((b.id.sym.as_str().to_owned(), range_of(&b.id))),
        Pat::Array(a) => a.elems.iter().flatten().for_each(|p| pat_idents(p, out)),
        Pat::Object(o) => {
            for prop in &o.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => pat_idents(&kv.value, out),
                    ObjectPatProp::Assign(a) => out.push((a.key.id.sym.as_str().to_owned(), range_of(&a.key.id))),
                    ObjectPatProp::Rest(r) => pat_idents(&r.arg, out),
                }
            }
        }
        Pat::Assign(a) => pat_idents(&a.left, out),
        Pat::Rest(r) => pat_idents(&r.arg, out),
        Pat::Expr(_) | Pat::Invalid(_) => {}
    }
}

/// Whether the string is a name that identifies the acting user.
pub fn is_identity_name(name: &str) -> bool {
    const NAMES: [&str; 12] = [
        "userid",
        "user_id",
        "clerkid",
        "clerk_id",
        "clerkuserid",
        "authorid",
        "author_id",
        "ownerid",
        "owner_id",
        "buyerid",
        "creatorid",
        "createdby",
    ];
    let lower = name.to_ascii_lowercase();
    NAMES.contains(&lower.as_str()) || matches!(lower.as_str(), "author" | "user" | "owner" | "buyer")
}

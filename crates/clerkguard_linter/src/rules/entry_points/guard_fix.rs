//! The fix shared by the entry-point rules: insert the session lookup and a check that stops
//! signed-out callers, written for the installed Clerk version and the file's style.

use crate::analysis::entry_points::EntryPointKind;
use crate::fixer::ensure_import;
use crate::{Applicability, Edit, FileContext, Fix};

use super::AnalyzedEntry;

/// How the generated check stops a signed-out caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Server Functions: `throw new Error("Unauthenticated")`.
    Throw,
    /// App Router handlers: `return new Response("Unauthorized", { status: 401 })`.
    Response401,
    /// Pages API: `return res.status(401).json({ error: "Unauthorized" })`.
    PagesRes,
}

impl Rejection {
    pub fn for_entry(kind: &EntryPointKind) -> Self {
        match kind {
            EntryPointKind::RouteHandler { .. } => Self::Response401,
            EntryPointKind::PagesApi => Self::PagesRes,
            EntryPointKind::ServerFunction { .. } | EntryPointKind::Page => Self::Throw,
        }
    }

    /// The statement that rejects, e.g. `throw new Error("Unauthenticated");`.
    pub fn statement(self, ctx: &FileContext<'_>, entry: &AnalyzedEntry) -> Option<String> {
        let style = ctx.style();
        let semi = style.semi();
        Some(match self {
            Self::Throw => format!("throw new Error({}){semi}", style.quoted("Unauthenticated")),
            Self::Response401 => {
                if ctx.semantics.imports.contains_key("NextResponse") {
                    format!(
                        "return NextResponse.json({{ error: {} }}, {{ status: 401 }}){semi}",
                        style.quoted("Unauthorized")
                    )
                } else {
                    format!("return new Response({}, {{ status: 401 }}){semi}", style.quoted("Unauthorized"))
                }
            }
            Self::PagesRes => {
                let res = entry.params.get(1).filter(|p| !p.is_empty())?;
                format!("return {res}.status(401).json({{ error: {} }}){semi}", style.quoted("Unauthorized"))
            }
        })
    }
}

/// Inserts `const { userId } = await auth();` and the rejection at the top of the entry point.
pub fn insert_session_check(
    ctx: &FileContext<'_>,
    entry: &AnalyzedEntry,
    title: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let (at, indent) = entry.body_insert(ctx)?;
    if indent.contains('\n') {
        return None;
    }
    let style = ctx.style();
    let semi = style.semi();
    let rejection = Rejection::for_entry(&entry.kind);
    let reject = rejection.statement(ctx, entry)?;
    let user_var = if entry.declared(ctx).contains("userId") { "sessionUserId" } else { "userId" };
    if entry.declared(ctx).contains(user_var) {
        return None;
    }
    let pattern = if user_var == "userId" { "{ userId }".to_string() } else { format!("{{ userId: {user_var} }}") };
    let mut edits = Vec::new();
    let lookup = if rejection == Rejection::PagesRes {
        let req = entry.params.first().filter(|p| !p.is_empty())?;
        let (get_auth, import) = ensure_import(
            ctx.module,
            ctx.semantics,
            ctx.text,
            &style,
            "getAuth",
            "@clerk/nextjs/server",
            &["@clerk/nextjs"],
        );
        edits.extend(import);
        format!("const {pattern} = {get_auth}({req}){semi}")
    } else {
        let (auth, import) = ensure_import(
            ctx.module,
            ctx.semantics,
            ctx.text,
            &style,
            "auth",
            "@clerk/nextjs/server",
            &["@clerk/nextjs"],
        );
        edits.extend(import);
        if ctx.project.clerk_major() >= 6 {
            edits.extend(entry.make_async.clone());
            format!("const {pattern} = await {auth}(){semi}")
        } else {
            format!("const {pattern} = {auth}(){semi}")
        }
    };
    edits.push(Edit::insert(at, format!("{indent}{lookup}\n{indent}if (!{user_var}) {reject}\n")));
    Some(Fix::new(title, applicability, edits))
}

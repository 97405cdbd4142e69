//! The fix shared by the entry-point rules: insert the session lookup and a check that stops
//! signed-out callers, written for the installed Clerk version and the file's style.

use crate::analysis::entry_points::EntryPointKind;
use crate::fixer::{FileStyle, ensure_import};
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
        let (get_auth, import) = clerk_server_import(ctx, &style, "getAuth");
        edits.extend(import);
        format!("const {pattern} = {get_auth}({req}){semi}")
    } else {
        auth_lookup(ctx, entry, &pattern, &mut edits)
    };
    edits.push(Edit::insert(at, format!("{indent}{lookup}\n{indent}if (!{user_var}) {reject}\n")));
    Some(Fix::new(title, applicability, edits))
}

/// `const {pattern} = await auth();` (no `await` before Clerk v6), with the edits it needs pushed
/// onto `edits`: the import of `auth`, then making the function `async`.
pub(crate) fn auth_lookup(
    ctx: &FileContext<'_>,
    entry: &AnalyzedEntry,
    pattern: &str,
    edits: &mut Vec<Edit>,
) -> String {
    let style = ctx.style();
    let semi = style.semi();
    let (auth, import) = clerk_server_import(ctx, &style, "auth");
    edits.extend(import);
    if ctx.project.clerk_major() >= 6 {
        edits.extend(entry.make_async.clone());
        format!("const {pattern} = await {auth}(){semi}")
    } else {
        format!("const {pattern} = {auth}(){semi}")
    }
}

/// `name` from `@clerk/nextjs/server` (or the file's existing import of it), with the edit that
/// imports it when needed.
fn clerk_server_import(ctx: &FileContext<'_>, style: &FileStyle, name: &str) -> (String, Option<Edit>) {
    ensure_import(ctx.syntax(), ctx.semantics, ctx.text, style, name, "@clerk/nextjs/server", &["@clerk/nextjs"])
}

//! The verification code inserted by `webhook-unverified`, for the installed `@clerk/nextjs`
//! (Clerk's `verifyWebhook` from 6.13.0, svix's `Webhook` before) and the router (App Router
//! `Request`, or Pages Router `req`/`res` with the raw body and `bodyParser: false`).

use clerkguard_project::VersionReq;
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, Pat};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::handler::{WebhookHandler, disables_body_parser, exports_config};
use crate::analysis::ast_util::{chain_names, peel, range_of};
use crate::analysis::functions::FnBody;
use crate::fixer::{FileStyle, body_insert_point, ensure_import, make_async};
use crate::{Edit, FileContext, Fix};

/// The secret variable the generated svix code reads.
pub const SIGNING_SECRET_ENV: &str = "CLERK_WEBHOOK_SIGNING_SECRET";

pub fn uses_verify_webhook(ctx: &FileContext<'_>) -> bool {
    ctx.project.clerk_at_least(VersionReq::at_least(6, 13, 0))
}

fn is_typescript(ctx: &FileContext<'_>) -> bool {
    ctx.path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "ts" | "tsx" | "mts" | "cts"))
}

fn param_name(p: Option<&&Pat>) -> Option<String> {
    match p {
        Some(Pat::Ident(b)) => Some(b.id.sym.as_str().to_owned()),
        _ => None,
    }
}

fn fresh_name(handler: &WebhookHandler<'_>, preferred: &[&str]) -> String {
    preferred
        .iter()
        .find(|n| !handler.flow.declared.contains(**n))
        .map_or_else(|| "verifiedWebhookEvent".to_string(), |n| (*n).to_string())
}

/// Where the handler reads its payload: `await req.json()` / `req.text()` / `req.body`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    Json,
    Text,
    PagesBody,
}

fn payload_reads(handler: &WebhookHandler<'_>, req: &str) -> Vec<(TextRange, Read)> {
    struct Finder<'r> {
        req: &'r str,
        out: Vec<(TextRange, Read)>,
    }
    impl Visit for Finder<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            let (target, inner) = match peel(expr) {
                Expr::Await(a) => (expr, peel(&a.arg)),
                e => (expr, e),
            };
            let names = chain_names(inner);
            let kind = match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                [r, "json()"] if *r == self.req && matches!(peel(target), Expr::Await(_)) => Some(Read::Json),
                [r, "text()"] if *r == self.req => Some(Read::Text),
                [r, "body"] if *r == self.req => Some(Read::PagesBody),
                _ => None,
            };
            match kind {
                Some(kind) => self.out.push((range_of(target), kind)),
                None => expr.visit_children_with(self),
            }
        }
    }
    let mut finder = Finder { req, out: Vec::new() };
    match handler.func.body() {
        Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut finder)),
        Some(FnBody::Expr(e)) => e.visit_with(&mut finder),
        None => {}
    }
    finder.out
}

/// The fix for a handler with no verification at all, when its payload reads can be rewired.
pub fn verification_fix(ctx: &FileContext<'_>, handler: &WebhookHandler<'_>) -> Option<Fix> {
    let style = ctx.style();
    let params = handler.func.params();
    let req = param_name(params.first())?;
    let reads = payload_reads(handler, &req);
    let wanted = if handler.pages { Read::PagesBody } else { Read::Json };
    if reads.is_empty() || reads.iter().any(|(_, k)| *k != wanted) {
        return None;
    }
    let (at, indent) = body_insert_point(handler.func, ctx.text, &style)?;
    let ts = is_typescript(ctx);
    let unit = style.indent_unit.clone();
    let semi = style.semi();
    let q = |s: &str| style.quoted(s);
    let evt = fresh_name(handler, &["evt", "event", "webhookEvent"]);
    let clerk = uses_verify_webhook(ctx);
    let mut edits = Vec::new();
    let verify_fn = if clerk {
        let (name, import) = ensure_import(
            ctx.module,
            ctx.semantics,
            ctx.text,
            &style,
            "verifyWebhook",
            "@clerk/nextjs/webhooks",
            &["@clerk/backend/webhooks"],
        );
        edits.extend(import);
        name
    } else {
        let (name, import) = ensure_import(ctx.module, ctx.semantics, ctx.text, &style, "Webhook", "svix", &[]);
        edits.extend(import);
        name
    };
    let bang = if ts { "!" } else { "" };
    let secret = format!("process.env.{SIGNING_SECRET_ENV}{bang}");
    let header_list = ["svix-id", "svix-timestamp", "svix-signature"];
    let mut code = String::new();
    let (verify_expr, failure) = if handler.pages {
        let res = param_name(params.get(1))?;
        if exports_config(ctx.text) && !disables_body_parser(ctx.text) {
            return None; // its own config would need editing
        }
        let raw = fresh_name(handler, &["rawBody", "rawWebhookBody"]);
        code.push_str(&format!("{indent}const {raw} = await readRawBody({req}){semi}\n"));
        let headers: Vec<String> = header_list
            .iter()
            .map(|h| format!("{indent}{unit}{unit}{unit}{}: String({req}.headers[{}]),", q(h), q(h)))
            .collect();
        let expr = if clerk {
            format!(
                "await {verify_fn}(\n{indent}{unit}{unit}new Request(`https://${{{req}.headers.host}}${{{req}.url}}`, {{\n{indent}{unit}{unit}{unit}method: {},\n{indent}{unit}{unit}{unit}headers: {{\n{}\n{indent}{unit}{unit}{unit}}},\n{indent}{unit}{unit}{unit}body: {raw},\n{indent}{unit}{unit}}}),\n{indent}{unit})",
                q("POST"),
                headers.iter().map(|h| format!("{unit}{h}")).collect::<Vec<_>>().join("\n"),
            )
        } else {
            format!(
                "new {verify_fn}({secret}).verify({raw}, {{\n{}\n{indent}{unit}}})",
                header_list
                    .iter()
                    .map(|h| format!("{indent}{unit}{unit}{}: String({req}.headers[{}]),", q(h), q(h)))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        };
        let failure = format!("return {res}.status(400).json({{ error: {} }}){semi}", q("Webhook verification failed"));
        // Appended helpers: the raw-body reader and the body-parser switch.
        let mut tail = String::new();
        if !ctx.text.ends_with('\n') {
            tail.push('\n');
        }
        if !exports_config(ctx.text) {
            tail.push_str(&format!(
                "\n// Verification needs the exact bytes Svix signed: turn off Next.js's body parser.\nexport const config = {{ api: {{ bodyParser: false }} }}{semi}\n"
            ));
        }
        if !ctx.mentions("function readRawBody") {
            let (sig, chunks) = if ts {
                ("readRawBody(req: AsyncIterable<Buffer | string>): Promise<string>", "const chunks: Buffer[] = []")
            } else {
                ("readRawBody(req)", "const chunks = []")
            };
            tail.push_str(&format!(
                "\nasync function {sig} {{\n{unit}{chunks}{semi}\n{unit}for await (const chunk of req) chunks.push(typeof chunk === {} ? Buffer.from(chunk) : chunk){semi}\n{unit}return Buffer.concat(chunks).toString({}){semi}\n}}\n",
                q("string"),
                q("utf8")
            ));
        }
        edits.push(Edit::insert(ctx.text.len() as u32, tail));
        (expr, failure)
    } else {
        let expr = if clerk {
            format!("await {verify_fn}({req})")
        } else {
            let raw = fresh_name(handler, &["rawBody", "rawWebhookBody"]);
            code.push_str(&format!("{indent}const {raw} = await {req}.text(){semi}\n"));
            format!(
                "new {verify_fn}({secret}).verify({raw}, {{\n{}\n{indent}{unit}}})",
                header_list
                    .iter()
                    .map(|h| format!("{indent}{unit}{unit}{}: {req}.headers.get({}) ?? {},", q(h), q(h), q("")))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        };
        let failure = format!("return new Response({}, {{ status: 400 }}){semi}", q("Webhook verification failed"));
        (expr, failure)
    };
    code.push_str(&format!(
        "{indent}let {evt}{semi}\n{indent}try {{\n{indent}{unit}{evt} = {verify_expr}{semi}\n{indent}}} catch (err) {{\n{indent}{unit}{failure}\n{indent}}}\n"
    ));
    edits.push(Edit::insert(at, code));
    for (range, _) in reads {
        edits.push(Edit::replace(range, evt.clone()));
    }
    if let Some(edit) = make_async(handler.func, ctx.text) {
        edits.push(edit);
    }
    let title = if clerk {
        "Verify the webhook with `verifyWebhook` before using the payload"
    } else {
        "Verify the webhook signature with svix before using the payload"
    };
    Some(Fix::unsafe_(title, edits))
}

/// Makes a `catch` that swallows the verification error answer 400 and stop.
pub fn return_from_catch_fix(ctx: &FileContext<'_>, handler: &WebhookHandler<'_>, catch_start: u32) -> Option<Fix> {
    let style: FileStyle = ctx.style();
    let rest = ctx.text.get(catch_start as usize..)?;
    let brace = catch_start + rest.find('{')? as u32;
    // The catch body's closing brace: the matching `}` of `brace`.
    let mut depth = 0i32;
    let mut close = None;
    for (i, c) in ctx.text[brace as usize..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(brace + i as u32);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let indent = crate::fixer::indent_at(ctx.text, catch_start);
    let unit = &style.indent_unit;
    let semi = style.semi();
    let statement = if handler.pages {
        let res = param_name(handler.func.params().get(1))?;
        format!("return {res}.status(400).json({{ error: {} }}){semi}", style.quoted("Webhook verification failed"))
    } else {
        format!("return new Response({}, {{ status: 400 }}){semi}", style.quoted("Webhook verification failed"))
    };
    let before_close = ctx.text[..close as usize].trim_end_matches([' ', '\t']);
    let at = before_close.len() as u32;
    let prefix = if before_close.ends_with('\n') { "" } else { "\n" };
    Some(Fix::safe(
        "Answer 400 and stop when verification fails",
        vec![Edit::insert(at, format!("{prefix}{indent}{unit}{statement}\n{indent}"))],
    ))
    .map(|mut fix| {
        // The inserted text replaces the whitespace before `}`.
        if let Some(edit) = fix.edits.first_mut() {
            edit.range = TextRange::new(at, close);
        }
        fix
    })
}

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{CallExpr, Expr, Pat, Stmt, VarDecl};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::handler::{call_name, disables_body_parser, for_each_handler};
use crate::analysis::ast_util::{chain_names, peel, range_of};
use crate::analysis::functions::FnBody;
use crate::fixer::{indent_at, line_start_of};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds webhook signature verification over a re-serialized body —
    /// `wh.verify(JSON.stringify(await req.json()), headers)`, `JSON.stringify(req.body)`, or a
    /// variable holding one — and Pages Router handlers that call `verifyWebhook(req)` with
    /// `bodyParser: false` (Clerk rebuilds the body from `req.body`, which is then `undefined`).
    ///
    /// ## Why is this bad?
    ///
    /// Svix signs the exact bytes it sent. `JSON.stringify(JSON.parse(body))` gives different
    /// bytes whenever the sender's spacing, key order or number formatting differ, so valid
    /// deliveries fail verification at random; and teams that "fix" the failures by loosening
    /// the check end up with no verification at all.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const payload = await req.json();
    /// const evt = wh.verify(JSON.stringify(payload), headers);
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const body = await req.text();
    /// const evt = wh.verify(body, headers);
    /// ```
    ///
    /// ## Fix safety
    ///
    /// In App Router handlers the fix reads the raw body with `await req.text()` (parsing it
    /// with `JSON.parse` where the parsed payload was used). It is safe. Pages Router cases get
    /// no automatic fix: they need `bodyParser: false` and a raw-body reader.
    pub WebhookBodyReserialized {
        id: "webhook-body-reserialized",
        category: Webhooks,
        severity: Error,
        fix: Safe,
        summary: "Webhook signature verified over a re-serialized body instead of the raw bytes",
    }
}

impl Rule for WebhookBodyReserialized {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for_each_handler(ctx, |handler| {
            let decls = declarations(handler.func.body());
            for call in &handler.flow.verify_calls {
                if call.clerk_helper && handler.pages && disables_body_parser(ctx.text) {
                    out.push(
                        ctx.diagnostic(&Self::META, call.range, "`verifyWebhook(req)` in a Pages Router handler with `bodyParser: false` verifies an empty body and always fails")
                            .with_help("Read the raw body yourself and pass `verifyWebhook` a `Request` built from it, or verify with svix over the raw body"),
                    );
                    continue;
                }
                let Some(arg) = call.payload_arg else { continue };
                let (stringify, via) = match &call.payload_ident {
                    Some(name) => match decls.iter().find(|d| &d.name == name) {
                        Some(d) if d.stringify.is_some() => (d.stringify.clone(), Some(d)),
                        _ => (None, None),
                    },
                    None => (stringify_at(ctx, handler.func.body(), arg), None),
                };
                let Some(stringify) = stringify else { continue };
                let fix = if handler.pages { None } else { raw_body_fix(ctx, &stringify, &decls, via) };
                out.push(
                    ctx.diagnostic(&Self::META, stringify.range, "The webhook signature is checked over `JSON.stringify(...)` of the parsed body, not the raw bytes Svix signed")
                        .with_help("Verify over the raw body: `await req.text()` (Pages Router: `bodyParser: false` and the raw request stream)")
                        .with_fix(fix),
                );
            }
        });
    }
}

/// A `JSON.stringify(x)` call and what `x` is.
#[derive(Clone, Debug)]
struct Stringify {
    range: TextRange,
    /// `await req.json()` directly inside it: the range of that expression.
    json_read: Option<TextRange>,
    /// An identifier argument.
    arg_ident: Option<String>,
}

struct Declared {
    name: String,
    stmt: TextRange,
    init: TextRange,
    stringify: Option<Stringify>,
    json_read: bool,
}

fn as_stringify(expr: &Expr) -> Option<Stringify> {
    let Expr::Call(call) = peel(expr) else { return None };
    if call_name(call).as_deref() != Some("JSON.stringify") {
        return None;
    }
    let arg = call.args.first()?;
    let json_read = is_json_read(&arg.expr).then(|| range_of(&*arg.expr));
    let arg_ident = match peel(&arg.expr) {
        Expr::Ident(id) => Some(id.sym.as_str().to_owned()),
        _ => None,
    };
    Some(Stringify { range: range_of(call), json_read, arg_ident })
}

fn is_json_read(expr: &Expr) -> bool {
    let Expr::Await(a) = peel(expr) else { return false };
    chain_names(&a.arg).last().is_some_and(|n| n == "json()")
}

fn declarations(body: Option<FnBody<'_>>) -> Vec<Declared> {
    struct Collect(Vec<Declared>, Option<TextRange>);
    impl Visit for Collect {
        fn visit_stmt(&mut self, s: &Stmt) {
            self.1 = Some(range_of(s));
            s.visit_children_with(self);
        }
        fn visit_var_decl(&mut self, v: &VarDecl) {
            for d in &v.decls {
                if let (Pat::Ident(b), Some(init)) = (&d.name, &d.init) {
                    self.0.push(Declared {
                        name: b.id.sym.as_str().to_owned(),
                        stmt: self.1.unwrap_or_else(|| range_of(v)),
                        init: range_of(&**init),
                        stringify: as_stringify(init),
                        json_read: is_json_read(init),
                    });
                }
            }
            v.visit_children_with(self);
        }
    }
    let mut c = Collect(Vec::new(), None);
    match body {
        Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut c)),
        Some(FnBody::Expr(e)) => e.visit_with(&mut c),
        None => {}
    }
    c.0
}

fn stringify_at(ctx: &FileContext<'_>, body: Option<FnBody<'_>>, arg: TextRange) -> Option<Stringify> {
    struct Find(TextRange, Option<Stringify>);
    impl Visit for Find {
        fn visit_call_expr(&mut self, c: &CallExpr) {
            if range_of(c) == self.0
                && let Some(s) = as_stringify(&Expr::Call(c.clone()))
            {
                self.1 = Some(s);
            }
            c.visit_children_with(self);
        }
    }
    let _ = ctx;
    let mut f = Find(arg, None);
    match body {
        Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut f)),
        Some(FnBody::Expr(e)) => e.visit_with(&mut f),
        None => {}
    }
    f.1
}

fn raw_body_fix(ctx: &FileContext<'_>, s: &Stringify, decls: &[Declared], via: Option<&Declared>) -> Option<Fix> {
    let _ = via;
    // `JSON.stringify(await req.json())` → `await req.text()`
    if let Some(read) = s.json_read {
        let text = ctx.source(read);
        let req = text.trim_start_matches("await").trim_start().split('.').next()?.to_string();
        return Some(Fix::safe(
            "Verify over the raw body (`await req.text()`)",
            vec![Edit::replace(s.range, format!("await {req}.text()"))],
        ));
    }
    // `const payload = await req.json(); ... JSON.stringify(payload)`
    let name = s.arg_ident.as_ref()?;
    let decl = decls.iter().find(|d| &d.name == name && d.json_read)?;
    let read_text = ctx.source(decl.init);
    let req = read_text.trim_start_matches("await").trim_start().split('.').next()?.to_string();
    let raw = ["rawBody", "rawWebhookBody"].into_iter().find(|n| !decls.iter().any(|d| d.name == *n))?;
    let style = ctx.style();
    let indent = indent_at(ctx.text, decl.stmt.start);
    let line_start = line_start_of(ctx.text, decl.stmt.start);
    if !ctx.text[line_start as usize..decl.stmt.start as usize].trim().is_empty() {
        return None;
    }
    Some(Fix::safe(
        "Verify over the raw body (`await req.text()`)",
        vec![
            Edit::insert(line_start, format!("{indent}const {raw} = await {req}.text(){}\n", style.semi())),
            Edit::replace(decl.init, format!("JSON.parse({raw})")),
            Edit::replace(s.range, raw.to_string()),
        ],
    ))
}

//! Which route handlers are Clerk webhook handlers, and how their payload flows relative to the
//! signature verification.
//!
//! The walk is statement-level, like the guard flow: a path is *verified* after a verification
//! call (`wh.verify(...)`, `await verifyWebhook(req)`, a helper that does one) that did not sit
//! in a `try` whose `catch` carries on. Acting on the payload — a data effect, or a call that
//! takes a value parsed from the body — on a path that is not verified is what the rules report.

use std::collections::HashSet;

use clerkguard_project::FileRole;
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{
    AssignTarget, BinaryOp, CallExpr, Callee, CatchClause, Decl, Expr, Lit, Pat, SimpleAssignTarget, Stmt, UnaryOp,
};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::FileContext;
use crate::analysis::ast_util::{as_member, chain_names, pat_idents, peel, range_of};
use crate::analysis::clerk_api::ClerkFn;
use crate::analysis::effects::{is_data_effect, tagged_template_effect};
use crate::analysis::entry_points::EntryPointKind;
use crate::analysis::flow::Analyzer;
use crate::analysis::functions::{FnBody, FnRef};
use crate::analysis::locals::LocalFunctions;

/// Clerk event types (`WebhookEvent['type']`) that mark a handler as Clerk's.
const CLERK_EVENT_PREFIXES: [&str; 12] = [
    "user.",
    "session.",
    "organization.",
    "organizationMembership.",
    "organizationInvitation.",
    "organizationDomain.",
    "email.created",
    "sms.created",
    "role.",
    "permission.",
    "waitlistEntry.",
    "subscription.",
];

/// Words that say a handler belongs to another provider, which verifies in its own way.
const OTHER_PROVIDERS: [&str; 14] = [
    "stripe",
    "livekit",
    "x-hub-signature",
    "constructevent",
    "webhookreceiver",
    "github",
    "lemonsqueezy",
    "x-signature",
    "paddle",
    "razorpay",
    "shopify",
    "twilio",
    "paypal",
    "polar",
];

/// Why a file is taken for a Clerk webhook handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// svix / standardwebhooks / verifyWebhook / WebhookEvent, `svix-*` headers, Clerk events.
    Strong,
    /// Only its path (`/webhooks/clerk`, or a `webhook(s)` folder in an app that uses Clerk).
    Path,
}

pub fn clerk_webhook_evidence(ctx: &FileContext<'_>) -> Option<Evidence> {
    if !matches!(ctx.role, FileRole::RouteHandler | FileRole::PagesApi) {
        return None;
    }
    let strong_import = ctx.semantics.imports.values().any(|b| {
        matches!(b.source.as_str(), "svix" | "standardwebhooks" | "@clerk/nextjs/webhooks" | "@clerk/backend/webhooks")
            || (b.source.starts_with("@clerk/")
                && matches!(&b.imported, crate::analysis::ImportedName::Named(n) if n.starts_with("WebhookEvent")))
    });
    // Each quoted header name contains `svix-`: without it, none is there.
    let svix_headers = ctx.mentions("svix-") && ["\"svix-", "'svix-", "`svix-"].iter().any(|p| ctx.mentions(p));
    let clerk_events = has_clerk_event_literal(ctx.text);
    if strong_import || svix_headers || clerk_events {
        return Some(Evidence::Strong);
    }
    let rel = ctx.path.strip_prefix(&ctx.project.root).unwrap_or(ctx.path).to_string_lossy().to_ascii_lowercase();
    let in_webhook_dir = rel.split(['/', '\\']).any(|seg| seg.contains("webhook"));
    if !in_webhook_dir {
        return None;
    }
    let lower = ctx.text.to_ascii_lowercase();
    if OTHER_PROVIDERS.iter().any(|p| lower.contains(p) || rel.contains(p)) {
        return None;
    }
    (rel.contains("clerk") || lower.contains("clerk")).then_some(Evidence::Path)
}

fn has_clerk_event_literal(text: &str) -> bool {
    for quote in ['"', '\''] {
        let mut rest = text;
        while let Some(i) = rest.find(quote) {
            let after = &rest[i + 1..];
            if CLERK_EVENT_PREFIXES.iter().any(|p| after.starts_with(p))
                && after.split(quote).next().is_some_and(|lit| {
                    lit.len() < 60 && lit.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                })
            {
                return true;
            }
            rest = after;
        }
    }
    false
}

/// A verification call found in a handler.
#[derive(Clone, Debug)]
pub struct VerifyCall {
    pub range: TextRange,
    /// `verifyWebhook(...)` (Clerk's), as opposed to svix / standardwebhooks / a helper.
    pub clerk_helper: bool,
    /// The payload argument of `wh.verify(payload, headers)`.
    pub payload_arg: Option<TextRange>,
    /// The payload argument's identifier, when it is one.
    pub payload_ident: Option<String>,
}

/// How a handler reads its request body.
#[derive(Clone, Debug)]
pub struct BodyRead {
    pub kind: BodyReadKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyReadKind {
    Json,
    Text,
    /// `req.body` (Pages Router, parsed by Next's body parser unless disabled).
    PagesBody,
    Other,
}

#[derive(Clone, Debug, Default)]
pub struct HandlerFlow {
    pub verify_calls: Vec<VerifyCall>,
    /// The first use of the payload (or data effect) on a path without verification.
    pub unverified_use: Option<TextRange>,
    /// A `catch` that swallows the verification error and lets the handler go on.
    pub swallowing_catch: Option<TextRange>,
    pub body_reads: Vec<BodyRead>,
    /// Side effects that ran after verification (for the idempotency hint).
    pub verified_effects: Vec<TextRange>,
    /// Identifiers declared in the handler.
    pub declared: HashSet<String>,
    /// `svix-id` / `webhook-id` read and used beyond the verification call.
    pub uses_message_id: bool,
}

/// A webhook handler function of the file.
pub struct WebhookHandler<'a> {
    pub name: String,
    pub report_range: TextRange,
    pub func: FnRef<'a>,
    pub pages: bool,
    pub flow: HandlerFlow,
}

/// Calls `f` with each webhook handler (POST route handlers, Pages API default exports) of a
/// Clerk webhook file.
pub fn for_each_handler(ctx: &FileContext<'_>, mut f: impl FnMut(&WebhookHandler<'_>)) {
    if clerk_webhook_evidence(ctx).is_none() {
        return;
    }
    let locals = ctx.locals();
    let analyzer = Analyzer { sem: ctx.semantics, summaries: ctx.summaries, locals, extra_guards: &ctx.config.guards };
    for entry in ctx.entry_points() {
        let pages = match &entry.kind {
            EntryPointKind::RouteHandler { method } if method == "POST" => false,
            EntryPointKind::PagesApi => true,
            _ => continue,
        };
        let func = entry.func.get();
        let flow = analyze(ctx, &analyzer, locals, func);
        f(&WebhookHandler { name: entry.name.to_string(), report_range: entry.report_range, func, pages, flow });
    }
}

fn analyze(
    ctx: &FileContext<'_>,
    analyzer: &Analyzer<'_>,
    locals: &LocalFunctions<'_>,
    func: FnRef<'_>,
) -> HandlerFlow {
    let request = func.params().first().and_then(|p| match p {
        Pat::Ident(b) => Some(b.id.sym.as_str().to_owned()),
        _ => None,
    });
    let mut walk =
        Walk { ctx, analyzer, locals, request, flow: HandlerFlow::default(), verifying_helpers: HashSet::new() };
    for p in func.params() {
        let mut names = Vec::new();
        pat_idents(p, &mut names);
        walk.flow.declared.extend(names.into_iter().map(|(n, _)| n));
    }
    let mut state = State::default();
    match func.body() {
        Some(FnBody::Block(stmts)) => {
            walk.stmts(stmts, &mut state);
        }
        Some(FnBody::Expr(e)) => walk.expr(e, &mut state),
        None => {}
    }
    walk.flow
}

#[derive(Clone, Default)]
struct State {
    verified: bool,
    /// Values parsed from the unverified body.
    payload: HashSet<String>,
    /// Results of a verification whose failure was swallowed: verified once checked.
    soft: HashSet<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Exits,
    FallsThrough,
}

struct Walk<'c, 'a> {
    ctx: &'c FileContext<'a>,
    analyzer: &'c Analyzer<'c>,
    locals: &'c LocalFunctions<'c>,
    request: Option<String>,
    flow: HandlerFlow,
    verifying_helpers: HashSet<String>,
}

impl Walk<'_, '_> {
    fn stmts(&mut self, stmts: &[Stmt], state: &mut State) -> Flow {
        for stmt in stmts {
            if self.stmt(stmt, state) == Flow::Exits {
                return Flow::Exits;
            }
        }
        Flow::FallsThrough
    }

    fn stmt(&mut self, stmt: &Stmt, state: &mut State) -> Flow {
        match stmt {
            Stmt::Block(b) => self.stmts(&b.stmts, state),
            Stmt::Expr(e) => {
                self.expr(&e.expr, state);
                if never_returns(&e.expr) { Flow::Exits } else { Flow::FallsThrough }
            }
            Stmt::Decl(Decl::Var(var)) => {
                for d in &var.decls {
                    let mut names = Vec::new();
                    pat_idents(&d.name, &mut names);
                    self.flow.declared.extend(names.iter().map(|(n, _)| n.clone()));
                    let Some(init) = &d.init else { continue };
                    let verified_before = state.verified;
                    self.expr(init, state);
                    if let Some(read) = self.body_read(init) {
                        self.flow.body_reads.push(read);
                    }
                    let is_verify_result = !verified_before && state.verified;
                    if is_verify_result {
                        continue;
                    }
                    if self.is_soft_verification(init) {
                        state.soft.extend(names.iter().map(|(n, _)| n.clone()));
                    } else if !state.verified && self.derives_from_payload(init, state) {
                        state.payload.extend(names.into_iter().map(|(n, _)| n));
                    }
                }
                Flow::FallsThrough
            }
            Stmt::Decl(Decl::Fn(f)) => {
                self.flow.declared.insert(f.ident.sym.as_str().to_owned());
                Flow::FallsThrough
            }
            Stmt::Decl(_) => Flow::FallsThrough,
            Stmt::Return(r) => {
                if let Some(arg) = &r.arg {
                    self.expr(arg, state);
                }
                Flow::Exits
            }
            Stmt::Throw(t) => {
                self.expr(&t.arg, state);
                Flow::Exits
            }
            Stmt::If(i) => {
                self.expr(&i.test, state);
                let mut cons = state.clone();
                let mut alt = state.clone();
                // `if (!evt) return 400` after a swallowed verification.
                if let Some(name) = negated_ident(&i.test)
                    && state.soft.contains(&name)
                {
                    alt.verified = true;
                }
                let cf = self.stmt(&i.cons, &mut cons);
                let af = match &i.alt {
                    Some(a) => self.stmt(a, &mut alt),
                    None => Flow::FallsThrough,
                };
                match (cf, af) {
                    (Flow::Exits, Flow::Exits) => return Flow::Exits,
                    (Flow::Exits, Flow::FallsThrough) => *state = alt,
                    (Flow::FallsThrough, Flow::Exits) => *state = cons,
                    (Flow::FallsThrough, Flow::FallsThrough) => *state = join(cons, alt),
                }
                Flow::FallsThrough
            }
            Stmt::Try(t) => {
                let before = state.clone();
                let block_flow = self.stmts(&t.block.stmts, state);
                let verified_in_try = !before.verified && state.verified;
                if let Some(handler) = &t.handler {
                    let mut catch_state = before.clone();
                    let catch_flow = self.stmts(&handler.body.stmts, &mut catch_state);
                    if verified_in_try && catch_flow == Flow::FallsThrough {
                        self.flow.swallowing_catch.get_or_insert(catch_range(handler));
                        // What the try assigned is only known to be verified once checked.
                        let mut assigned = Vec::new();
                        collect_assigned(&t.block.stmts, &mut assigned);
                        state.soft.extend(assigned.clone());
                        catch_state.soft.extend(assigned);
                    }
                    match (block_flow, catch_flow) {
                        (Flow::Exits, Flow::Exits) => return Flow::Exits,
                        (Flow::Exits, Flow::FallsThrough) => *state = catch_state,
                        (Flow::FallsThrough, Flow::Exits) => {}
                        (Flow::FallsThrough, Flow::FallsThrough) => {
                            let taken = std::mem::take(state);
                            *state = join(taken, catch_state);
                        }
                    }
                } else if block_flow == Flow::Exits {
                    return Flow::Exits;
                }
                if let Some(finalizer) = &t.finalizer {
                    return self.stmts(&finalizer.stmts, state);
                }
                Flow::FallsThrough
            }
            Stmt::Switch(s) => {
                self.expr(&s.discriminant, state);
                let mut merged: Option<State> = None;
                for case in &s.cases {
                    let mut case_state = state.clone();
                    if let Some(test) = &case.test {
                        self.expr(test, &mut case_state);
                    }
                    self.stmts(&case.cons, &mut case_state);
                    merged = Some(match merged {
                        Some(m) => join(m, case_state),
                        None => case_state,
                    });
                }
                if let Some(m) = merged {
                    let taken = std::mem::take(state);
                    *state = join(taken, m);
                }
                Flow::FallsThrough
            }
            Stmt::For(f) => {
                let mut inner = state.clone();
                self.stmt(&f.body, &mut inner);
                Flow::FallsThrough
            }
            Stmt::ForOf(f) => {
                self.expr(&f.right, state);
                let mut inner = state.clone();
                self.stmt(&f.body, &mut inner);
                Flow::FallsThrough
            }
            Stmt::ForIn(f) => {
                let mut inner = state.clone();
                self.stmt(&f.body, &mut inner);
                Flow::FallsThrough
            }
            Stmt::While(w) => {
                self.expr(&w.test, state);
                let mut inner = state.clone();
                self.stmt(&w.body, &mut inner);
                Flow::FallsThrough
            }
            Stmt::Labeled(l) => self.stmt(&l.body, state),
            _ => Flow::FallsThrough,
        }
    }

    fn expr(&mut self, expr: &Expr, state: &mut State) {
        let mut scan = Scan { walk: self, state, awaited: HashSet::new() };
        expr.visit_with(&mut scan);
    }

    /// `await req.json()`, `await req.text()`, `req.body`, `await buffer(req)`.
    fn body_read(&self, expr: &Expr) -> Option<BodyRead> {
        let request = self.request.as_deref()?;
        let inner = match peel(expr) {
            Expr::Await(a) => peel(&a.arg),
            e => e,
        };
        let names = chain_names(inner);
        let kind = match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [r, "json()"] if *r == request => BodyReadKind::Json,
            [r, "text()"] if *r == request => BodyReadKind::Text,
            [r, "body"] if *r == request => BodyReadKind::PagesBody,
            [f] if matches!(f.trim_end_matches("()"), "buffer" | "getRawBody" | "rawBody" | "readRawBody" | "text") => {
                BodyReadKind::Other
            }
            _ => return None,
        };
        Some(BodyRead { kind })
    }

    fn derives_from_payload(&self, expr: &Expr, state: &State) -> bool {
        if self.body_read(expr).is_some_and(|r| r.kind != BodyReadKind::Text && r.kind != BodyReadKind::Other) {
            return true;
        }
        let mut idents = IdentUses::default();
        expr.visit_with(&mut idents);
        let parses = matches!(peel(expr), Expr::Call(c) if call_name(c).as_deref() == Some("JSON.parse"));
        idents.0.iter().any(|n| state.payload.contains(n))
            || (parses && self.request.as_deref().is_some_and(|r| idents.0.iter().any(|n| n == r)))
            || (parses && !idents.0.is_empty() && self.flow.body_reads.iter().any(|b| b.kind == BodyReadKind::Text))
    }

    /// `await verifyWebhook(req).catch(() => null)`: a verification whose failure is swallowed.
    fn is_soft_verification(&self, expr: &Expr) -> bool {
        let inner = match peel(expr) {
            Expr::Await(a) => peel(&a.arg),
            e => e,
        };
        let Expr::Call(call) = inner else { return false };
        let Callee::Expr(callee) = &call.callee else { return false };
        let Some((obj, prop)) = as_member(callee) else { return false };
        prop == "catch" && matches!(peel(obj), Expr::Call(c) if self.verification_kind(c).is_some())
    }

    /// Whether a call verifies the webhook signature; `Some(true)` for Clerk's `verifyWebhook`.
    fn verification_kind(&self, call: &CallExpr) -> Option<bool> {
        let Callee::Expr(callee) = &call.callee else { return None };
        if self.ctx.semantics.clerk_fn_of_expr(callee) == Some(ClerkFn::VerifyWebhook) {
            return Some(true);
        }
        let names = chain_names(callee);
        let last = names.last()?.trim_end_matches("()").to_string();
        if last == "verifyWebhook" {
            return Some(true);
        }
        if last == "verify" && names.len() >= 2 {
            let receiver = names[names.len() - 2].to_ascii_lowercase();
            if receiver.contains("webhook") || receiver.starts_with("wh") || receiver.contains("svix") {
                return Some(false);
            }
            // A variable holding `new Webhook(...)`.
            if let Some((obj, _)) = as_member(callee)
                && let Expr::Ident(id) = peel(obj)
                && self.ctx.text.contains(&format!("{} = new Webhook(", id.sym))
            {
                return Some(false);
            }
            return None;
        }
        if names.len() == 1 {
            let lower = last.to_ascii_lowercase();
            if (lower.starts_with("verify") || lower.starts_with("validate"))
                && ["webhook", "signature", "request", "event", "svix", "payload"].iter().any(|k| lower.contains(k))
            {
                return Some(false);
            }
            if self.verifying_helpers.contains(&last) || self.local_helper_verifies(&last) {
                return Some(false);
            }
        }
        None
    }

    fn local_helper_verifies(&self, name: &str) -> bool {
        let Some(func) = self.locals.get(name) else { return false };
        let mut probe = VerifyProbe { ctx: self.ctx, found: false };
        match func.body() {
            Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut probe)),
            Some(FnBody::Expr(e)) => e.visit_with(&mut probe),
            None => {}
        }
        probe.found
    }

    fn on_call(&mut self, call: &CallExpr, awaited: bool, state: &mut State) {
        if let Some(clerk_helper) = self.verification_kind(call) {
            let payload_arg = call.args.first().map(|a| range_of(&*a.expr));
            let payload_ident = call.args.first().and_then(|a| match peel(&a.expr) {
                Expr::Ident(id) => Some(id.sym.as_str().to_owned()),
                _ => None,
            });
            let is_method_verify =
                matches!(&call.callee, Callee::Expr(c) if as_member(c).is_some_and(|(_, p)| p == "verify"));
            self.flow.verify_calls.push(VerifyCall {
                range: range_of(call),
                clerk_helper,
                payload_arg: payload_arg.filter(|_| is_method_verify),
                payload_ident: payload_ident.filter(|_| is_method_verify),
            });
            // An async verification that nobody awaits verifies nothing.
            if awaited || !clerk_helper {
                state.verified = true;
            }
            return;
        }
        let is_effect = is_data_effect(call, self.ctx.semantics)
            || matches!(&call.callee, Callee::Expr(c) if self.analyzer.summary_of_callee(c).is_some_and(|s| s.performs_effect));
        let takes_payload = !is_effect && self.takes_payload(call, state);
        if is_effect || takes_payload {
            if state.verified {
                if is_effect {
                    self.flow.verified_effects.push(range_of(call));
                }
            } else {
                self.flow.unverified_use.get_or_insert(range_of(call));
            }
        }
        let name = call_name(call).unwrap_or_default();
        if !name.ends_with(".get") && !name.starts_with("console.") && self.uses_message_id(call) {
            self.flow.uses_message_id = true;
        }
    }

    fn takes_payload(&self, call: &CallExpr, state: &State) -> bool {
        if state.payload.is_empty() {
            return false;
        }
        let name = call_name(call).unwrap_or_default();
        let root = name.split('.').next().unwrap_or("");
        if matches!(root, "console" | "JSON" | "Response" | "NextResponse" | "String" | "Number" | "Boolean" | "Object")
            || name.ends_with(".get")
            || name.ends_with(".json")
            || name.ends_with(".status")
        {
            return false;
        }
        let mut idents = IdentUses::default();
        call.args.iter().for_each(|a| a.expr.visit_with(&mut idents));
        idents.0.iter().any(|n| state.payload.contains(n))
    }

    fn uses_message_id(&self, call: &CallExpr) -> bool {
        let start = range_of(call);
        let text = self.ctx.source(start);
        text.contains("svix-id") || text.contains("webhook-id") || {
            let mut idents = IdentUses::default();
            call.args.iter().for_each(|a| a.expr.visit_with(&mut idents));
            idents.0.iter().any(|n| {
                let lower = n.to_ascii_lowercase();
                lower.contains("svixid") || lower.contains("svix_id") || lower == "messageid" || lower == "msgid"
            })
        }
    }
}

fn join(a: State, b: State) -> State {
    let mut payload = a.payload;
    payload.extend(b.payload);
    let mut soft = a.soft;
    soft.extend(b.soft);
    State { verified: a.verified && b.verified, payload, soft }
}

fn catch_range(handler: &CatchClause) -> TextRange {
    let r = range_of(handler);
    TextRange::new(r.start, r.start + "catch".len() as u32)
}

fn negated_ident(test: &Expr) -> Option<String> {
    match peel(test) {
        Expr::Unary(u) if u.op == UnaryOp::Bang => match peel(&u.arg) {
            Expr::Ident(id) => Some(id.sym.as_str().to_owned()),
            _ => None,
        },
        Expr::Bin(b) if matches!(b.op, BinaryOp::EqEq | BinaryOp::EqEqEq) => match (peel(&b.left), peel(&b.right)) {
            (Expr::Ident(id), Expr::Lit(Lit::Null(_))) => Some(id.sym.as_str().to_owned()),
            (Expr::Ident(id), Expr::Ident(u)) if &*u.sym == "undefined" => Some(id.sym.as_str().to_owned()),
            _ => None,
        },
        Expr::Bin(b) if b.op == BinaryOp::LogicalOr => negated_ident(&b.left).or_else(|| negated_ident(&b.right)),
        _ => None,
    }
}

fn collect_assigned(stmts: &[Stmt], out: &mut Vec<String>) {
    struct Assigned<'o>(&'o mut Vec<String>);
    impl Visit for Assigned<'_> {
        fn visit_assign_expr(&mut self, a: &clerkguard_syntax::ast::AssignExpr) {
            if let AssignTarget::Simple(SimpleAssignTarget::Ident(id)) = &a.left {
                self.0.push(id.id.sym.as_str().to_owned());
            }
            a.visit_children_with(self);
        }
    }
    let mut v = Assigned(out);
    stmts.iter().for_each(|s| s.visit_with(&mut v));
}

fn never_returns(expr: &Expr) -> bool {
    let expr = match peel(expr) {
        Expr::Await(a) => peel(&a.arg),
        e => e,
    };
    matches!(expr, Expr::Call(c) if matches!(call_name(c).as_deref(), Some("redirect" | "notFound" | "process.exit")))
}

pub fn call_name(call: &CallExpr) -> Option<String> {
    match &call.callee {
        Callee::Expr(e) => Some(chain_names(e).join(".")),
        _ => None,
    }
}

struct Scan<'w, 'c, 'a> {
    walk: &'w mut Walk<'c, 'a>,
    state: &'w mut State,
    /// Calls directly under `await` (by range start).
    awaited: HashSet<u32>,
}

impl Visit for Scan<'_, '_, '_> {
    fn visit_await_expr(&mut self, a: &clerkguard_syntax::ast::AwaitExpr) {
        if let Expr::Call(c) = peel(&a.arg) {
            self.awaited.insert(range_of(c).start);
        }
        a.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        call.visit_children_with(self);
        let awaited = self.awaited.contains(&range_of(call).start);
        self.walk.on_call(call, awaited, self.state);
    }

    fn visit_tagged_tpl(&mut self, tpl: &clerkguard_syntax::ast::TaggedTpl) {
        tpl.visit_children_with(self);
        if tagged_template_effect(tpl).is_some() {
            if self.state.verified {
                self.walk.flow.verified_effects.push(range_of(tpl));
            } else {
                self.walk.flow.unverified_use.get_or_insert(range_of(tpl));
            }
        }
    }

    fn visit_assign_expr(&mut self, a: &clerkguard_syntax::ast::AssignExpr) {
        let verified_before = self.state.verified;
        a.visit_children_with(self);
        if let AssignTarget::Simple(SimpleAssignTarget::Ident(id)) = &a.left {
            let name = id.id.sym.as_str().to_owned();
            if !verified_before && self.state.verified {
                return;
            }
            if self.walk.is_soft_verification(&a.right) {
                self.state.soft.insert(name);
            } else if !self.state.verified && self.walk.derives_from_payload(&a.right, self.state) {
                self.state.payload.insert(name);
            }
        }
    }

    // Callbacks run later or not at all; their verification does not dominate anything, but
    // their effects count (`items.map(async (x) => db.x.create(...))`).
    fn visit_arrow_expr(&mut self, a: &clerkguard_syntax::ast::ArrowExpr) {
        let saved = self.state.verified;
        a.visit_children_with(self);
        self.state.verified = saved;
    }

    fn visit_function(&mut self, f: &clerkguard_syntax::ast::Function) {
        let saved = self.state.verified;
        f.visit_children_with(self);
        self.state.verified = saved;
    }
}

struct VerifyProbe<'c, 'a> {
    ctx: &'c FileContext<'a>,
    found: bool,
}

impl Visit for VerifyProbe<'_, '_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Callee::Expr(callee) = &call.callee {
            let names = chain_names(callee);
            let last = names.last().map(|s| s.trim_end_matches("()")).unwrap_or("");
            if self.ctx.semantics.clerk_fn_of_expr(callee) == Some(ClerkFn::VerifyWebhook)
                || last == "verifyWebhook"
                || (last == "verify" && names.len() >= 2)
            {
                self.found = true;
            }
        }
        call.visit_children_with(self);
    }
}

#[derive(Default)]
struct IdentUses(Vec<String>);

impl Visit for IdentUses {
    fn visit_ident(&mut self, id: &clerkguard_syntax::ast::Ident) {
        self.0.push(id.sym.as_str().to_owned());
    }
}

/// Whether the file disables Next's body parser for its Pages API route.
pub fn disables_body_parser(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("bodyParser:false")
}

/// Whether the file exports a Pages API `config` at all.
pub fn exports_config(text: &str) -> bool {
    text.contains("export const config")
}

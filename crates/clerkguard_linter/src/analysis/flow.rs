//! Guard flow: walks a function body in order and records, for every data effect, whether a
//! signed-in caller is guaranteed at that point on the path that reaches it.
//!
//! A path is *guarded* after `await auth.protect()`, after `if (!userId) throw/return/redirect`,
//! inside `if (userId) { ... }`, after calling a helper whose summary ensures a signed-in user,
//! and (for route handlers) after a signature or shared-secret check of the caller.

use std::rc::Rc;

use clerkguard_syntax::ast::{
    BinaryOp, BlockStmt, CallExpr, Callee, Decl, Expr, Lit, MemberExpr, ObjectPatProp, OptChainBase, Pat, Stmt, VarDecl,
};
use clerkguard_syntax::visit::{Visit, VisitWith};
use clerkguard_syntax::{Atom, TextRange};
use rustc_hash::FxHashMap as HashMap;

use super::ast_util::{
    as_member, chain_names, chain_parts, is_identity_name, member_prop_name, peel, prop_name, range_of,
};
use super::clerk_api::ClerkFn;
use super::conditions::{ConditionEnv, Polarity, test_polarity};
use super::effects::{Effect, EffectKind, call_effect, tagged_template_effect};
use super::functions::{FnBody, FnRef};
use super::locals::LocalFunctions;
use super::{FileSemantics, FunctionSummary, ReturnsSession, SummaryLookup};

/// What a session variable holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    UserId,
    AuthObject,
    User,
    Has,
    IsAuthenticated,
    OrgField,
    Claims,
}

#[derive(Clone, Debug)]
pub(crate) struct SessionVar {
    pub kind: SessionKind,
    pub decl: usize,
}

/// Where an auth result was bound.
#[derive(Clone, Debug)]
pub struct AuthDecl {
    /// The whole declaration statement (fixes insert after it).
    pub stmt_range: TextRange,
    pub call_range: TextRange,
    pub source: AuthSource,
    /// The local name holding the user id, or an expression for it (`session.userId`, `user`).
    pub user_check_expr: Option<String>,
    /// The object pattern of the declaration, when destructured (fixes add fields to it).
    pub pattern_range: Option<TextRange>,
    /// Names the pattern binds.
    pub bound_names: Vec<String>,
    /// First use of the result for data access before any check on that path.
    pub unchecked_use: Option<TextRange>,
    /// A null check of the result exists somewhere after the declaration.
    pub checked: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthSource {
    Auth,
    GetAuth,
    CurrentUser,
    Helper,
}

#[derive(Clone, Debug)]
pub struct EffectSite {
    pub range: TextRange,
    pub effect: Effect,
    pub guarded: bool,
    /// The most recent auth declaration on the path when the effect ran unguarded.
    pub unchecked_auth: Option<usize>,
}

/// An identity taken from the caller that reaches data access.
#[derive(Clone, Debug)]
pub struct IdentityUse {
    pub name: String,
    pub use_range: TextRange,
    pub effect: String,
}

#[derive(Clone, Debug, Default)]
pub struct FunctionFacts {
    pub auth_decls: Vec<AuthDecl>,
    pub effects: Vec<EffectSite>,
    pub identity_uses: Vec<IdentityUse>,
    /// Some guard (check, protect, guard helper) happened somewhere.
    pub guard_seen: bool,
    pub summary: FunctionSummary,
}

impl FunctionFacts {
    pub fn unguarded_effects(&self) -> impl Iterator<Item = &EffectSite> {
        self.effects.iter().filter(|e| !e.guarded)
    }
}

/// How the caller of this function is identified before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A helper (for summaries): parameters are not caller input.
    Helper,
    ServerFunction,
    RouteHandler,
    PagesApi,
    Page,
}

/// The walk's knowledge at one point. Each branch of a condition starts from a copy, and most
/// branches change none of the names: the collections are shared until a branch writes to one
/// (`Rc::make_mut`), so copying a state copies no names.
#[derive(Clone, Default)]
struct State {
    guarded: bool,
    vars: Rc<HashMap<String, SessionVar>>,
    /// Identity-named values that come from the caller.
    inputs: Rc<HashMap<String, TextRange>>,
    /// Objects that hold caller input (`await req.json()`, `formData`, `params`); only asked
    /// whether it holds a name.
    input_objects: Rc<Vec<String>>,
    last_auth: Option<usize>,
}

impl State {
    fn join(a: State, b: State) -> State {
        State {
            guarded: a.guarded && b.guarded,
            vars: union(a.vars, &b.vars),
            inputs: union(a.inputs, &b.inputs),
            input_objects: if Rc::ptr_eq(&a.input_objects, &b.input_objects) {
                a.input_objects
            } else {
                let mut objects = a.input_objects;
                Rc::make_mut(&mut objects).extend(b.input_objects.iter().cloned());
                objects
            },
            last_auth: a.last_auth.or(b.last_auth),
        }
    }

    fn vars_mut(&mut self) -> &mut HashMap<String, SessionVar> {
        Rc::make_mut(&mut self.vars)
    }

    fn inputs_mut(&mut self) -> &mut HashMap<String, TextRange> {
        Rc::make_mut(&mut self.inputs)
    }

    fn input_objects_mut(&mut self) -> &mut Vec<String> {
        Rc::make_mut(&mut self.input_objects)
    }
}

/// `a` with the entries of `b` (`b`'s value where both have a name), shared when they are the
/// same map (a branch that changed nothing).
fn union<V: Clone>(a: Rc<HashMap<String, V>>, b: &Rc<HashMap<String, V>>) -> Rc<HashMap<String, V>> {
    if Rc::ptr_eq(&a, b) || b.is_empty() {
        return a;
    }
    let mut a = a;
    Rc::make_mut(&mut a).extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
    a
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flow {
    Exits,
    FallsThrough,
}

struct ReturnPoint {
    guarded: bool,
    /// `return;`, `null`, `undefined`, `false`.
    nullish: bool,
    session: Option<SessionKind>,
    /// The returned value is truthy only for a signed-in caller (`has(...)`, `true` after a guard).
    signed_in_predicate: bool,
}

/// The condition environment of a point in the walk.
struct Env<'s, 'a, 'b> {
    an: &'s Analyzer<'a>,
    state: &'s State,
    caller_checks: bool,
    _walk: std::marker::PhantomData<&'b ()>,
}

impl ConditionEnv for Env<'_, '_, '_> {
    fn var_kind(&self, name: &str) -> Option<SessionKind> {
        self.state.vars.get(name).map(|v| v.kind)
    }

    fn is_signed_in_predicate(&self, callee: &Expr) -> bool {
        self.an.summary_of_callee(callee).is_some_and(|s| s.returns == ReturnsSession::SignedInPredicate)
    }

    fn caller_checks(&self) -> bool {
        self.caller_checks
    }
}

pub struct Analyzer<'a> {
    pub sem: &'a FileSemantics,
    pub summaries: &'a dyn SummaryLookup,
    pub locals: &'a LocalFunctions<'a>,
    pub extra_guards: &'a [String],
}

impl<'a> Analyzer<'a> {
    /// Analyses one function as an entry point of the given kind.
    pub fn analyze(&self, func: FnRef<'_>, kind: EntryKind) -> FunctionFacts {
        let mut walk = Walk { an: self, kind, facts: FunctionFacts::default(), returns: Vec::new() };
        let mut state = State::default();
        walk.seed_params(func, &mut state);
        let flow = match func.body() {
            Some(FnBody::Block(stmts)) => walk.stmts(stmts, &mut state),
            Some(FnBody::Expr(expr)) => {
                walk.expr(expr, &mut state);
                walk.record_return(Some(expr), &state);
                Flow::Exits
            }
            None => Flow::FallsThrough,
        };
        if flow == Flow::FallsThrough {
            walk.returns.push(ReturnPoint {
                guarded: state.guarded,
                nullish: true,
                session: None,
                signed_in_predicate: false,
            });
        }
        let never_returns = flow == Flow::Exits && walk.returns.is_empty();
        let mut facts = walk.finish();
        facts.summary.never_returns = never_returns;
        facts
    }

    /// The summary of a called function, local or imported.
    pub fn summary_of_callee(&self, callee: &Expr) -> Option<FunctionSummary> {
        match peel(callee) {
            Expr::Ident(id) => {
                if let Some(summary) = self.locals.summary(&id.sym, self) {
                    return Some(summary);
                }
                let binding = self.sem.imports.get(&*id.sym)?;
                let name = match &binding.imported {
                    super::ImportedName::Named(n) => n.as_str(),
                    super::ImportedName::Default => "default",
                    super::ImportedName::Namespace => return None,
                };
                self.summaries.imported(&binding.source, name)
            }
            other => {
                let (obj, prop) = as_member(other)?;
                let Expr::Ident(ns) = peel(obj) else { return None };
                let binding = self.sem.imports.get(&*ns.sym)?;
                (binding.imported == super::ImportedName::Namespace)
                    .then(|| self.summaries.imported(&binding.source, &prop))?
            }
        }
    }

    fn is_extra_guard(&self, callee: &Expr) -> bool {
        if self.extra_guards.is_empty() {
            return false; // (most projects configure none; naming the chain allocates)
        }
        let names = chain_names(callee);
        names.last().is_some_and(|last| self.extra_guards.iter().any(|g| g == last))
    }
}

struct Walk<'a, 'b> {
    an: &'b Analyzer<'a>,
    kind: EntryKind,
    facts: FunctionFacts,
    returns: Vec<ReturnPoint>,
}

impl<'a, 'b> Walk<'a, 'b> {
    fn finish(mut self) -> FunctionFacts {
        let guarded_returns = self.returns.iter().all(|r| r.guarded);
        let summary = &mut self.facts.summary;
        summary.ensures_signed_in = self.facts.guard_seen && guarded_returns;
        let unguarded: Vec<&ReturnPoint> = self.returns.iter().filter(|r| !r.guarded).collect();
        let is_user = |r: &&ReturnPoint| matches!(r.session, Some(SessionKind::User | SessionKind::UserId));
        // Returns the session user (null when signed out), or a value only after checking it.
        let returns_user =
            self.returns.iter().any(|r| is_user(&r)) && unguarded.iter().all(|r| r.nullish || is_user(r));
        let null_unless_signed_in = self.facts.guard_seen
            && !unguarded.is_empty()
            && unguarded.iter().all(|r| r.nullish)
            && self.returns.iter().any(|r| r.guarded && !r.nullish);
        let predicate = self.returns.iter().any(|r| r.signed_in_predicate)
            && self.returns.iter().all(|r| r.signed_in_predicate || (r.nullish && r.session.is_none()));
        summary.returns = if self.returns.iter().any(|r| r.session == Some(SessionKind::AuthObject)) {
            ReturnsSession::AuthObject
        } else if predicate {
            ReturnsSession::SignedInPredicate
        } else if !summary.ensures_signed_in && (returns_user || null_unless_signed_in) {
            ReturnsSession::Nullable
        } else {
            ReturnsSession::Nothing
        };
        summary.performs_effect = !self.facts.effects.is_empty();
        summary.performs_mutation = self.facts.effects.iter().any(|e| e.effect.kind == EffectKind::Mutation);
        self.facts
    }

    fn seed_params(&mut self, func: FnRef<'_>, state: &mut State) {
        if self.kind == EntryKind::Helper || self.kind == EntryKind::Page {
            return;
        }
        for (index, pat) in func.params().into_iter().enumerate() {
            match pat {
                Pat::Ident(b) => {
                    let name = b.id.sym.as_str().to_owned();
                    if self.kind == EntryKind::ServerFunction {
                        if is_identity_name(&name) && !name.eq_ignore_ascii_case("user") {
                            state.inputs_mut().insert(name, range_of(&b.id));
                        } else {
                            state.input_objects_mut().push(name);
                        }
                    } else if index == 0 || self.kind == EntryKind::RouteHandler {
                        // `req`, and the route context `{ params }` holder.
                        state.input_objects_mut().push(name);
                    }
                }
                Pat::Object(obj) => {
                    for PatField { key, local, range } in pattern_fields(obj) {
                        if is_server_provided(&key) {
                            // `{ parsedInput, ctx }` of next-safe-action and similar wrappers:
                            // `ctx` comes from the server-side middleware, not the caller.
                            continue;
                        } else if is_identity_name(&key) && self.kind == EntryKind::ServerFunction {
                            state.inputs_mut().insert(local, range);
                        } else {
                            // `{ params }`, `{ searchParams }` of a route handler / page.
                            state.input_objects_mut().push(local);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn block(&mut self, block: &BlockStmt, state: &mut State) -> Flow {
        self.stmts(&block.stmts, state)
    }

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
            Stmt::Block(b) => self.block(b, state),
            Stmt::Expr(e) => {
                self.expr(&e.expr, state);
                if expr_never_returns(&e.expr) || self.calls_never_returning_helper(&e.expr) {
                    Flow::Exits
                } else {
                    Flow::FallsThrough
                }
            }
            Stmt::Decl(Decl::Var(var)) => {
                self.var_decl(var, range_of(stmt), state);
                Flow::FallsThrough
            }
            Stmt::Decl(_) => Flow::FallsThrough,
            Stmt::Return(ret) => {
                if let Some(arg) = &ret.arg {
                    self.expr(arg, state);
                }
                self.record_return(ret.arg.as_deref(), state);
                Flow::Exits
            }
            Stmt::Throw(t) => {
                self.expr(&t.arg, state);
                Flow::Exits
            }
            Stmt::If(if_stmt) => {
                self.expr(&if_stmt.test, state);
                let polarity = test_polarity(&if_stmt.test, &self.env(state));
                if polarity.is_some() {
                    self.mark_checked(&if_stmt.test, state);
                }
                let mut cons_state = state.clone();
                let mut alt_state = state.clone();
                match polarity {
                    Some(Polarity::SignedInWhenTrue) => cons_state.guarded = true,
                    Some(Polarity::SignedOutWhenTrue) => alt_state.guarded = true,
                    None => {}
                }
                let cons_flow = self.stmt(&if_stmt.cons, &mut cons_state);
                let alt_flow = match &if_stmt.alt {
                    Some(alt) => self.stmt(alt, &mut alt_state),
                    None => Flow::FallsThrough,
                };
                if polarity.is_some() && (cons_flow == Flow::Exits || alt_flow == Flow::Exits) {
                    self.facts.guard_seen = true;
                }
                match (cons_flow, alt_flow) {
                    (Flow::Exits, Flow::Exits) => return Flow::Exits,
                    (Flow::Exits, Flow::FallsThrough) => *state = alt_state,
                    (Flow::FallsThrough, Flow::Exits) => *state = cons_state,
                    (Flow::FallsThrough, Flow::FallsThrough) => *state = State::join(cons_state, alt_state),
                }
                Flow::FallsThrough
            }
            Stmt::Try(t) => {
                let before = state.clone();
                let block_flow = self.block(&t.block, state);
                let mut flow = block_flow;
                if let Some(handler) = &t.handler {
                    let mut catch_state = before.clone();
                    let catch_flow = self.block(&handler.body, &mut catch_state);
                    flow = match (block_flow, catch_flow) {
                        (Flow::Exits, Flow::Exits) => Flow::Exits,
                        (Flow::Exits, Flow::FallsThrough) => {
                            *state = catch_state;
                            Flow::FallsThrough
                        }
                        (Flow::FallsThrough, Flow::Exits) => Flow::FallsThrough,
                        (Flow::FallsThrough, Flow::FallsThrough) => {
                            let taken = std::mem::take(state);
                            *state = State::join(taken, catch_state);
                            Flow::FallsThrough
                        }
                    };
                }
                if let Some(finalizer) = &t.finalizer
                    && self.block(finalizer, state) == Flow::Exits
                {
                    return Flow::Exits;
                }
                flow
            }
            Stmt::Labeled(l) => self.stmt(&l.body, state),
            Stmt::While(w) => {
                self.expr(&w.test, state);
                self.loop_body(&w.body, state)
            }
            Stmt::DoWhile(w) => {
                let flow = self.stmt(&w.body, state);
                self.expr(&w.test, state);
                flow
            }
            Stmt::For(f) => {
                if let Some(test) = &f.test {
                    self.expr(test, state);
                }
                self.loop_body(&f.body, state)
            }
            Stmt::ForIn(f) => {
                self.expr(&f.right, state);
                self.loop_body(&f.body, state)
            }
            Stmt::ForOf(f) => {
                self.expr(&f.right, state);
                self.loop_body(&f.body, state)
            }
            Stmt::Switch(s) => {
                self.expr(&s.discriminant, state);
                let mut merged: Option<State> = None;
                let mut all_exit = s.cases.iter().any(|c| c.test.is_none());
                for case in &s.cases {
                    let mut case_state = state.clone();
                    if self.stmts(&case.cons, &mut case_state) == Flow::FallsThrough {
                        all_exit = false;
                        merged = Some(match merged {
                            Some(m) => State::join(m, case_state),
                            None => case_state,
                        });
                    }
                }
                if all_exit && !s.cases.is_empty() {
                    return Flow::Exits;
                }
                if let Some(m) = merged {
                    let taken = std::mem::take(state);
                    *state = State::join(taken, m);
                }
                Flow::FallsThrough
            }
            _ => Flow::FallsThrough,
        }
    }

    /// `throwUnauthorized()` — a helper that always throws or redirects.
    fn calls_never_returning_helper(&self, expr: &Expr) -> bool {
        let expr = match peel(expr) {
            Expr::Await(a) => peel(&a.arg),
            e => e,
        };
        let Expr::Call(call) = expr else { return false };
        let Callee::Expr(callee) = &call.callee else { return false };
        self.an.summary_of_callee(callee).is_some_and(|s| s.never_returns)
    }

    fn loop_body(&mut self, body: &Stmt, state: &mut State) -> Flow {
        let mut inner = state.clone();
        self.stmt(body, &mut inner);
        Flow::FallsThrough
    }

    fn allows_caller_checks(&self) -> bool {
        matches!(self.kind, EntryKind::RouteHandler | EntryKind::PagesApi)
    }

    fn env<'s>(&'s self, state: &'s State) -> Env<'s, 'a, 'b> {
        Env { an: self.an, state, caller_checks: self.allows_caller_checks(), _walk: std::marker::PhantomData }
    }

    fn record_return(&mut self, arg: Option<&Expr>, state: &State) {
        let arg = arg.map(|a| match peel(a) {
            Expr::Await(inner) => peel(&inner.arg),
            other => other,
        });
        let (nullish, session, signed_in_predicate) = match arg {
            None => (true, None, false),
            Some(Expr::Lit(Lit::Null(_))) => (true, None, false),
            Some(Expr::Lit(Lit::Bool(b))) => (!b.value, None, b.value && state.guarded),
            Some(Expr::Ident(id)) if &*id.sym == "undefined" => (true, None, false),
            Some(expr) => {
                let session = self.session_kind_of(expr, state);
                // Returning the session itself is not a predicate; returning `has(...)` or a
                // comparison on it is.
                let predicate = matches!(session, None | Some(SessionKind::IsAuthenticated))
                    && test_polarity(expr, &self.env(state)) == Some(Polarity::SignedInWhenTrue);
                (false, session, predicate)
            }
        };
        self.returns.push(ReturnPoint { guarded: state.guarded, nullish, session, signed_in_predicate });
    }

    /// What session value an expression evaluates to.
    fn session_kind_of(&self, expr: &Expr, state: &State) -> Option<SessionKind> {
        let expr = match peel(expr) {
            Expr::Await(a) => peel(&a.arg),
            e => e,
        };
        match expr {
            Expr::Ident(id) => state.vars.get(&*id.sym).map(|v| v.kind),
            Expr::Call(call) => match self.an.sem.clerk_call(&call.callee) {
                Some(ClerkFn::Auth | ClerkFn::GetAuth) => Some(SessionKind::AuthObject),
                Some(ClerkFn::CurrentUser) => Some(SessionKind::User),
                _ => {
                    let Callee::Expr(callee) = &call.callee else { return None };
                    match self.an.summary_of_callee(callee)?.returns {
                        ReturnsSession::Nullable => Some(SessionKind::User),
                        ReturnsSession::AuthObject => Some(SessionKind::AuthObject),
                        ReturnsSession::SignedInPredicate => Some(SessionKind::IsAuthenticated),
                        ReturnsSession::Nothing => None,
                    }
                }
            },
            other => {
                let (obj, prop) = as_member(other)?;
                let base = self.session_kind_of(obj, state)?;
                match (base, &*prop) {
                    (SessionKind::AuthObject, "userId") | (SessionKind::User, "id") => Some(SessionKind::UserId),
                    (SessionKind::AuthObject, "orgId" | "orgRole" | "orgSlug") => Some(SessionKind::OrgField),
                    (SessionKind::AuthObject, "sessionClaims") => Some(SessionKind::Claims),
                    (SessionKind::User, _) => Some(SessionKind::User),
                    _ => None,
                }
            }
        }
    }

    fn var_decl(&mut self, var: &VarDecl, stmt_range: TextRange, state: &mut State) {
        for decl in &var.decls {
            let Some(init) = &decl.init else { continue };
            self.expr(init, state);
            let init_peeled = match peel(init) {
                Expr::Await(a) => peel(&a.arg),
                e => e,
            };
            // Caller input objects: `await req.json()`, `await req.formData()`, `req.body`, `searchParams`.
            if self.is_input_source(init_peeled, state) {
                self.bind_input(&decl.name, state);
                continue;
            }
            if let Some(identity) = self.identity_input_expr(init_peeled, state) {
                if let Pat::Ident(b) = &decl.name {
                    state.inputs_mut().insert(b.id.sym.as_str().to_owned(), identity);
                }
                continue;
            }
            // `const isOwner = post.authorId === userId`: a boolean true only when signed in.
            if let Pat::Ident(b) = &decl.name
                && test_polarity(init_peeled, &self.env(state)) == Some(Polarity::SignedInWhenTrue)
                && !matches!(init_peeled, Expr::Call(_))
            {
                state.vars_mut().insert(
                    b.id.sym.as_str().to_owned(),
                    SessionVar { kind: SessionKind::IsAuthenticated, decl: usize::MAX },
                );
                continue;
            }
            let source = match init_peeled {
                Expr::Call(call) => match self.an.sem.clerk_call(&call.callee) {
                    Some(ClerkFn::Auth) => Some((AuthSource::Auth, SessionKind::AuthObject)),
                    Some(ClerkFn::GetAuth) => Some((AuthSource::GetAuth, SessionKind::AuthObject)),
                    Some(ClerkFn::CurrentUser) => Some((AuthSource::CurrentUser, SessionKind::User)),
                    _ => self.helper_source(call, state),
                },
                other => self.session_kind_of(other, state).map(|k| (AuthSource::Helper, k)),
            };
            let Some((source, kind)) = source else { continue };
            // `const x = session.userId` — an alias of an existing declaration.
            if let (AuthSource::Helper, Pat::Ident(b)) = (source, &decl.name)
                && let Some(root) = super::ast_util::chain_root(init_peeled)
                && let Some(existing) = state.vars.get(root).cloned()
            {
                state.vars_mut().insert(b.id.sym.as_str().to_owned(), SessionVar { kind, decl: existing.decl });
                continue;
            }
            let index = self.facts.auth_decls.len();
            let mut decl_info = AuthDecl {
                stmt_range,
                call_range: range_of(init),
                source,
                user_check_expr: None,
                pattern_range: None,
                bound_names: Vec::new(),
                unchecked_use: None,
                checked: false,
            };
            match &decl.name {
                Pat::Ident(b) => {
                    let name = b.id.sym.as_str().to_owned();
                    decl_info.user_check_expr = Some(match kind {
                        SessionKind::AuthObject => format!("{name}.userId"),
                        _ => name.clone(),
                    });
                    decl_info.bound_names.push(name.clone());
                    state.vars_mut().insert(name, SessionVar { kind, decl: index });
                }
                Pat::Object(obj) => {
                    decl_info.pattern_range = Some(range_of(obj));
                    for PatField { key, local, .. } in pattern_fields(obj) {
                        let field_kind = match (kind, key.as_str()) {
                            (SessionKind::AuthObject, "userId") => SessionKind::UserId,
                            (SessionKind::AuthObject, "has") => SessionKind::Has,
                            (SessionKind::AuthObject, "isAuthenticated" | "isSignedIn") => SessionKind::IsAuthenticated,
                            (SessionKind::AuthObject, "orgId" | "orgRole" | "orgSlug" | "orgPermissions") => {
                                SessionKind::OrgField
                            }
                            (SessionKind::AuthObject, "sessionClaims") => SessionKind::Claims,
                            (SessionKind::User, "id") => SessionKind::UserId,
                            (SessionKind::User, _) => SessionKind::User,
                            _ => {
                                decl_info.bound_names.push(local);
                                continue;
                            }
                        };
                        if field_kind == SessionKind::UserId {
                            decl_info.user_check_expr = Some(local.clone());
                        }
                        decl_info.bound_names.push(local.clone());
                        state.vars_mut().insert(local, SessionVar { kind: field_kind, decl: index });
                    }
                }
                _ => continue,
            }
            self.facts.auth_decls.push(decl_info);
            state.last_auth = Some(index);
        }
    }

    /// A call to a helper that returns the session (or guards it).
    fn helper_source(&mut self, call: &CallExpr, _state: &State) -> Option<(AuthSource, SessionKind)> {
        let Callee::Expr(callee) = &call.callee else { return None };
        let summary = self.an.summary_of_callee(callee)?;
        match summary.returns {
            _ if summary.ensures_signed_in => None,
            ReturnsSession::Nullable => Some((AuthSource::Helper, SessionKind::User)),
            ReturnsSession::AuthObject => Some((AuthSource::Helper, SessionKind::AuthObject)),
            ReturnsSession::SignedInPredicate => Some((AuthSource::Helper, SessionKind::IsAuthenticated)),
            ReturnsSession::Nothing => None,
        }
    }

    fn is_input_source(&self, expr: &Expr, state: &State) -> bool {
        if self.kind == EntryKind::Helper || self.kind == EntryKind::Page {
            return false;
        }
        // (Called for every declaration: the chain's names borrowed, not spelled out.)
        let names = chain_parts(expr);
        let Some((root, _)) = names.first() else { return false };
        let root_is_input = state.input_objects.iter().any(|o| o == root);
        let last: &str = names.last().map_or("", |(name, _)| name);
        if root_is_input {
            return names.len() == 1
                || matches!(last, "json" | "formData" | "body" | "query" | "params" | "searchParams" | "text");
        }
        // `new URL(req.url).searchParams`, `req.nextUrl.searchParams`
        last == "searchParams"
            && names.iter().any(|(name, calls)| (name == "nextUrl" && *calls == 0) || name.starts_with("URL"))
    }

    fn bind_input(&mut self, pat: &Pat, state: &mut State) {
        match pat {
            Pat::Ident(b) => state.input_objects_mut().push(b.id.sym.as_str().to_owned()),
            Pat::Object(obj) => {
                // `{ userId, ...rest } = await req.json()`: the rest is caller input too.
                for prop in &obj.props {
                    if let ObjectPatProp::Rest(r) = prop
                        && let Pat::Ident(b) = &*r.arg
                    {
                        state.input_objects_mut().push(b.id.sym.as_str().to_owned());
                    }
                }
                for PatField { key, local, range } in pattern_fields(obj) {
                    if is_identity_name(&key) {
                        state.inputs_mut().insert(local, range);
                    } else {
                        state.input_objects_mut().push(local);
                    }
                }
            }
            _ => {}
        }
    }

    /// `body.userId`, `formData.get("userId")`, `searchParams.get("userId")`, `params.userId`.
    /// Where `expr` reads an identity the caller supplied (`body.userId`, `searchParams.get("userId")`).
    fn identity_input_expr(&self, expr: &Expr, state: &State) -> Option<TextRange> {
        let member = match peel(expr) {
            Expr::Member(m) => Some(m),
            Expr::OptChain(o) => match &*o.base {
                OptChainBase::Member(m) => Some(m),
                OptChainBase::Call(_) => None,
            },
            _ => None,
        };
        match (member, expr) {
            (Some(m), _) => self.identity_input_member(m, state).map(|_| range_of(expr)),
            (None, Expr::Call(call)) => self.identity_input_call(call, state),
            (None, _) => None,
        }
    }

    /// `body.userId` where `body` holds caller input: where the identity is read.
    fn identity_input_member(&self, member: &MemberExpr, state: &State) -> Option<TextRange> {
        if self.kind == EntryKind::Helper || self.kind == EntryKind::Page {
            return None;
        }
        let prop = member_prop_name(&member.prop)?;
        if !is_identity_name(&prop) || state.input_objects.is_empty() {
            return None;
        }
        let names = chain_names(&member.obj);
        let root = names.first()?.trim_end_matches("()");
        state.input_objects.iter().any(|o| o == root).then(|| range_of(member))
    }

    /// `searchParams.get("userId")` (or `formData.get(...)` of caller input): where the identity
    /// is read.
    fn identity_input_call(&self, call: &CallExpr, state: &State) -> Option<TextRange> {
        if self.kind == EntryKind::Helper || self.kind == EntryKind::Page {
            return None;
        }
        let Callee::Expr(callee) = &call.callee else { return None };
        let (obj, method) = as_member(callee)?;
        if !matches!(&*method, "get" | "getAll") {
            return None;
        }
        let key = call.args.first().and_then(|a| match peel(&a.expr) {
            Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
            _ => None,
        })?;
        if !is_identity_name(&key) {
            return None;
        }
        let names = chain_names(obj);
        let root = names.first()?.trim_end_matches("()");
        let from_input =
            state.input_objects.iter().any(|o| o == root) || names.last().is_some_and(|l| l == "searchParams");
        from_input.then(|| range_of(call))
    }

    fn mark_checked<N: VisitWith<IdentCollector>>(&mut self, test: &N, state: &mut State) {
        let mut names = IdentCollector::default();
        test.visit_with(&mut names);
        let compares_with_session = names.compares_with_session(&state.vars);
        for (name, _) in names.idents {
            if let Some(var) = state.vars.get(&*name)
                && let Some(decl) = self.facts.auth_decls.get_mut(var.decl)
            {
                decl.checked = true;
            }
            // Comparing a caller-supplied id with the session's is the ownership check.
            if compares_with_session {
                state.inputs_mut().remove(&*name);
            }
        }
    }

    /// Scans an expression in evaluation order for effects, guards and uses.
    fn expr(&mut self, expr: &Expr, state: &mut State) {
        let mut scan = ExprScan { walk: self, state };
        expr.visit_with(&mut scan);
    }

    fn on_call(&mut self, call: &CallExpr, state: &mut State) {
        let Callee::Expr(callee) = &call.callee else { return };
        let sem = self.an.sem;
        // Guards by call.
        if sem.is_any_protect_callee(callee) || self.an.is_extra_guard(callee) {
            self.set_guarded(state);
            return;
        }
        if self.allows_caller_checks() && is_caller_verification(callee) {
            self.set_guarded(state);
            return;
        }
        if let Some(effect) = call_effect(call, sem) {
            self.record_effect(range_of(call), effect, call.args.iter().map(|a| &*a.expr), state);
            return;
        }
        if sem.clerk_call(&call.callee).is_some() {
            return;
        }
        if let Some(summary) = self.an.summary_of_callee(callee) {
            if summary.ensures_signed_in {
                self.set_guarded(state);
            } else if summary.returns != ReturnsSession::Nothing {
                // A session lookup (`getSelf()`, `currentProfile()`): its own data access happens
                // after its own check; what matters is whether the caller checks its result.
            } else if summary.performs_effect {
                let kind = if summary.performs_mutation { EffectKind::Mutation } else { EffectKind::Read };
                let what = format!("{}()", chain_names(callee).join("."));
                self.record_effect(range_of(call), Effect { kind, what }, call.args.iter().map(|a| &*a.expr), state);
            }
        }
    }

    fn set_guarded(&mut self, state: &mut State) {
        state.guarded = true;
        self.facts.guard_seen = true;
    }

    fn record_effect<'e>(
        &mut self,
        range: TextRange,
        effect: Effect,
        args: impl Iterator<Item = &'e Expr> + Clone,
        state: &mut State,
    ) {
        let mut uses = IdentCollector::default();
        let mut identity_inputs = IdentityInputs { walk: self, state, found: Vec::new() };
        for arg in args {
            arg.visit_with(&mut uses);
            arg.visit_with(&mut identity_inputs);
        }
        let identity_inputs = identity_inputs.found;
        if !state.guarded {
            for (name, use_range) in &uses.idents {
                if let Some(var) = state.vars.get(&**name)
                    && matches!(
                        var.kind,
                        SessionKind::UserId | SessionKind::User | SessionKind::AuthObject | SessionKind::OrgField
                    )
                    && let Some(decl) = self.facts.auth_decls.get_mut(var.decl)
                {
                    decl.unchecked_use.get_or_insert(*use_range);
                }
            }
        }
        for (name, use_range) in &uses.idents {
            if state.inputs.contains_key(&**name) {
                self.facts.identity_uses.push(IdentityUse {
                    name: name.to_string(),
                    use_range: *use_range,
                    effect: effect.what.clone(),
                });
            }
        }
        for (name, range) in identity_inputs {
            self.facts.identity_uses.push(IdentityUse { name, use_range: range, effect: effect.what.clone() });
        }
        self.facts.effects.push(EffectSite {
            range,
            effect,
            guarded: state.guarded,
            unchecked_auth: if state.guarded { None } else { state.last_auth },
        });
    }
}

/// One `key: local` (or shorthand `local`) field of an object pattern with a plain binding.
struct PatField {
    key: String,
    local: String,
    range: TextRange,
}

/// The fields of an object pattern that bind a plain identifier (rest and nested patterns left out).
fn pattern_fields(obj: &clerkguard_syntax::ast::ObjectPat) -> Vec<PatField> {
    obj.props
        .iter()
        .filter_map(|prop| match prop {
            ObjectPatProp::KeyValue(kv) => {
                let Pat::Ident(local) = &*kv.value else { return None };
                Some(PatField {
                    key: prop_name(&kv.key).unwrap_or_default().into_owned(),
                    local: local.id.sym.as_str().to_owned(),
                    range: range_of(&local.id),
                })
            }
            ObjectPatProp::Assign(a) => Some(PatField {
                key: a.key.id.sym.as_str().to_owned(),
                local: a.key.id.sym.as_str().to_owned(),
                range: range_of(&a.key.id),
            }),
            ObjectPatProp::Rest(_) => None,
        })
        .collect()
}

/// Parameters that wrappers fill on the server (`ctx` of next-safe-action, tRPC, zsa).
fn is_server_provided(name: &str) -> bool {
    matches!(name, "ctx" | "context" | "session" | "auth")
}

/// Calls that verify the caller by signature or shared secret (webhooks, cron jobs).
fn is_caller_verification(callee: &Expr) -> bool {
    // The last name of the chain (borrowed: this runs for every call of a route handler).
    let parts = chain_parts(callee);
    let Some((last, _)) = parts.last() else { return false };
    let last = last.trim_end_matches("()").to_ascii_lowercase();
    last.starts_with("verify")
        || last.contains("constructevent")
        || last == "timingsafeequal"
        || last.contains("validatesignature")
        || last.contains("checksignature")
        || last.contains("validatewebhook")
}

/// Calls that never return normally.
fn expr_never_returns(expr: &Expr) -> bool {
    let expr = match peel(expr) {
        Expr::Await(a) => peel(&a.arg),
        e => e,
    };
    let Expr::Call(call) = expr else { return false };
    let Callee::Expr(callee) = &call.callee else { return false };
    // A called part (`clerk()`) names nothing below: it stands in as `()`.
    let parts = chain_parts(callee);
    matches!(
        parts.iter().map(|(name, calls)| if *calls == 0 { &**name } else { "()" }).collect::<Vec<_>>().as_slice(),
        ["redirect"
            | "notFound"
            | "unauthorized"
            | "forbidden"
            | "permanentRedirect"
            | "redirectToSignIn"
            | "redirectToSignUp"]
            | ["process", "exit"]
            | [_, "redirectToSignIn"]
    )
}

struct ExprScan<'w, 'a, 'b> {
    walk: &'w mut Walk<'a, 'b>,
    state: &'w mut State,
}

impl Visit for ExprScan<'_, '_, '_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        // Arguments are evaluated before the call runs.
        call.visit_children_with(self);
        self.walk.on_call(call, self.state);
    }

    fn visit_tagged_tpl(&mut self, tpl: &clerkguard_syntax::ast::TaggedTpl) {
        tpl.visit_children_with(self);
        if let Some(effect) = tagged_template_effect(tpl) {
            self.walk.record_effect(range_of(tpl), effect, tpl.tpl.exprs.iter().map(|e| &**e), self.state);
        }
    }

    fn visit_bin_expr(&mut self, bin: &clerkguard_syntax::ast::BinExpr) {
        bin.visit_children_with(self);
        // Comparisons in expressions (`ok = input.userId === userId`) also count as ownership checks.
        if matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::NotEqEq | BinaryOp::EqEq | BinaryOp::NotEq) {
            self.walk.mark_checked(bin, self.state);
        }
    }

    crate::analysis::functions::skip_inline_server_functions!();

    fn visit_class(&mut self, _: &clerkguard_syntax::ast::Class) {}
}

/// Identifiers used inside an expression.
#[derive(Default)]
pub(crate) struct IdentCollector {
    /// Names as the tree's atoms: cloning one is cheaper than spelling it out.
    pub idents: Vec<(Atom, TextRange)>,
}

impl IdentCollector {
    fn compares_with_session(&self, vars: &HashMap<String, SessionVar>) -> bool {
        self.idents.iter().any(|(n, _)| vars.contains_key(&**n))
    }
}

impl Visit for IdentCollector {
    fn visit_ident(&mut self, id: &clerkguard_syntax::ast::Ident) {
        self.idents.push((id.sym.clone(), range_of(id)));
    }
}

/// Caller-supplied identities read in an effect's arguments (`body.userId`,
/// `searchParams.get("userId")`), outermost first, in source order: (chain, where read).
struct IdentityInputs<'w, 'a, 'b> {
    walk: &'w Walk<'a, 'b>,
    state: &'w State,
    found: Vec<(String, TextRange)>,
}

impl Visit for IdentityInputs<'_, '_, '_> {
    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if let Some(range) = self.walk.identity_input_member(m, self.state) {
            self.found.push((chain_names(&Expr::Member(m.clone())).join("."), range));
        }
        m.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Some(range) = self.walk.identity_input_call(c, self.state) {
            self.found.push((chain_names(&Expr::Call(c.clone())).join("."), range));
        }
        c.visit_children_with(self);
    }
}

//! Where a value in a query filter comes from: the session (`userId`, `orgId` from `auth()`),
//! the caller (parameters of a Server Function, the request body, route params, search params),
//! a literal, or anything else (a database record, a computed value).
//!
//! Names are tracked per function, in source order and without scopes: a function binds its
//! session and its input once, near the top, and reusing those names for something else in a
//! nested block is rare enough not to matter.

use clerkguard_syntax::ast::{BinaryOp, Callee, Expr, ObjectPatProp, Pat, VarDeclarator};
use clerkguard_syntax::visit::{Visit, VisitWith};
use rustc_hash::FxHashMap as HashMap;

use crate::analysis::FileSemantics;
use crate::analysis::ReturnsSession;
use crate::analysis::ast_util::{as_member, peel, prop_name};
use crate::analysis::clerk_api::ClerkFn;
use crate::analysis::flow::{Analyzer, EntryKind};
use crate::analysis::functions::{FnBody, FnRef};

/// Where a filter value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueSource {
    /// The signed-in user's id (`userId` from `auth()`, `user.id` from `currentUser()`).
    SessionUser,
    /// The active organization's id (`orgId` from `auth()`).
    SessionOrg,
    /// Sent by the caller: action arguments, body, form data, route or search params.
    Input,
    Literal,
    Other,
}

impl ValueSource {
    pub fn is_session(self) -> bool {
        matches!(self, Self::SessionUser | Self::SessionOrg)
    }

    /// Of two sources mixed in one value (`a ?? b`), the one that matters for security:
    /// caller input taints, then the session, then the rest.
    fn strongest(self, other: Self) -> Self {
        let rank = |s: Self| match s {
            Self::Input => 4,
            Self::SessionOrg => 3,
            Self::SessionUser => 2,
            Self::Other => 1,
            Self::Literal => 0,
        };
        if rank(other) > rank(self) { other } else { self }
    }
}

/// What a local name holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The object `auth()` / `getAuth(req)` / `auth.protect()` returns.
    AuthObject,
    /// `currentUser()`'s result (its `id` is the user id).
    User,
    UserId,
    OrgId,
    OrgRole,
    /// The `has` function of an auth object.
    Has,
    SessionClaims,
    /// A project helper that returns the session in some shape (`getSession()`, `requireOrg()`).
    HelperSession,
    Input,
    Literal,
    Other,
}

impl Origin {
    pub fn value(self) -> ValueSource {
        match self {
            Self::UserId => ValueSource::SessionUser,
            Self::OrgId => ValueSource::SessionOrg,
            Self::Input => ValueSource::Input,
            Self::Literal => ValueSource::Literal,
            _ => ValueSource::Other,
        }
    }

    /// The origin of `<self>.<prop>`.
    fn field(self, prop: &str) -> Origin {
        match (self, prop) {
            (Self::AuthObject | Self::HelperSession, "userId") => Self::UserId,
            (Self::AuthObject | Self::HelperSession, "orgId") => Self::OrgId,
            (Self::AuthObject | Self::HelperSession, "orgRole") => Self::OrgRole,
            (Self::AuthObject | Self::HelperSession, "has") => Self::Has,
            (Self::AuthObject | Self::HelperSession, "sessionClaims") => Self::SessionClaims,
            (Self::User, "id") => Self::UserId,
            (Self::HelperSession, "user") => Self::User,
            (Self::HelperSession, "auth" | "session") => Self::AuthObject,
            (Self::Input, _) => Self::Input,
            _ => Self::Other,
        }
    }
}

/// The names of one function and where their values come from.
#[derive(Clone, Debug, Default)]
pub struct Bindings {
    names: HashMap<String, Origin>,
}

impl Bindings {
    /// Binds the parameters and declarations of `func`, analysed as an entry point of `kind`.
    pub fn for_function(func: FnRef<'_>, kind: EntryKind, an: &Analyzer<'_>) -> Self {
        let mut bindings = Bindings::default();
        bindings.seed_params(func, kind);
        let mut collector = DeclCollector { bindings: &mut bindings, sem: an.sem, an: Some(an) };
        match func.body() {
            Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut collector)),
            Some(FnBody::Expr(e)) => e.visit_with(&mut collector),
            None => {}
        }
        bindings
    }

    /// Bindings of a whole module without entry-point knowledge (for schema inference, where
    /// only the columns matter).
    pub fn for_module(module: &clerkguard_syntax::ast::Module, sem: &FileSemantics) -> Self {
        let mut bindings = Bindings::default();
        let mut collector = DeclCollector { bindings: &mut bindings, sem, an: None };
        module.visit_with(&mut collector);
        bindings
    }

    pub fn origin_of_name(&self, name: &str) -> Option<Origin> {
        self.names.get(name).copied()
    }

    /// Forgets every name not bound to one of `origins`.
    pub fn retain_origins(&mut self, origins: &[Origin]) {
        self.names.retain(|_, origin| origins.contains(origin));
        self.names.shrink_to_fit();
    }

    /// Every name bound to the given origin.
    pub fn names_with(&self, origin: Origin) -> impl Iterator<Item = &str> {
        self.names.iter().filter(move |(_, o)| **o == origin).map(|(n, _)| n.as_str())
    }

    pub fn classify(&self, expr: &Expr, sem: &FileSemantics) -> ValueSource {
        match peel(expr) {
            Expr::Tpl(t) if !t.exprs.is_empty() => {
                t.exprs.iter().map(|e| self.classify(e, sem)).fold(ValueSource::Literal, ValueSource::strongest)
            }
            Expr::Bin(b)
                if matches!(
                    b.op,
                    BinaryOp::NullishCoalescing | BinaryOp::LogicalOr | BinaryOp::LogicalAnd | BinaryOp::Add
                ) =>
            {
                self.classify(&b.left, sem).strongest(self.classify(&b.right, sem))
            }
            Expr::Cond(c) => self.classify(&c.cons, sem).strongest(self.classify(&c.alt, sem)),
            Expr::Array(a) => a
                .elems
                .iter()
                .flatten()
                .map(|e| self.classify(&e.expr, sem))
                .fold(ValueSource::Literal, ValueSource::strongest),
            other => origin_of(other, self, sem, None).value(),
        }
    }

    fn seed_params(&mut self, func: FnRef<'_>, kind: EntryKind) {
        let params = func.params();
        for (index, pat) in params.into_iter().enumerate() {
            let input = match kind {
                EntryKind::Helper => false,
                EntryKind::ServerFunction | EntryKind::RouteHandler | EntryKind::Page => true,
                // `(req, res)`: only the request carries caller input.
                EntryKind::PagesApi => index == 0,
            };
            if input {
                self.bind(pat, Origin::Input);
            }
        }
    }

    fn bind(&mut self, pat: &Pat, origin: Origin) {
        match pat {
            Pat::Ident(b) => {
                let name = b.id.sym.as_str().to_owned();
                let origin = match origin {
                    // `const userId = await requireUserId()`, `const orgId = await requireOrg()`
                    Origin::HelperSession => match name.to_ascii_lowercase().as_str() {
                        "userid" | "uid" | "user_id" => Origin::UserId,
                        "orgid" | "org_id" | "organizationid" => Origin::OrgId,
                        _ => Origin::HelperSession,
                    },
                    other => other,
                };
                self.names.insert(name, origin);
            }
            Pat::Object(obj) => {
                for prop in &obj.props {
                    match prop {
                        ObjectPatProp::KeyValue(kv) => {
                            let key = prop_name(&kv.key).unwrap_or_default();
                            self.bind(&kv.value, origin.field(&key));
                        }
                        ObjectPatProp::Assign(a) => {
                            let key = a.key.id.sym.as_str().to_owned();
                            self.names.insert(key.clone(), origin.field(&key));
                        }
                        ObjectPatProp::Rest(r) => {
                            self.bind(&r.arg, if origin == Origin::Input { origin } else { Origin::Other })
                        }
                    }
                }
            }
            Pat::Array(a) => {
                let inner = if origin == Origin::Input { Origin::Input } else { Origin::Other };
                a.elems.iter().flatten().for_each(|p| self.bind(p, inner));
            }
            Pat::Assign(a) => self.bind(&a.left, origin),
            Pat::Rest(r) => self.bind(&r.arg, origin),
            Pat::Expr(_) | Pat::Invalid(_) => {}
        }
    }
}

/// What an expression evaluates to, as far as sessions and caller input go.
pub fn origin_of(expr: &Expr, bindings: &Bindings, sem: &FileSemantics, an: Option<&Analyzer<'_>>) -> Origin {
    let expr = match peel(expr) {
        Expr::Await(a) => peel(&a.arg),
        e => e,
    };
    match expr {
        Expr::Lit(_) => Origin::Literal,
        Expr::Tpl(t) if t.exprs.is_empty() => Origin::Literal,
        Expr::Ident(id) if &*id.sym == "undefined" => Origin::Literal,
        Expr::Ident(id) => bindings.names.get(&*id.sym).copied().unwrap_or(Origin::Other),
        Expr::Call(call) => {
            let Callee::Expr(callee) = &call.callee else { return Origin::Other };
            match sem.clerk_fn_of_expr(callee) {
                Some(ClerkFn::Auth | ClerkFn::GetAuth) => return Origin::AuthObject,
                Some(ClerkFn::CurrentUser) => return Origin::User,
                _ => {}
            }
            if sem.is_any_protect_callee(callee) {
                return Origin::AuthObject;
            }
            let first_arg = call.args.first().map(|a| origin_of(&a.expr, bindings, sem, an));
            if let Expr::Ident(id) = peel(callee) {
                // `useAuth()` in client components returns `{ has, orgId, orgRole, ... }` too.
                if let Some(binding) = sem.imports.get(&*id.sym)
                    && matches!(&binding.imported, crate::analysis::ImportedName::Named(n) if n == "useAuth")
                    && binding.source.starts_with("@clerk/")
                {
                    return Origin::AuthObject;
                }
                if matches!(&*id.sym, "String" | "Number" | "parseInt" | "parseFloat" | "BigInt" | "decodeURIComponent")
                {
                    return first_arg.unwrap_or(Origin::Other);
                }
                if let Some(an) = an
                    && let Some(summary) = an.summary_of_callee(callee)
                {
                    return match summary.returns {
                        ReturnsSession::AuthObject => Origin::HelperSession,
                        ReturnsSession::Nullable => Origin::User,
                        _ if summary.ensures_signed_in => Origin::HelperSession,
                        _ => Origin::Other,
                    };
                }
                return Origin::Other;
            }
            let Some((obj, method)) = as_member(callee) else { return Origin::Other };
            let receiver = origin_of(obj, bindings, sem, an);
            match &*method {
                "json" | "formData" | "text" | "get" | "getAll" | "entries" if receiver == Origin::Input => {
                    Origin::Input
                }
                "trim" | "toString" | "toLowerCase" | "toUpperCase" | "valueOf"
                    if matches!(receiver, Origin::Input | Origin::UserId | Origin::OrgId) =>
                {
                    receiver
                }
                // `schema.parse(body)`, `Object.fromEntries(formData)`: validation keeps the origin.
                "parse" | "parseAsync" | "fromEntries" | "assign"
                    if call.args.iter().any(|a| origin_of(&a.expr, bindings, sem, an) == Origin::Input) =>
                {
                    Origin::Input
                }
                _ => Origin::Other,
            }
        }
        other => match as_member(other) {
            Some((obj, prop)) => {
                let base = origin_of(obj, bindings, sem, an);
                // `safeParse(body).data`
                if prop == "data" && base == Origin::Other && is_safe_parse_of_input(obj, bindings, sem) {
                    return Origin::Input;
                }
                base.field(&prop)
            }
            None => Origin::Other,
        },
    }
}

fn is_safe_parse_of_input(expr: &Expr, bindings: &Bindings, sem: &FileSemantics) -> bool {
    let Expr::Call(call) = peel(expr) else { return false };
    let Callee::Expr(callee) = &call.callee else { return false };
    as_member(callee).is_some_and(|(_, m)| m == "safeParse" || m == "safeParseAsync")
        && call.args.iter().any(|a| origin_of(&a.expr, bindings, sem, None) == Origin::Input)
}

struct DeclCollector<'b, 's, 'a> {
    bindings: &'b mut Bindings,
    sem: &'s FileSemantics,
    an: Option<&'s Analyzer<'a>>,
}

impl Visit for DeclCollector<'_, '_, '_> {
    fn visit_var_declarator(&mut self, decl: &VarDeclarator) {
        decl.visit_children_with(self);
        let Some(init) = &decl.init else { return };
        let origin = origin_of(init, self.bindings, self.sem, self.an);
        if origin != Origin::Other || !matches!(decl.name, Pat::Ident(_)) {
            self.bindings.bind(&decl.name, origin);
        } else if let Pat::Ident(b) = &decl.name {
            // A later declaration of the same name shadows an earlier session or input binding.
            self.bindings.names.insert(b.id.sym.as_str().to_owned(), Origin::Other);
        }
    }

    crate::analysis::functions::skip_inline_server_functions!();
}

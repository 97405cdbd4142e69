//! What the `clerkMiddleware` handler (or `authMiddleware` options) does with a signed-out
//! request: each place that rejects it, and the condition under which that place is reached.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{
    ArrowFunctionBody, BinaryOp, CallExpr, Callee, Decl, DefaultDecl, Expr, Function, Lit, Module, ModuleDecl,
    ModuleItem, ObjectPatProp, Pat, Prop, PropOrSpread, Stmt, UnaryOp,
};

use super::ast::{as_member, peel, prop_name, range_of, top_level_init};
use super::condition::{Dnf, Lit as CondLit};
use super::lists::{ImportResolver, ListRole, RouteList, build_list, clerk_imports, list_for_name};
use crate::matcher::ClerkMatcherOptions;

/// Which Clerk middleware the file exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MiddlewareKind {
    /// `clerkMiddleware(...)` (v5+).
    ClerkMiddleware,
    /// `authMiddleware(...)` (v4, deprecated in v5, removed in v6): deny by default.
    AuthMiddleware,
    /// Neither is called: Clerk's helpers throw on every route.
    NotClerk,
}

/// How a protect site rejects signed-out requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtectKind {
    /// `await auth.protect()`, `return auth.protect()`, v5 `auth().protect()`.
    Protect,
    /// `return redirectToSignIn()`.
    RedirectToSignIn,
    /// A redirect / 401 response returned when `userId` is null.
    SignedOutResponse,
    /// `authMiddleware`: everything not public is protected.
    DefaultDeny,
}

/// A place in the middleware that rejects signed-out requests when `condition` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectSite {
    pub condition: Dnf,
    /// The protect call / return statement (the `authMiddleware` call for `DefaultDeny`).
    pub range: TextRange,
    pub kind: ProtectKind,
}

/// The outcome of reading the middleware's handler.
#[derive(Debug)]
pub struct HandlerModel {
    pub kind: MiddlewareKind,
    /// The `clerkMiddleware(...)` / `authMiddleware(...)` call (or the bare reference).
    pub call_range: Option<TextRange>,
    pub lists: Vec<RouteList>,
    pub sites: Vec<ProtectSite>,
    /// Lists whose routes the middleware skips (`ignoredRoutes`).
    pub ignored_lists: Vec<usize>,
    /// Why parts of the handler could not be read (the handler is passed by reference to
    /// something unknown, ...). Routes depending on them are "unknown", never "protected".
    pub notes: Vec<String>,
}

pub fn analyze(
    module: &Module,
    file: &Path,
    clerk_major: u64,
    options: ClerkMatcherOptions,
    resolve: &ImportResolver<'_>,
) -> HandlerModel {
    let imports = clerk_imports(module);
    let mut model = HandlerModel {
        kind: MiddlewareKind::NotClerk,
        call_range: None,
        lists: Vec::new(),
        sites: Vec::new(),
        ignored_lists: Vec::new(),
        notes: Vec::new(),
    };
    let Some(found) = find_middleware(module, &imports) else { return model };
    model.call_range = Some(found.range);
    model.kind = found.kind;
    let Some(call) = found.call else { return model };
    match found.kind {
        MiddlewareKind::AuthMiddleware => auth_middleware(module, file, call, options, &mut model),
        MiddlewareKind::ClerkMiddleware => {
            let Some(handler) = call.args.first().map(|a| peel(&a.expr)) else { return model };
            let handler = match handler {
                Expr::Ident(id) => match top_level_init(module, &id.sym) {
                    Some(init) => peel(init),
                    None => match top_level_function(module, &id.sym) {
                        Some(f) => return handler_fn(module, file, clerk_major, options, resolve, f, model),
                        None => {
                            model.notes.push(format!("the handler `{}` is not defined in this file", id.sym));
                            model.sites.push(ProtectSite {
                                condition: Dnf::opaque(),
                                range: range_of(call),
                                kind: ProtectKind::Protect,
                            });
                            return model;
                        }
                    },
                },
                other => other,
            };
            let mut cx = HandlerCx::new(module, file, clerk_major, options, resolve, &imports);
            match handler {
                Expr::Arrow(arrow) => {
                    cx.auth_param = arrow.params.first().and_then(pat_name);
                    match &*arrow.body {
                        ArrowFunctionBody::FunctionBody(block) => {
                            cx.walk(&block.stmts, Dnf::always());
                        }
                        ArrowFunctionBody::Expr(expr) => cx.returned(expr, &Dnf::always(), range_of(&**expr)),
                    }
                }
                Expr::Fn(f) => {
                    cx.auth_param = f.function.params.first().and_then(|p| pat_name(&p.pat));
                    if let Some(body) = &f.function.body {
                        cx.walk(&body.stmts, Dnf::always());
                    }
                }
                // `clerkMiddleware({ ...options })`: no handler, nothing protected.
                _ => {}
            }
            cx.finish(&mut model);
        }
        MiddlewareKind::NotClerk => {}
    }
    assign_roles(&mut model);
    model
}

fn handler_fn(
    module: &Module,
    file: &Path,
    clerk_major: u64,
    options: ClerkMatcherOptions,
    resolve: &ImportResolver<'_>,
    f: &Function,
    mut model: HandlerModel,
) -> HandlerModel {
    let imports = clerk_imports(module);
    let mut cx = HandlerCx::new(module, file, clerk_major, options, resolve, &imports);
    cx.auth_param = f.params.first().and_then(|p| pat_name(&p.pat));
    if let Some(body) = &f.body {
        cx.walk(&body.stmts, Dnf::always());
    }
    cx.finish(&mut model);
    assign_roles(&mut model);
    model
}

fn top_level_function<'m>(module: &'m Module, name: &str) -> Option<&'m Function> {
    module.body.iter().find_map(|item| match item {
        ModuleItem::Stmt(Stmt::Decl(Decl::Fn(f))) if &*f.ident.sym == name => Some(&*f.function),
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => match &e.decl {
            Decl::Fn(f) if &*f.ident.sym == name => Some(&*f.function),
            _ => None,
        },
        _ => None,
    })
}

fn pat_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(id) => Some(id.id.sym.as_str().to_owned()),
        _ => None,
    }
}

fn assign_roles(model: &mut HandlerModel) {
    for site in &model.sites {
        for conj in &site.condition.0 {
            for lit in conj {
                if let CondLit::Route { list, positive } = *lit
                    && let Some(l) = model.lists.get_mut(list)
                    && l.role != ListRole::Ignored
                {
                    l.role = match (l.role, positive) {
                        (ListRole::Public, _) | (_, false) => ListRole::Public,
                        _ => ListRole::Protect,
                    };
                }
            }
        }
    }
}

struct FoundMiddleware<'m> {
    kind: MiddlewareKind,
    range: TextRange,
    call: Option<&'m CallExpr>,
}

/// The Clerk middleware the module exports: the default export (or `middleware`/`proxy`
/// export), through one top-level constant; else the first Clerk middleware call anywhere.
fn find_middleware<'m>(module: &'m Module, imports: &HashMap<String, String>) -> Option<FoundMiddleware<'m>> {
    let kind_of = |expr: &Expr| -> Option<MiddlewareKind> {
        let Expr::Ident(id) = peel(expr) else { return None };
        match imports.get(&*id.sym).map(String::as_str) {
            Some("clerkMiddleware") => Some(MiddlewareKind::ClerkMiddleware),
            Some("authMiddleware") => Some(MiddlewareKind::AuthMiddleware),
            _ => None,
        }
    };
    let classify = |expr: &'m Expr| -> Option<FoundMiddleware<'m>> {
        let mut expr = peel(expr);
        if let Expr::Ident(id) = expr
            && kind_of(expr).is_none()
            && let Some(init) = top_level_init(module, &id.sym)
        {
            expr = peel(init);
        }
        if let Some(kind) = kind_of(expr) {
            return Some(FoundMiddleware { kind, range: range_of(expr), call: None });
        }
        let Expr::Call(call) = expr else { return None };
        let Callee::Expr(callee) = &call.callee else { return None };
        kind_of(callee).map(|kind| FoundMiddleware { kind, range: range_of(call), call: Some(call) })
    };
    for item in &module.body {
        let candidate = match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => Some(&*e.expr),
            _ => None,
        };
        if let Some(found) = candidate.and_then(classify) {
            return Some(found);
        }
    }
    for name in ["middleware", "proxy", "default"] {
        if let Some(local) = super::ast::local_for_export(module, name)
            && let Some(init) = top_level_init(module, &local)
            && let Some(found) = classify(init)
        {
            return Some(found);
        }
    }
    // Anything else (`export default function middleware(req, ev) { return clerkMiddleware(...)(req, ev) }`).
    struct Finder<'a, 'm> {
        imports: &'a HashMap<String, String>,
        found: Option<&'m CallExpr>,
    }
    impl<'m> Finder<'_, 'm> {
        fn check(&mut self, call: &'m CallExpr) {
            if self.found.is_none()
                && let Callee::Expr(callee) = &call.callee
                && let Expr::Ident(id) = peel(callee)
                && matches!(self.imports.get(&*id.sym).map(String::as_str), Some("clerkMiddleware" | "authMiddleware"))
            {
                self.found = Some(call);
            }
        }
    }
    let mut finder = Finder { imports, found: None };
    for item in &module.body {
        find_calls(item, &mut |call| finder.check(call));
    }
    let call = finder.found?;
    let Callee::Expr(callee) = &call.callee else { return None };
    let kind = kind_of(callee)?;
    Some(FoundMiddleware { kind, range: range_of(call), call: Some(call) })
}

/// Calls `f` on the call expressions under `item`, in the shapes middleware files use.
fn find_calls<'m>(item: &'m ModuleItem, f: &mut dyn FnMut(&'m CallExpr)) {
    walk_calls(item, f);
}

fn walk_calls<'m>(item: &'m ModuleItem, f: &mut dyn FnMut(&'m CallExpr)) {
    fn in_expr<'m>(expr: &'m Expr, f: &mut dyn FnMut(&'m CallExpr)) {
        match peel(expr) {
            Expr::Call(call) => {
                f(call);
                if let Callee::Expr(callee) = &call.callee {
                    in_expr(callee, f);
                }
                for arg in &call.args {
                    in_expr(&arg.expr, f);
                }
            }
            Expr::Await(a) => in_expr(&a.arg, f),
            Expr::Arrow(a) => match &*a.body {
                ArrowFunctionBody::FunctionBody(b) => b.stmts.iter().for_each(|s| in_stmt(s, f)),
                ArrowFunctionBody::Expr(e) => in_expr(e, f),
            },
            Expr::Fn(func) => {
                if let Some(body) = &func.function.body {
                    body.stmts.iter().for_each(|s| in_stmt(s, f));
                }
            }
            _ => {}
        }
    }
    fn in_stmt<'m>(stmt: &'m Stmt, f: &mut dyn FnMut(&'m CallExpr)) {
        match stmt {
            Stmt::Return(r) => {
                if let Some(arg) = &r.arg {
                    in_expr(arg, f);
                }
            }
            Stmt::Expr(e) => in_expr(&e.expr, f),
            Stmt::Decl(Decl::Var(v)) => v.decls.iter().filter_map(|d| d.init.as_deref()).for_each(|e| in_expr(e, f)),
            Stmt::Decl(Decl::Fn(func)) => {
                if let Some(body) = &func.function.body {
                    body.stmts.iter().for_each(|s| in_stmt(s, f));
                }
            }
            Stmt::Block(b) => b.stmts.iter().for_each(|s| in_stmt(s, f)),
            Stmt::If(i) => {
                in_stmt(&i.cons, f);
                if let Some(alt) = &i.alt {
                    in_stmt(alt, f);
                }
            }
            _ => {}
        }
    }
    match item {
        ModuleItem::Stmt(stmt) => in_stmt(stmt, f),
        ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(d)) => {
            if let DefaultDecl::Fn(func) = &d.decl
                && let Some(body) = &func.function.body
            {
                body.stmts.iter().for_each(|s| in_stmt(s, f));
            }
        }
        ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => in_expr(&e.expr, f),
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => match &e.decl {
            Decl::Fn(func) => {
                if let Some(body) = &func.function.body {
                    body.stmts.iter().for_each(|s| in_stmt(s, f));
                }
            }
            Decl::Var(v) => v.decls.iter().filter_map(|d| d.init.as_deref()).for_each(|e| in_expr(e, f)),
            _ => {}
        },
        _ => {}
    }
}

fn auth_middleware(
    module: &Module,
    file: &Path,
    call: &CallExpr,
    options: ClerkMatcherOptions,
    model: &mut HandlerModel,
) {
    let call_range = range_of(call);
    let object = call.args.first().map(|a| peel(&a.expr)).map(|e| match e {
        Expr::Ident(id) => top_level_init(module, &id.sym).map_or(e, peel),
        other => other,
    });
    let mut condition = Dnf::always();
    if let Some(expr) = object {
        let Expr::Object(object) = expr else {
            model.notes.push("the `authMiddleware` options are not an object literal".into());
            model.sites.push(ProtectSite {
                condition: Dnf::opaque(),
                range: call_range,
                kind: ProtectKind::DefaultDeny,
            });
            return;
        };
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else {
                condition = condition.and(&Dnf::opaque());
                continue;
            };
            let (key, value) = match &**prop {
                Prop::KeyValue(kv) => (prop_name(&kv.key), Some(&*kv.value)),
                Prop::Shorthand(id) => (Some(id.sym.as_str().to_owned()), top_level_init(module, &id.sym)),
                Prop::Method(m) => (prop_name(&m.key), None),
                _ => (None, None),
            };
            match key.as_deref() {
                Some(name @ ("publicRoutes" | "ignoredRoutes")) => {
                    let mut list = build_list(module, file, name, value, options);
                    let index = model.lists.len();
                    if name == "publicRoutes" {
                        list.role = ListRole::Public;
                        condition = condition.and(&Dnf::lit(CondLit::Route { list: index, positive: false }));
                    } else {
                        list.role = ListRole::Ignored;
                        model.ignored_lists.push(index);
                    }
                    model.lists.push(list);
                }
                // With `afterAuth`, the default redirect is replaced by the user's callback.
                Some("afterAuth") => {
                    model.notes.push("`afterAuth` decides what happens to signed-out requests".into());
                    condition = condition.and(&Dnf::opaque());
                }
                _ => {}
            }
        }
    }
    model.sites.push(ProtectSite { condition, range: call_range, kind: ProtectKind::DefaultDeny });
}

struct HandlerCx<'a, 'r> {
    module: &'a Module,
    file: &'a Path,
    clerk_major: u64,
    options: ClerkMatcherOptions,
    resolve: &'a ImportResolver<'r>,
    imports: &'a HashMap<String, String>,
    auth_param: Option<String>,
    lists: Vec<RouteList>,
    list_names: HashMap<String, Option<usize>>,
    /// Names bound to `userId` / `isAuthenticated` / `sessionId`.
    session_names: HashSet<String>,
    /// Names bound to the whole auth object.
    session_objects: HashSet<String>,
    /// Names bound to `redirectToSignIn`.
    redirect_names: HashSet<String>,
    cond_vars: HashMap<String, Dnf>,
    sites: Vec<ProtectSite>,
}

impl<'a, 'r> HandlerCx<'a, 'r> {
    fn new(
        module: &'a Module,
        file: &'a Path,
        clerk_major: u64,
        options: ClerkMatcherOptions,
        resolve: &'a ImportResolver<'r>,
        imports: &'a HashMap<String, String>,
    ) -> Self {
        Self {
            module,
            file,
            clerk_major,
            options,
            resolve,
            imports,
            auth_param: None,
            lists: Vec::new(),
            list_names: HashMap::new(),
            session_names: HashSet::new(),
            session_objects: HashSet::new(),
            redirect_names: imports
                .iter()
                .filter(|(_, imported)| *imported == "redirectToSignIn")
                .map(|(local, _)| local.clone())
                .collect(),
            cond_vars: HashMap::new(),
            sites: Vec::new(),
        }
    }

    fn finish(self, model: &mut HandlerModel) {
        model.lists = self.lists;
        model.sites = self.sites;
    }

    fn list_index(&mut self, name: &str) -> Option<usize> {
        if let Some(cached) = self.list_names.get(name) {
            return *cached;
        }
        let list = list_for_name(self.module, self.file, name, self.options, self.resolve);
        let index = list.map(|list| {
            self.lists.push(list);
            self.lists.len() - 1
        });
        self.list_names.insert(name.to_string(), index);
        index
    }

    /// Walks statements under path condition `path`; returns the condition under which control
    /// reaches the end (`None`: it never does).
    fn walk(&mut self, stmts: &[Stmt], mut path: Dnf) -> Option<Dnf> {
        for stmt in stmts {
            path = self.stmt(stmt, path)?;
        }
        Some(path)
    }

    fn stmt(&mut self, stmt: &Stmt, path: Dnf) -> Option<Dnf> {
        match stmt {
            Stmt::Return(ret) => {
                if let Some(arg) = &ret.arg {
                    self.returned(arg, &path, range_of(ret));
                }
                None
            }
            Stmt::Throw(throw) => {
                if path.requires_signed_out() {
                    self.sites.push(ProtectSite {
                        condition: path,
                        range: range_of(throw),
                        kind: ProtectKind::SignedOutResponse,
                    });
                }
                None
            }
            Stmt::Block(block) => self.walk(&block.stmts, path),
            Stmt::If(stmt) => {
                let cond = self.condition(&stmt.test);
                let then_path = self.stmt(&stmt.cons, path.and(&cond));
                let else_path = match &stmt.alt {
                    Some(alt) => self.stmt(alt, path.and(&cond.not())),
                    None => Some(path.and(&cond.not())),
                };
                match (then_path, else_path) {
                    (None, None) => None,
                    (Some(a), None) | (None, Some(a)) => Some(a),
                    (Some(a), Some(b)) => Some(a.or(&b)),
                }
            }
            Stmt::Expr(expr) => {
                self.expression(&expr.expr, &path);
                Some(path)
            }
            Stmt::Decl(Decl::Var(var)) => {
                for decl in &var.decls {
                    if let Some(init) = &decl.init {
                        self.declare(&decl.name, init);
                    }
                }
                Some(path)
            }
            Stmt::Try(t) => {
                let before = self.sites.len();
                let after = self.walk(&t.block.stmts, path.clone());
                if let Some(handler) = &t.handler
                    && !rethrows(&handler.body.stmts)
                {
                    // The catch swallows the error `protect()` throws: nothing inside counts.
                    self.sites.truncate(before);
                    return Some(path);
                }
                after.or(Some(path))
            }
            _ => Some(path),
        }
    }

    fn expression(&mut self, expr: &Expr, path: &Dnf) {
        match peel(expr) {
            Expr::Await(a) if self.is_protect_call(&a.arg, true) => {
                self.sites.push(ProtectSite {
                    condition: path.clone(),
                    range: range_of(expr),
                    kind: ProtectKind::Protect,
                });
            }
            e if self.is_protect_call(e, false) => {
                self.sites.push(ProtectSite {
                    condition: path.clone(),
                    range: range_of(expr),
                    kind: ProtectKind::Protect,
                });
            }
            Expr::Bin(b) if b.op == BinaryOp::LogicalAnd => {
                let cond = self.condition(&b.left);
                self.expression(&b.right, &path.and(&cond));
            }
            _ => {}
        }
    }

    /// A protect call whose rejection reaches Clerk: awaited (or returned) `auth.protect()` on
    /// v6+, v5's synchronous `auth().protect()`.
    fn is_protect_call(&self, expr: &Expr, awaited_or_returned: bool) -> bool {
        let Expr::Call(call) = peel(expr) else { return false };
        let Callee::Expr(callee) = &call.callee else { return false };
        let Some((obj, prop)) = as_member(callee) else { return false };
        if prop != "protect" {
            return false;
        }
        match peel(obj) {
            // `auth.protect()`: async since v6.
            Expr::Ident(id) if self.is_auth(&id.sym) => awaited_or_returned,
            // `auth().protect()`: v4/v5 only (a TypeError on v6+).
            Expr::Call(inner) if self.clerk_major < 6 => self.is_auth_call(inner),
            _ => false,
        }
    }

    fn is_auth(&self, name: &str) -> bool {
        self.auth_param.as_deref() == Some(name)
    }

    fn is_auth_call(&self, call: &CallExpr) -> bool {
        matches!(&call.callee, Callee::Expr(c) if matches!(peel(c), Expr::Ident(id) if self.is_auth(&id.sym)))
    }

    /// `auth()` or `await auth()`.
    fn is_auth_result(&self, expr: &Expr) -> bool {
        match peel(expr) {
            Expr::Await(a) => self.is_auth_result(&a.arg),
            Expr::Call(call) => self.is_auth_call(call),
            _ => false,
        }
    }

    fn returned(&mut self, expr: &Expr, path: &Dnf, range: TextRange) {
        let expr = match peel(expr) {
            Expr::Await(a) => peel(&a.arg),
            other => other,
        };
        if self.is_protect_call(expr, true) {
            self.sites.push(ProtectSite { condition: path.clone(), range, kind: ProtectKind::Protect });
            return;
        }
        let kind = match expr {
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => match peel(callee) {
                    Expr::Ident(id) if self.redirect_names.contains(&*id.sym) => Some(ProtectKind::RedirectToSignIn),
                    other => match as_member(other) {
                        Some((_, prop)) if prop == "redirectToSignIn" => Some(ProtectKind::RedirectToSignIn),
                        Some((obj, prop)) if prop == "next" && is_ident(obj, "NextResponse") => None,
                        Some(_) => Some(ProtectKind::SignedOutResponse),
                        None => None,
                    },
                },
                _ => None,
            },
            Expr::New(_) => Some(ProtectKind::SignedOutResponse),
            _ => None,
        };
        match kind {
            Some(ProtectKind::SignedOutResponse) if !path.requires_signed_out() => {}
            Some(kind) => self.sites.push(ProtectSite { condition: path.clone(), range, kind }),
            None => {}
        }
    }

    fn declare(&mut self, pat: &Pat, init: &Expr) {
        if self.is_auth_result(init) {
            match pat {
                Pat::Ident(id) => {
                    self.session_objects.insert(id.id.sym.as_str().to_owned());
                }
                Pat::Object(object) => {
                    for prop in &object.props {
                        let (key, local) = match prop {
                            ObjectPatProp::Assign(a) => (a.key.sym.as_str().to_owned(), a.key.sym.as_str().to_owned()),
                            ObjectPatProp::KeyValue(kv) => match (prop_name(&kv.key), &*kv.value) {
                                (Some(key), Pat::Ident(id)) => (key, id.id.sym.as_str().to_owned()),
                                _ => continue,
                            },
                            ObjectPatProp::Rest(_) => continue,
                        };
                        match key.as_str() {
                            "userId" | "isAuthenticated" | "sessionId" => {
                                self.session_names.insert(local);
                            }
                            "redirectToSignIn" => {
                                self.redirect_names.insert(local);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        if let Pat::Ident(id) = pat {
            let cond = self.condition(init);
            if cond != Dnf::opaque() {
                self.cond_vars.insert(id.id.sym.as_str().to_owned(), cond);
            }
        }
    }

    /// Whether `expr` reads the signed-in user (`userId`, `session.userId`, `auth().userId`).
    fn is_session_value(&self, expr: &Expr) -> bool {
        match peel(expr) {
            Expr::Ident(id) => self.session_names.contains(&*id.sym),
            other => match as_member(other) {
                Some((obj, prop)) if matches!(prop.as_str(), "userId" | "isAuthenticated" | "sessionId") => {
                    matches!(peel(obj), Expr::Ident(id) if self.session_objects.contains(&*id.sym))
                        || self.is_auth_result(obj)
                }
                _ => false,
            },
        }
    }

    fn condition(&mut self, expr: &Expr) -> Dnf {
        let expr = peel(expr);
        if self.is_session_value(expr) {
            return Dnf::lit(CondLit::SignedIn(true));
        }
        match expr {
            Expr::Unary(u) if u.op == UnaryOp::Bang => self.condition(&u.arg).not(),
            Expr::Await(a) => self.condition(&a.arg),
            Expr::Bin(b) => match b.op {
                BinaryOp::LogicalAnd => {
                    let left = self.condition(&b.left);
                    left.and(&self.condition(&b.right))
                }
                BinaryOp::LogicalOr => {
                    let left = self.condition(&b.left);
                    left.or(&self.condition(&b.right))
                }
                BinaryOp::EqEq | BinaryOp::EqEqEq | BinaryOp::NotEq | BinaryOp::NotEqEq => {
                    let equal = matches!(b.op, BinaryOp::EqEq | BinaryOp::EqEqEq);
                    let (value, other) = if is_nullish(&b.right) { (&b.left, &b.right) } else { (&b.right, &b.left) };
                    if is_nullish(other) && self.is_session_value(value) {
                        Dnf::lit(CondLit::SignedIn(!equal))
                    } else {
                        Dnf::opaque()
                    }
                }
                _ => Dnf::opaque(),
            },
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => match peel(callee) {
                    Expr::Ident(id) if !self.imports.contains_key(&*id.sym) => match self.list_index(&id.sym) {
                        Some(list) => Dnf::lit(CondLit::Route { list, positive: true }),
                        None => Dnf::opaque(),
                    },
                    _ => Dnf::opaque(),
                },
                _ => Dnf::opaque(),
            },
            Expr::Ident(id) => self.cond_vars.get(&*id.sym).cloned().unwrap_or_else(Dnf::opaque),
            _ => Dnf::opaque(),
        }
    }
}

fn is_ident(expr: &Expr, name: &str) -> bool {
    matches!(peel(expr), Expr::Ident(id) if &*id.sym == name)
}

fn is_nullish(expr: &Expr) -> bool {
    match peel(expr) {
        Expr::Lit(Lit::Null(_)) => true,
        Expr::Ident(id) => &*id.sym == "undefined",
        _ => false,
    }
}

/// Whether a catch block rethrows (`throw`, `unstable_rethrow(e)`) at its top level.
fn rethrows(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match s {
        Stmt::Throw(_) => true,
        Stmt::Expr(e) => matches!(peel(&e.expr), Expr::Call(c) if matches!(&c.callee, Callee::Expr(callee) if is_ident(callee, "unstable_rethrow"))),
        Stmt::If(i) => rethrows(std::slice::from_ref(&*i.cons)),
        Stmt::Block(b) => rethrows(&b.stmts),
        _ => false,
    })
}

//! Entry points: code an outside caller reaches directly.

use std::borrow::Cow;

use clerkguard_project::FileRole;
use clerkguard_syntax::Directive;
use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{
    ArrowExpr, Callee, Decl, DefaultDecl, Expr, Function, Module, ModuleDecl, ModuleExportName, ModuleItem, Pat,
};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::FileSemantics;
use super::ast_util::{chain_names, peel, range_of};
use super::functions::FnRef;
use super::locals::LocalFunctions;

pub const HTTP_METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryPointKind {
    /// An export of a `"use server"` module, or a function whose body starts with it.
    ServerFunction { inline: bool },
    /// An App Router route handler export (`POST`, ...).
    RouteHandler { method: String },
    /// The default export of a `pages/api` file.
    PagesApi,
    /// The default export of an App Router page/layout or a Pages Router page, or
    /// `getServerSideProps`.
    Page,
}

impl EntryPointKind {
    /// How the guard flow treats a function of this kind (what its parameters are).
    pub fn flow_kind(&self) -> super::flow::EntryKind {
        use super::flow::EntryKind;
        match self {
            Self::ServerFunction { .. } => EntryKind::ServerFunction,
            Self::RouteHandler { .. } => EntryKind::RouteHandler,
            Self::PagesApi => EntryKind::PagesApi,
            Self::Page => EntryKind::Page,
        }
    }

    pub fn is_mutating_handler(&self) -> bool {
        matches!(self, Self::RouteHandler { method } if matches!(method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE"))
    }
}

/// The function of an entry point: borrowed from the module, or (for inline Server Functions,
/// found by a visitor that cannot keep borrows) an owned copy.
#[derive(Clone)]
pub enum EntryFn<'a> {
    Borrowed(FnRef<'a>),
    OwnedFunction(Box<Function>),
    OwnedArrow(Box<ArrowExpr>),
}

impl EntryFn<'_> {
    pub fn get(&self) -> FnRef<'_> {
        match self {
            Self::Borrowed(f) => *f,
            Self::OwnedFunction(f) => FnRef::Function(f),
            Self::OwnedArrow(a) => FnRef::Arrow(a),
        }
    }
}

#[derive(Clone)]
pub struct EntryPoint<'a> {
    pub kind: EntryPointKind,
    /// Borrowed from the tree where it can be (found on every keystroke of an editor buffer).
    pub name: Cow<'a, str>,
    pub func: EntryFn<'a>,
    /// Where findings about the entry point as a whole are reported (its name).
    pub report_range: TextRange,
    /// The higher-order function the export is wrapped in, e.g. `withAuth` in
    /// `export const POST = withAuth(async (req) => ...)`.
    pub wrapper: Option<String>,
}

impl EntryPoint<'_> {
    /// A wrapper whose name says it authenticates (`withAuth`, `requireUser(handler)`).
    pub fn wrapper_guards(&self) -> bool {
        self.wrapper.as_deref().is_some_and(|w| {
            let w = w.to_ascii_lowercase();
            ["auth", "user", "session", "protect", "signedin", "login", "admin", "clerk"].iter().any(|k| w.contains(k))
                && !w.contains("optional")
        })
    }
}

/// Every entry point of a file.
pub fn find<'a>(
    module: &'a Module,
    sem: &FileSemantics,
    role: FileRole,
    locals: &LocalFunctions<'a>,
    inline_server_functions: bool,
) -> Vec<EntryPoint<'a>> {
    let server_module = sem.has_directive(Directive::UseServer) && role != FileRole::RouteHandler;
    // In a `"use server"` module most top-level items are exported functions: room for them
    // up front (grown from empty, a 3,000-line module's list was copied 16 times).
    let mut out = Vec::with_capacity(if server_module { module.body.len() } else { 0 });
    for (name, report_range, target) in exports(module) {
        let Some((func, wrapper)) = resolve_target(target, locals) else { continue };
        let kind = match role {
            FileRole::RouteHandler if HTTP_METHODS.contains(&&*name) => {
                EntryPointKind::RouteHandler { method: name.to_string() }
            }
            FileRole::PagesApi if name == "default" => EntryPointKind::PagesApi,
            FileRole::Page(_) | FileRole::Layout if name == "default" || name == "getServerSideProps" => {
                EntryPointKind::Page
            }
            _ if server_module => EntryPointKind::ServerFunction { inline: false },
            _ => continue,
        };
        out.push(EntryPoint { kind, name, func: EntryFn::Borrowed(func), report_range, wrapper });
    }
    if role != FileRole::RouteHandler && inline_server_functions {
        let mut inline = InlineServerFunctions { found: Vec::new(), pending_name: None };
        module.visit_with(&mut inline);
        for (name, report_range, func) in inline.found {
            if out.iter().any(|e| e.func.get().range() == func.get().range()) {
                continue;
            }
            out.push(EntryPoint {
                kind: EntryPointKind::ServerFunction { inline: true },
                name: Cow::Owned(name),
                func,
                report_range,
                wrapper: None,
            });
        }
    }
    out
}

enum ExportTarget<'a> {
    Fn(FnRef<'a>),
    Expr(&'a Expr),
    Local(String),
}

/// (exported name, report range, what it exports)
fn exports(module: &Module) -> Vec<(Cow<'_, str>, TextRange, ExportTarget<'_>)> {
    let mut out = Vec::new();
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else { continue };
        match decl {
            ModuleDecl::ExportDecl(export) => match &export.decl {
                Decl::Fn(f) => out.push((
                    Cow::Borrowed(&*f.ident.sym),
                    range_of(&f.ident),
                    ExportTarget::Fn(FnRef::Function(&f.function)),
                )),
                Decl::Var(var) => {
                    for d in &var.decls {
                        if let (Pat::Ident(name), Some(init)) = (&d.name, &d.init) {
                            out.push((Cow::Borrowed(&*name.id.sym), range_of(&name.id), ExportTarget::Expr(init)));
                        }
                    }
                }
                _ => {}
            },
            ModuleDecl::ExportDefaultDecl(d) => {
                if let DefaultDecl::Fn(f) = &d.decl {
                    let range = f.ident.as_ref().map_or_else(|| range_of(d), range_of);
                    out.push((Cow::Borrowed("default"), range, ExportTarget::Fn(FnRef::Function(&f.function))));
                }
            }
            ModuleDecl::ExportDefaultExpr(e) => {
                let target = match peel(&e.expr) {
                    Expr::Ident(id) => ExportTarget::Local(id.sym.as_str().to_owned()),
                    _ => ExportTarget::Expr(&e.expr),
                };
                out.push((Cow::Borrowed("default"), range_of(&*e.expr), target));
            }
            ModuleDecl::ExportNamed(named) if named.src.is_none() => {
                for spec in &named.specifiers {
                    let clerkguard_syntax::ast::ExportSpecifier::Named(n) = spec else { continue };
                    let local = match &n.orig {
                        ModuleExportName::Ident(id) => id.sym.as_str().to_owned(),
                        ModuleExportName::Str(_) => continue,
                    };
                    let exported = match &n.exported {
                        Some(ModuleExportName::Ident(id)) => Cow::Borrowed(&*id.sym),
                        Some(ModuleExportName::Str(s)) => Cow::Owned(s.value.to_string_lossy().into_owned()),
                        None => Cow::Owned(local.clone()),
                    };
                    out.push((exported, range_of(n), ExportTarget::Local(local)));
                }
            }
            _ => {}
        }
    }
    out
}

fn resolve_target<'a>(target: ExportTarget<'a>, locals: &LocalFunctions<'a>) -> Option<(FnRef<'a>, Option<String>)> {
    match target {
        ExportTarget::Fn(f) => Some((f, None)),
        ExportTarget::Local(name) => locals.get(&name).map(|f| (f, None)),
        ExportTarget::Expr(expr) => {
            if let Some(f) = FnRef::from_expr(expr) {
                return Some((f, None));
            }
            // `withAuth(async (req) => ...)` or `withRateLimit(handler)`.
            let Expr::Call(call) = peel(expr) else { return None };
            let Callee::Expr(callee) = &call.callee else { return None };
            let wrapper = chain_names(callee).join(".");
            let inner = call.args.iter().find_map(|arg| match peel(&arg.expr) {
                Expr::Ident(id) => locals.get(&id.sym),
                other => FnRef::from_expr(other),
            })?;
            Some((inner, Some(wrapper)))
        }
    }
}

struct InlineServerFunctions {
    found: Vec<(String, TextRange, EntryFn<'static>)>,
    pending_name: Option<(String, TextRange)>,
}

impl InlineServerFunctions {
    fn take_name(&mut self, fallback: TextRange) -> (String, TextRange) {
        self.pending_name.take().unwrap_or_else(|| ("(inline server action)".into(), fallback))
    }
}

impl Visit for InlineServerFunctions {
    fn visit_var_declarator(&mut self, d: &clerkguard_syntax::ast::VarDeclarator) {
        if let (Pat::Ident(name), Some(init)) = (&d.name, &d.init)
            && FnRef::from_expr(init).is_some()
        {
            self.pending_name = Some((name.id.sym.as_str().to_owned(), range_of(&name.id)));
        }
        d.visit_children_with(self);
        self.pending_name = None;
    }

    fn visit_fn_decl(&mut self, f: &clerkguard_syntax::ast::FnDecl) {
        self.pending_name = Some((f.ident.sym.as_str().to_owned(), range_of(&f.ident)));
        f.visit_children_with(self);
    }

    fn visit_function(&mut self, f: &Function) {
        if FnRef::Function(f).has_use_server() {
            let (name, range) = self.take_name(range_of(f));
            self.found.push((name, range, EntryFn::OwnedFunction(Box::new(f.clone()))));
        }
        self.pending_name = None;
        f.visit_children_with(self);
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        if FnRef::Arrow(a).has_use_server() {
            let (name, range) = self.take_name(range_of(a));
            self.found.push((name, range, EntryFn::OwnedArrow(Box::new(a.clone()))));
        }
        self.pending_name = None;
        a.visit_children_with(self);
    }
}

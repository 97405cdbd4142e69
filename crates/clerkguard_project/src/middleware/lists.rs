//! `createRouteMatcher([...])` lists and `authMiddleware({ publicRoutes })` lists, read from the
//! middleware file or from the module they are imported from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Callee, Expr, ImportSpecifier, Lit, Module, ModuleDecl, ModuleItem};
use clerkguard_syntax::{SourceKind, parse_source};

use super::ast::{export_name, local_for_export, peel, range_of, static_string, top_level_init};
use crate::matcher::{ClerkMatcherOptions, ClerkRouteMatcher, MatcherError, RouteMatcherParam};

/// What a list does in the middleware.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListRole {
    /// Routes it matches are protected (`if (isProtectedRoute(req)) await auth.protect()`).
    Protect,
    /// Routes it matches are exempt from a deny-by-default protect (`!isPublicRoute(req)`,
    /// `publicRoutes`).
    Public,
    /// `ignoredRoutes`: the middleware does not run for them.
    Ignored,
    /// Defined but used in no protect decision.
    Other,
}

/// One element of a route list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteListEntry {
    pub param: RouteMatcherParam,
    /// The file the element is written in.
    pub file: PathBuf,
    pub range: TextRange,
}

/// A route list as Clerk evaluates it.
#[derive(Clone, Debug)]
pub struct RouteList {
    /// The local name (`isPublicRoute`) or the option (`publicRoutes`).
    pub name: String,
    /// The file the list is written in, and the range of its array literal (or single value).
    pub file: PathBuf,
    pub range: TextRange,
    /// Whether `range` is an array literal (new entries can be inserted before its `]`).
    pub is_array: bool,
    pub entries: Vec<RouteListEntry>,
    /// The compiled matcher, or why `createRouteMatcher()` would throw.
    pub matcher: Result<ClerkRouteMatcher, MatcherError>,
    pub role: ListRole,
}

impl RouteList {
    /// Does the list match this pathname? An invalid list throws at startup in Clerk; here it
    /// matches nothing.
    pub fn matches(&self, path: &str) -> crate::matcher::Match {
        match &self.matcher {
            Ok(m) => m.matches(path),
            Err(_) => crate::matcher::Match::No,
        }
    }

    /// Indices (into `entries`) of the elements that match `path`.
    pub fn matching_entries(&self, path: &str) -> Vec<usize> {
        match &self.matcher {
            Ok(m) => m.matching_entries(path),
            Err(_) => Vec::new(),
        }
    }
}

/// Resolves an import specifier from a file to (path, text) of a project module.
pub type ImportResolver<'r> = dyn Fn(&Path, &str) -> Option<(PathBuf, String)> + 'r;

/// Local names bound to Clerk's server exports: local → exported name.
pub fn clerk_imports(module: &Module) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for item in &module.body {
        let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else { continue };
        let source = import.src.value.to_string_lossy();
        if !matches!(source.as_ref(), "@clerk/nextjs/server" | "@clerk/nextjs" | "@clerk/nextjs/api") {
            continue;
        }
        for spec in &import.specifiers {
            if let ImportSpecifier::Named(named) = spec {
                let imported = named.imported.as_ref().map_or_else(|| named.local.sym.as_str().to_owned(), export_name);
                out.insert(named.local.sym.as_str().to_owned(), imported);
            }
        }
    }
    out
}

/// `import { local } from "specifier"` / `import { exported as local }`: (specifier, exported).
fn import_of(module: &Module, local: &str) -> Option<(String, String)> {
    for item in &module.body {
        let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else { continue };
        for spec in &import.specifiers {
            if let ImportSpecifier::Named(named) = spec
                && &*named.local.sym == local
            {
                let imported = named.imported.as_ref().map_or_else(|| local.to_string(), export_name);
                return Some((import.src.value.to_string_lossy().into_owned(), imported));
            }
        }
    }
    None
}

/// Finds the route list a local name of `module` (in `file`) refers to.
pub fn list_for_name(
    module: &Module,
    file: &Path,
    name: &str,
    options: ClerkMatcherOptions,
    resolve: &ImportResolver<'_>,
) -> Option<RouteList> {
    let imports = clerk_imports(module);
    if let Some(init) = top_level_init(module, name) {
        return list_from_call(module, file, name, init, &imports, options);
    }
    let (specifier, exported) = import_of(module, name)?;
    let (target, text) = resolve(file, &specifier)?;
    let parsed = parse_source(&text, SourceKind::from_path(&target).unwrap_or(SourceKind::TypeScript));
    let other = parsed.module.as_ref()?;
    let local = local_for_export(other, &exported)?;
    let init = top_level_init(other, &local)?;
    let other_imports = clerk_imports(other);
    list_from_call(other, &target, name, init, &other_imports, options)
}

fn list_from_call(
    module: &Module,
    file: &Path,
    name: &str,
    init: &Expr,
    imports: &HashMap<String, String>,
    options: ClerkMatcherOptions,
) -> Option<RouteList> {
    let Expr::Call(call) = peel(init) else { return None };
    let Callee::Expr(callee) = &call.callee else { return None };
    let Expr::Ident(id) = peel(callee) else { return None };
    if imports.get(&*id.sym).map(String::as_str) != Some("createRouteMatcher") {
        return None;
    }
    let arg = call.args.first().map(|a| &*a.expr);
    Some(build_list(module, file, name, arg, options))
}

/// Builds a list from the value given to `createRouteMatcher` or `publicRoutes`.
pub fn build_list(
    module: &Module,
    file: &Path,
    name: &str,
    value: Option<&Expr>,
    options: ClerkMatcherOptions,
) -> RouteList {
    let mut entries = Vec::new();
    let (range, is_array) = match value {
        Some(value) => {
            let value = resolve_ident(module, value);
            collect(module, file, value, &mut entries, 0);
            (range_of(value), matches!(value, Expr::Array(_)))
        }
        None => (TextRange::default(), false),
    };
    let params: Vec<RouteMatcherParam> = entries.iter().map(|e| e.param.clone()).collect();
    RouteList {
        name: name.to_string(),
        file: file.to_path_buf(),
        range,
        is_array,
        entries,
        matcher: ClerkRouteMatcher::new(&params, options),
        role: ListRole::Other,
    }
}

fn resolve_ident<'m>(module: &'m Module, expr: &'m Expr) -> &'m Expr {
    match peel(expr) {
        Expr::Ident(id) => top_level_init(module, &id.sym).map_or(expr, peel),
        other => other,
    }
}

fn collect(module: &Module, file: &Path, expr: &Expr, out: &mut Vec<RouteListEntry>, depth: usize) {
    let expr = peel(expr);
    let push = |out: &mut Vec<RouteListEntry>, param| {
        out.push(RouteListEntry { param, file: file.to_path_buf(), range: range_of(expr) })
    };
    if let Some(text) = static_string(expr) {
        return push(out, RouteMatcherParam::Path(text));
    }
    match expr {
        Expr::Lit(Lit::Regex(re)) => {
            push(out, RouteMatcherParam::RegExp { source: re.exp.to_string(), flags: re.flags.to_string() })
        }
        Expr::Array(array) if depth < 4 => {
            for elem in array.elems.iter().flatten() {
                if elem.spread.is_some() {
                    let target = resolve_ident(module, &elem.expr);
                    if matches!(target, Expr::Array(_)) {
                        collect(module, file, target, out, depth + 1);
                    } else {
                        out.push(RouteListEntry {
                            param: RouteMatcherParam::Function,
                            file: file.to_path_buf(),
                            range: range_of(&*elem.expr),
                        });
                    }
                } else {
                    collect(module, file, &elem.expr, out, depth + 1);
                }
            }
        }
        Expr::Ident(_) if depth < 4 => {
            let target = resolve_ident(module, expr);
            if std::ptr::eq(target, expr) {
                push(out, RouteMatcherParam::Function);
            } else {
                collect(module, file, target, out, depth + 1);
            }
        }
        // Functions and anything not written out: evaluated per request.
        _ => push(out, RouteMatcherParam::Function),
    }
}

//! Small syntax helpers for reading middleware files statically.

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{
    Decl, Expr, Lit, MemberProp, Module, ModuleDecl, ModuleExportName, ModuleItem, Pat, PropName, Stmt, VarDeclarator,
};
use clerkguard_syntax::swc_common::Spanned;

/// Strips parentheses, `await`-free wrappers TypeScript adds (`as`, `satisfies`, `!`).
pub fn peel(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => peel(&p.expr),
        Expr::TsAs(e) => peel(&e.expr),
        Expr::TsSatisfies(e) => peel(&e.expr),
        Expr::TsNonNull(e) => peel(&e.expr),
        Expr::TsConstAssertion(e) => peel(&e.expr),
        Expr::TsTypeAssertion(e) => peel(&e.expr),
        other => other,
    }
}

pub fn range_of(node: &impl Spanned) -> TextRange {
    TextRange::from_span(node.span())
}

/// A string literal or a template without expressions.
pub fn static_string(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
        Expr::Tpl(tpl) if tpl.exprs.is_empty() => {
            tpl.quasis.iter().map(|q| q.cooked.as_ref().map(|c| c.to_string_lossy().into_owned())).collect()
        }
        _ => None,
    }
}

pub fn prop_name(name: &PropName) -> Option<String> {
    match name {
        PropName::Ident(id) => Some(id.sym.as_str().to_owned()),
        PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
        _ => None,
    }
}

pub fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(id) => id.sym.as_str().to_owned(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    }
}

/// `obj.prop` → (obj, "prop").
pub fn as_member(expr: &Expr) -> Option<(&Expr, String)> {
    match peel(expr) {
        Expr::Member(m) => match &m.prop {
            MemberProp::Ident(id) => Some((&m.obj, id.sym.as_str().to_owned())),
            _ => None,
        },
        Expr::OptChain(o) => match &*o.base {
            clerkguard_syntax::ast::OptChainBase::Member(m) => match &m.prop {
                MemberProp::Ident(id) => Some((&m.obj, id.sym.as_str().to_owned())),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Top-level `const`/`let`/`var` declarators (exported or not).
pub fn top_level_declarators(module: &Module) -> impl Iterator<Item = (&VarDeclarator, bool)> {
    module.body.iter().flat_map(|item| {
        let (decl, exported) = match item {
            ModuleItem::Stmt(Stmt::Decl(Decl::Var(v))) => (Some(&**v), false),
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => match &e.decl {
                Decl::Var(v) => (Some(&**v), true),
                _ => (None, false),
            },
            _ => (None, false),
        };
        decl.into_iter().flat_map(move |v| v.decls.iter().map(move |d| (d, exported)))
    })
}

/// The initializer of the top-level binding `name`.
pub fn top_level_init<'m>(module: &'m Module, name: &str) -> Option<&'m Expr> {
    top_level_declarators(module)
        .find(|(d, _)| matches!(&d.name, Pat::Ident(id) if &*id.id.sym == name))
        .and_then(|(d, _)| d.init.as_deref())
}

/// The local name exported as `exported` (`export const x`, `export { y as x }`).
pub fn local_for_export(module: &Module, exported: &str) -> Option<String> {
    for (d, is_exported) in top_level_declarators(module) {
        if is_exported && matches!(&d.name, Pat::Ident(id) if &*id.id.sym == exported) {
            return Some(exported.to_string());
        }
    }
    for item in &module.body {
        let ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(named)) = item else { continue };
        if named.src.is_some() {
            continue;
        }
        for spec in &named.specifiers {
            if let clerkguard_syntax::ast::ExportSpecifier::Named(n) = spec {
                let out = n.exported.as_ref().map_or_else(|| export_name(&n.orig), export_name);
                if out == exported {
                    return Some(export_name(&n.orig));
                }
            }
        }
    }
    None
}

//! Reading `pageExtensions`, `basePath` and `i18n` from next.config without running it.
//!
//! Recognised shapes: an object literal exported with `module.exports =` or `export default`,
//! directly or through a top-level `const`, optionally wrapped in plugin calls
//! (`withSentryConfig(nextConfig, {...})`, `withBundleAnalyzer({...})(nextConfig)`) that are
//! assumed to pass the config through. Anything else (a function, a computed value, a spread)
//! leaves the affected settings at their defaults and records why.

use std::path::{Path, PathBuf};

use clerkguard_syntax::ast::{
    ArrayLit, AssignTarget, Callee, Decl, Expr, Lit, MemberProp, Module, ModuleDecl, ModuleItem, ObjectLit, Pat, Prop,
    PropName, PropOrSpread, SimpleAssignTarget, Stmt,
};
use clerkguard_syntax::{SourceKind, parse_source};

use crate::matcher::I18nConfig;

/// next.config file names, in the order Next.js looks for them.
const CONFIG_FILES: [&str; 5] =
    ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts"];

/// How deep `const a = b; const b = withX(c); ...` chains are followed.
const MAX_RESOLVE_DEPTH: usize = 8;

/// The route-related settings of a next.config, as far as they can be read statically.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NextConfig {
    /// The config file read, if one exists.
    pub file: Option<PathBuf>,
    pub page_extensions: Option<Vec<String>>,
    pub base_path: Option<String>,
    pub i18n: Option<I18nConfig>,
    /// Why some settings could not be read (empty when the config was fully static, or absent).
    pub not_static: Vec<String>,
}

impl NextConfig {
    /// Whether every setting that matters here was read (or there is no config file).
    pub fn is_statically_readable(&self) -> bool {
        self.not_static.is_empty()
    }

    /// Finds and reads the project's next.config (no file: all defaults, readable).
    pub fn load(project_root: &Path) -> NextConfig {
        let Some(path) = CONFIG_FILES.iter().map(|name| project_root.join(name)).find(|p| p.is_file()) else {
            return NextConfig::default();
        };
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, SourceKind::from_path(&path).unwrap_or(SourceKind::JavaScript)),
            Err(err) => NextConfig { not_static: vec![format!("cannot read the file: {err}")], ..Default::default() },
        };
        config.file = Some(path);
        config
    }

    /// Reads the settings from next.config source text.
    pub fn parse(text: &str, kind: SourceKind) -> NextConfig {
        let mut config = NextConfig::default();
        let parsed = parse_source(text, kind);
        let Some(module) = parsed.module.as_ref().filter(|_| parsed.errors.is_empty()) else {
            config.not_static.push("the file does not parse".into());
            return config;
        };
        let Some(exported) = exported_config(module) else {
            config.not_static.push("no `module.exports =` or `export default` found".into());
            return config;
        };
        match resolve_object(module, exported, 0) {
            Ok(object) => Reader { module, config: &mut config }.read(object),
            Err(reason) => config.not_static.push(reason),
        }
        config
    }
}

/// The expression given to the last `module.exports =` or `export default`.
fn exported_config(module: &Module) -> Option<&Expr> {
    let mut found = None;
    for item in &module.body {
        match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(export)) => found = Some(&*export.expr),
            ModuleItem::Stmt(Stmt::Expr(stmt)) => {
                if let Expr::Assign(assign) = peel(&stmt.expr)
                    && is_module_exports(&assign.left)
                {
                    found = Some(&*assign.right);
                }
            }
            _ => {}
        }
    }
    found
}

fn is_module_exports(target: &AssignTarget) -> bool {
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = target else { return false };
    let is_module = matches!(peel(&member.obj), Expr::Ident(id) if &*id.sym == "module");
    let is_exports = matches!(&member.prop, MemberProp::Ident(id) if &*id.sym == "exports");
    is_module && is_exports
}

/// Strips parentheses and TypeScript-only wrappers.
fn peel(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(e) => &e.expr,
            Expr::TsAs(e) => &e.expr,
            Expr::TsSatisfies(e) => &e.expr,
            Expr::TsConstAssertion(e) => &e.expr,
            Expr::TsNonNull(e) => &e.expr,
            Expr::TsTypeAssertion(e) => &e.expr,
            _ => return expr,
        };
    }
}

/// The initializer of a top-level `const`/`let`/`var` (exported or not) named `name`.
fn top_level_binding<'m>(module: &'m Module, name: &str) -> Option<&'m Expr> {
    let mut found = None;
    for item in &module.body {
        let decl = match item {
            ModuleItem::Stmt(Stmt::Decl(Decl::Var(var))) => var,
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => match &export.decl {
                Decl::Var(var) => var,
                _ => continue,
            },
            _ => continue,
        };
        for declarator in &decl.decls {
            if let (Pat::Ident(id), Some(init)) = (&declarator.name, &declarator.init)
                && &*id.id.sym == name
            {
                found = Some(&**init);
            }
        }
    }
    found
}

/// Follows identifiers and plugin wrappers to the config object literal.
fn resolve_object<'m>(module: &'m Module, expr: &'m Expr, depth: usize) -> Result<&'m ObjectLit, String> {
    if depth > MAX_RESOLVE_DEPTH {
        return Err("the exported config is too indirect".into());
    }
    match peel(expr) {
        Expr::Object(object) => Ok(object),
        Expr::Ident(id) => match top_level_binding(module, &id.sym) {
            Some(init) => resolve_object(module, init, depth + 1),
            None => Err(format!("`{}` is not a top-level constant", id.sym)),
        },
        Expr::Call(call) if matches!(call.callee, Callee::Expr(_)) => {
            // `withX(config, options)`; next-compose-plugins: `withPlugins([plugins], config)`.
            let mut args = call.args.iter().filter(|arg| arg.spread.is_none());
            let config = match args.next() {
                Some(first) if matches!(peel(&first.expr), Expr::Array(_)) => args.next(),
                first => first,
            };
            match config {
                Some(arg) => resolve_object(module, &arg.expr, depth + 1),
                None => Err("the config is built by a call without a config argument".into()),
            }
        }
        Expr::Arrow(_) | Expr::Fn(_) => Err("the config is a function (evaluated at build time)".into()),
        _ => Err("the exported config is computed".into()),
    }
}

struct Reader<'a, 'm> {
    module: &'m Module,
    config: &'a mut NextConfig,
}

impl<'m> Reader<'_, 'm> {
    fn read(&mut self, object: &ObjectLit) {
        for prop in &object.props {
            let (key, value) = match prop {
                PropOrSpread::Spread(_) => {
                    self.config.not_static.push("the config object spreads another value".into());
                    continue;
                }
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(kv) => match prop_name(&kv.key) {
                        Some(key) => (key, Some(&*kv.value)),
                        None => continue,
                    },
                    Prop::Shorthand(id) => (id.sym.as_str().to_owned(), top_level_binding(self.module, &id.sym)),
                    _ => continue,
                },
            };
            if !matches!(key.as_str(), "pageExtensions" | "basePath" | "i18n") {
                continue;
            }
            let read = value.and_then(|value| match key.as_str() {
                "pageExtensions" => self.strings(value).map(|v| self.config.page_extensions = Some(v)),
                "basePath" => self.string(value).map(|v| self.config.base_path = Some(v)),
                _ => self.i18n(value).map(|v| self.config.i18n = Some(v)),
            });
            if read.is_none() {
                self.config.not_static.push(format!("`{key}` is not a literal"));
            }
        }
    }

    fn resolve<'e>(&self, expr: &'e Expr) -> &'e Expr
    where
        'm: 'e,
    {
        match peel(expr) {
            Expr::Ident(id) => top_level_binding(self.module, &id.sym).map_or(expr, peel),
            other => other,
        }
    }

    fn string(&self, expr: &Expr) -> Option<String> {
        match self.resolve(expr) {
            Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
            Expr::Tpl(tpl) if tpl.exprs.is_empty() => {
                tpl.quasis.iter().map(|q| q.cooked.as_ref().map(|c| c.to_string_lossy().into_owned())).collect()
            }
            _ => None,
        }
    }

    fn strings(&self, expr: &Expr) -> Option<Vec<String>> {
        let Expr::Array(ArrayLit { elems, .. }) = self.resolve(expr) else { return None };
        elems
            .iter()
            .map(|elem| elem.as_ref().filter(|e| e.spread.is_none()).and_then(|e| self.string(&e.expr)))
            .collect()
    }

    fn i18n(&self, expr: &Expr) -> Option<I18nConfig> {
        let Expr::Object(object) = self.resolve(expr) else { return None };
        let mut i18n = I18nConfig::default();
        let mut has_locales = false;
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else { return None };
            let Prop::KeyValue(kv) = &**prop else { continue };
            match prop_name(&kv.key).as_deref() {
                Some("locales") => {
                    i18n.locales = self.strings(&kv.value)?;
                    has_locales = true;
                }
                Some("defaultLocale") => i18n.default_locale = Some(self.string(&kv.value)?),
                _ => {}
            }
        }
        has_locales.then_some(i18n)
    }
}

fn prop_name(name: &PropName) -> Option<String> {
    match name {
        PropName::Ident(id) => Some(id.sym.as_str().to_owned()),
        PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
        _ => None,
    }
}

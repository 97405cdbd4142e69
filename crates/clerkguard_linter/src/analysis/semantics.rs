//! Per-file bindings: what each imported name refers to.

use std::collections::HashMap;

use clerkguard_syntax::ast::{ImportSpecifier, Module, ModuleDecl, ModuleExportName, ModuleItem};
use clerkguard_syntax::{Directive, TextRange, module_directives};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImportedName {
    Named(String),
    Default,
    Namespace,
}

#[derive(Clone, Debug)]
pub struct ImportBinding {
    pub source: String,
    pub imported: ImportedName,
    pub range: TextRange,
    pub type_only: bool,
    /// Whether `source` names a data library or module (worked out when first asked).
    pub(crate) data_module: std::cell::OnceCell<bool>,
}

/// Facts about a file that every rule needs.
#[derive(Debug, Default)]
pub struct FileSemantics {
    pub directives: Vec<Directive>,
    /// Local name → what it imports.
    pub imports: HashMap<String, ImportBinding, rustc_hash::FxBuildHasher>,
    /// Byte range of each import declaration, in order (for inserting new imports).
    pub import_decls: Vec<TextRange>,
    /// Names of the `auth` parameter of `clerkMiddleware((auth, req) => ...)` handlers.
    pub middleware_auth_params: Vec<String>,
    /// The effect kind of each call of the file classified so far, by the call's span: the
    /// guard flow and the query finder both classify every call of an entry point.
    pub(crate) effect_kinds: std::cell::RefCell<rustc_hash::FxHashMap<(u32, u32), Option<super::effects::EffectKind>>>,
}

impl FileSemantics {
    pub fn build(module: &Module, _text: &str) -> Self {
        let mut sem = FileSemantics { directives: module_directives(module), ..Default::default() };
        for item in &module.body {
            let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else { continue };
            sem.import_decls.push(TextRange::from_span(import.span));
            let source = import.src.value.to_string_lossy().into_owned();
            for spec in &import.specifiers {
                let (local, imported, type_only) = match spec {
                    ImportSpecifier::Named(named) => {
                        let imported = match &named.imported {
                            Some(ModuleExportName::Ident(id)) => id.sym.as_str().to_owned(),
                            Some(ModuleExportName::Str(s)) => s.value.to_string_lossy().into_owned(),
                            None => named.local.sym.as_str().to_owned(),
                        };
                        (&named.local, ImportedName::Named(imported), named.is_type_only || import.type_only)
                    }
                    ImportSpecifier::Default(d) => (&d.local, ImportedName::Default, import.type_only),
                    ImportSpecifier::Namespace(ns) => (&ns.local, ImportedName::Namespace, import.type_only),
                };
                sem.imports.insert(
                    local.sym.as_str().to_owned(),
                    ImportBinding {
                        source: source.clone(),
                        imported,
                        range: TextRange::from_span(local.span),
                        type_only,
                        data_module: std::cell::OnceCell::new(),
                    },
                );
            }
        }
        sem.middleware_auth_params = super::middleware_params::collect(module, &sem);
        sem
    }

    pub fn has_directive(&self, directive: Directive) -> bool {
        self.directives.contains(&directive)
    }

    /// Whether the file imports anything from a Clerk package: without that, no expression of
    /// the file names a Clerk function (rules looking only for Clerk calls can skip the file).
    pub fn imports_clerk(&self) -> bool {
        self.imports.values().any(|b| b.source.starts_with("@clerk/"))
    }
}

//! Same-file helper functions and their summaries, computed on demand (cycles answer "unknown").

use std::cell::RefCell;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use clerkguard_syntax::ast::{Decl, DefaultDecl, ModuleDecl, ModuleItem, Pat, Stmt};

use super::FunctionSummary;
use super::flow::{Analyzer, EntryKind};
use super::functions::FnRef;

pub struct LocalFunctions<'a> {
    functions: HashMap<String, FnRef<'a>>,
    memo: RefCell<HashMap<String, Option<FunctionSummary>>>,
    in_progress: RefCell<HashSet<String>>,
}

impl<'a> LocalFunctions<'a> {
    pub fn collect(module: &'a clerkguard_syntax::ast::Module) -> Self {
        let mut functions = HashMap::default();
        for item in &module.body {
            let decl = match item {
                ModuleItem::Stmt(Stmt::Decl(decl)) => Some(decl),
                ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => Some(&export.decl),
                ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(d)) => {
                    if let DefaultDecl::Fn(f) = &d.decl {
                        functions.insert("default".to_string(), FnRef::Function(&f.function));
                        if let Some(ident) = &f.ident {
                            functions.insert(ident.sym.to_string(), FnRef::Function(&f.function));
                        }
                    }
                    None
                }
                ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => {
                    if let Some(f) = FnRef::from_expr(&e.expr) {
                        functions.insert("default".to_string(), f);
                    }
                    None
                }
                _ => None,
            };
            match decl {
                Some(Decl::Fn(f)) => {
                    functions.insert(f.ident.sym.to_string(), FnRef::Function(&f.function));
                }
                Some(Decl::Var(var)) => {
                    for d in &var.decls {
                        if let (Pat::Ident(name), Some(init)) = (&d.name, &d.init)
                            && let Some(f) = FnRef::from_expr(init)
                        {
                            functions.insert(name.id.sym.to_string(), f);
                        }
                    }
                }
                _ => {}
            }
        }
        Self { functions, memo: RefCell::default(), in_progress: RefCell::default() }
    }

    pub fn get(&self, name: &str) -> Option<FnRef<'a>> {
        self.functions.get(name).copied()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.functions.keys().map(String::as_str)
    }

    /// The summary of a same-file function, `None` when there is no such function or while it
    /// is being computed (recursion).
    pub fn summary(&self, name: &str, analyzer: &Analyzer<'_>) -> Option<FunctionSummary> {
        if let Some(known) = self.memo.borrow().get(name) {
            return *known;
        }
        let func = self.get(name)?;
        if !self.in_progress.borrow_mut().insert(name.to_string()) {
            return None;
        }
        let summary = analyzer.analyze(func, EntryKind::Helper).summary;
        self.in_progress.borrow_mut().remove(name);
        self.memo.borrow_mut().insert(name.to_string(), Some(summary));
        Some(summary)
    }
}

//! Same-file helper functions and their summaries, computed on demand (cycles answer "unknown").

use std::cell::RefCell;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use clerkguard_syntax::ast::{Decl, DefaultDecl, ModuleDecl, ModuleItem, Pat, Stmt};

use super::FunctionSummary;
use super::flow::{Analyzer, EntryKind};
use super::functions::FnRef;

pub struct LocalFunctions<'a> {
    /// Names borrowed from the tree (built on every keystroke in an editor buffer).
    functions: HashMap<&'a str, FnRef<'a>>,
    memo: RefCell<HashMap<String, Option<FunctionSummary>>>,
    in_progress: RefCell<HashSet<String>>,
    /// When recording: every name whose summary was asked for (a function of the file or
    /// not), in order, with what each one's own summary consulted (so a memoised answer logs
    /// its dependencies too). An editor buffer's cache reuses an entry point's analysis only
    /// while these are unchanged.
    recording: bool,
    log: RefCell<Vec<String>>,
    consulted_by: RefCell<HashMap<String, Vec<String>>>,
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
                        functions.insert("default", FnRef::Function(&f.function));
                        if let Some(ident) = &f.ident {
                            functions.insert(&*ident.sym, FnRef::Function(&f.function));
                        }
                    }
                    None
                }
                ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => {
                    if let Some(f) = FnRef::from_expr(&e.expr) {
                        functions.insert("default", f);
                    }
                    None
                }
                _ => None,
            };
            match decl {
                Some(Decl::Fn(f)) => {
                    functions.insert(&*f.ident.sym, FnRef::Function(&f.function));
                }
                Some(Decl::Var(var)) => {
                    for d in &var.decls {
                        if let (Pat::Ident(name), Some(init)) = (&d.name, &d.init)
                            && let Some(f) = FnRef::from_expr(init)
                        {
                            functions.insert(&*name.id.sym, f);
                        }
                    }
                }
                _ => {}
            }
        }
        Self {
            functions,
            memo: RefCell::default(),
            in_progress: RefCell::default(),
            recording: false,
            log: RefCell::default(),
            consulted_by: RefCell::default(),
        }
    }

    /// Records which functions' summaries are asked for (see [`Self::consulted_since`]).
    pub fn recording(mut self, on: bool) -> Self {
        self.recording = on;
        self
    }

    /// A mark in the log of consulted functions.
    pub fn log_mark(&self) -> usize {
        self.log.borrow().len()
    }

    /// The names whose summaries were asked for since `mark`, directly or by
    /// the summaries computed for them (sorted, without repeats).
    pub fn consulted_since(&self, mark: usize) -> Vec<String> {
        let mut names: Vec<String> = self.log.borrow().get(mark..).unwrap_or_default().to_vec();
        names.sort_unstable();
        names.dedup();
        names
    }

    pub fn get(&self, name: &str) -> Option<FnRef<'a>> {
        self.functions.get(name).copied()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.functions.keys().copied()
    }

    /// The summary of a same-file function, `None` when there is no such function or while it
    /// is being computed (recursion).
    pub fn summary(&self, name: &str, analyzer: &Analyzer<'_>) -> Option<FunctionSummary> {
        if let Some(known) = self.memo.borrow().get(name) {
            if self.recording {
                let mut log = self.log.borrow_mut();
                log.push(name.to_string());
                log.extend(self.consulted_by.borrow().get(name).into_iter().flatten().cloned());
            }
            return *known;
        }
        if self.recording {
            // Also when there is no such function: one added later would change the answer.
            self.log.borrow_mut().push(name.to_string());
        }
        let func = self.get(name)?;
        if !self.in_progress.borrow_mut().insert(name.to_string()) {
            return None;
        }
        let mark = self.log_mark();
        let summary = analyzer.analyze(func, EntryKind::Helper).summary;
        if self.recording {
            let consulted = self.consulted_since(mark);
            self.consulted_by.borrow_mut().insert(name.to_string(), consulted);
        }
        self.in_progress.borrow_mut().remove(name);
        self.memo.borrow_mut().insert(name.to_string(), Some(summary));
        Some(summary)
    }
}

//! Cross-module function summaries: resolve an import, analyse the module it names (from its
//! open buffer or disk), and cache the summaries of its exports per file. Lookups record who
//! depended on whom, so editing a helper invalidates exactly the modules and files built on it.
//! Import cycles answer "unknown" instead of looping.

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use clerkguard_project::{Resolution, Resolver};
use clerkguard_syntax::ast::{ExportSpecifier, ModuleDecl, ModuleExportName, ModuleItem};
use clerkguard_syntax::{SourceKind, parse_source};

use super::flow::Analyzer;
use super::locals::LocalFunctions;
use super::{FileSemantics, FunctionSummary, SummaryLookup};
use crate::Workspace;
use crate::locks::{read, write};

/// What one module offers its importers.
#[derive(Debug, Default)]
struct ModuleSummaries {
    exports: HashMap<String, FunctionSummary>,
    /// `export { a as b } from "x"`: exported name → (specifier, imported name).
    named_reexports: HashMap<String, (String, String)>,
    /// `export * from "x"`.
    star_reexports: Vec<String>,
}

#[derive(Default)]
pub struct ModuleSummaryCache {
    resolvers: RwLock<HashMap<PathBuf, Arc<Resolver>>>,
    /// Keyed by the path's bytes, like `dependents` (hashing a `Path` walks its components;
    /// every lookup of an imported helper asks both).
    modules: RwLock<HashMap<OsString, Arc<ModuleSummaries>>>,
    /// module → files whose analysis looked into it.
    dependents: RwLock<HashMap<OsString, HashSet<OsString>>>,
}

impl std::fmt::Debug for ModuleSummaryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleSummaryCache").field("modules", &read(&self.modules).len()).finish()
    }
}

impl ModuleSummaryCache {
    pub fn clear(&self) {
        write(&self.resolvers).clear();
        write(&self.modules).clear();
    }

    /// Forgets what was computed from `path` and from every module built on it; returns every
    /// file (module or entry file) whose findings may change, `path` excluded.
    pub fn invalidate(&self, path: &Path) -> Vec<PathBuf> {
        let dependents = read(&self.dependents);
        let mut affected: HashSet<OsString> = HashSet::default();
        let mut queue = vec![path.as_os_str().to_owned()];
        while let Some(next) = queue.pop() {
            if let Some(users) = dependents.get(&next) {
                for user in users {
                    if affected.insert(user.clone()) {
                        queue.push(user.clone());
                    }
                }
            }
        }
        drop(dependents);
        let mut modules = write(&self.modules);
        modules.remove(path.as_os_str());
        for file in &affected {
            modules.remove(file);
        }
        drop(modules);
        affected.remove(path.as_os_str());
        let mut out: Vec<PathBuf> = affected.into_iter().map(PathBuf::from).collect();
        out.sort();
        out
    }

    /// Forgets what imports resolved to: a file was created, deleted or renamed.
    pub fn invalidate_resolution(&self) {
        for resolver in read(&self.resolvers).values() {
            resolver.invalidate();
        }
    }

    pub fn lookup<'a>(&'a self, workspace: &'a Workspace, from: &'a Path) -> CachedLookup<'a> {
        CachedLookup {
            cache: self,
            workspace,
            from: from.to_path_buf(),
            visiting: Rc::default(),
            answered: RefCell::default(),
            resolver: std::cell::OnceCell::new(),
        }
    }

    fn resolver_for(&self, workspace: &Workspace, from: &Path) -> Arc<Resolver> {
        let project = workspace.project_for(from);
        if let Some(resolver) = read(&self.resolvers).get(&project.info.root) {
            return resolver.clone();
        }
        let resolver = Arc::new(Resolver::new(&project.info));
        write(&self.resolvers).insert(project.info.root.clone(), resolver.clone());
        resolver
    }

    fn record_dependency(&self, module: &Path, user: &Path) {
        // Mostly known already (every lint of `user` asks again): a shared lock, no copies.
        let (module, user) = (module.as_os_str(), user.as_os_str());
        if read(&self.dependents).get(module).is_some_and(|users| users.contains(user)) {
            return;
        }
        let mut dependents = write(&self.dependents);
        let users = dependents.entry(module.to_owned()).or_default();
        if !users.contains(user) {
            users.insert(user.to_owned());
        }
    }
}

type Rc<T> = std::rc::Rc<T>;

/// The [`SummaryLookup`] of one file being linted.
pub struct CachedLookup<'a> {
    cache: &'a ModuleSummaryCache,
    workspace: &'a Workspace,
    from: PathBuf,
    /// Modules being analysed on this thread right now (cycle guard).
    visiting: Rc<RefCell<HashSet<PathBuf>>>,
    /// Answers given during this lookup's life (one lint), by specifier and export name: a
    /// file calls the same imported helper many times, and each question otherwise resolves and
    /// hashes paths again.
    answered: RefCell<HashMap<String, HashMap<String, Option<FunctionSummary>>>>,
    /// The resolver of `from`'s project, looked up on the first question.
    resolver: std::cell::OnceCell<Arc<Resolver>>,
}

impl SummaryLookup for CachedLookup<'_> {
    fn imported(&self, specifier: &str, export_name: &str) -> Option<FunctionSummary> {
        if let Some(known) = self.answered.borrow().get(specifier).and_then(|names| names.get(export_name)) {
            return *known;
        }
        let answer = self.imported_depth(specifier, export_name, 0);
        self.answered.borrow_mut().entry(specifier.to_string()).or_default().insert(export_name.to_string(), answer);
        answer
    }
}

impl CachedLookup<'_> {
    fn imported_depth(&self, specifier: &str, export_name: &str, depth: usize) -> Option<FunctionSummary> {
        if depth > 16 {
            return None; // pathological re-export chains
        }
        let resolver = self.resolver.get_or_init(|| self.cache.resolver_for(self.workspace, &self.from));
        let Resolution::File(path) = resolver.resolve(&self.from, specifier) else { return None };
        self.cache.record_dependency(&path, &self.from);
        let module = self.module(&path)?;
        if let Some(summary) = module.exports.get(export_name) {
            return Some(*summary);
        }
        let nested = CachedLookup {
            cache: self.cache,
            workspace: self.workspace,
            from: path.clone(),
            visiting: self.visiting.clone(),
            answered: RefCell::default(),
            resolver: std::cell::OnceCell::new(),
        };
        if let Some((spec, name)) = module.named_reexports.get(export_name) {
            return nested.imported_depth(spec, name, depth + 1);
        }
        if export_name != "default" {
            for spec in &module.star_reexports {
                if let Some(summary) = nested.imported_depth(spec, export_name, depth + 1) {
                    return Some(summary);
                }
            }
        }
        None
    }

    fn module(&self, path: &Path) -> Option<Arc<ModuleSummaries>> {
        if let Some(hit) = read(&self.cache.modules).get(path.as_os_str()) {
            return Some(hit.clone());
        }
        if !self.visiting.borrow_mut().insert(path.to_path_buf()) {
            return None; // import cycle: unknown
        }
        let computed = self.analyse(path);
        self.visiting.borrow_mut().remove(path);
        let computed = Arc::new(computed?);
        write(&self.cache.modules).insert(path.as_os_str().to_owned(), computed.clone());
        Some(computed)
    }

    fn analyse(&self, path: &Path) -> Option<ModuleSummaries> {
        let kind = SourceKind::from_path(path)?;
        let text = self.workspace.sources().text(path).ok()?;
        let parsed = parse_source(&text, kind);
        let module = parsed.module.as_ref()?;
        let sem = FileSemantics::build(module, &text);
        let locals = LocalFunctions::collect(module);
        let nested = CachedLookup {
            cache: self.cache,
            workspace: self.workspace,
            from: path.to_path_buf(),
            visiting: self.visiting.clone(),
            answered: RefCell::default(),
            resolver: std::cell::OnceCell::new(),
        };
        let guards = self.workspace.project_for(path).config.guards.clone();
        let analyzer = Analyzer { sem: &sem, summaries: &nested, locals: &locals, extra_guards: &guards };
        let mut out = ModuleSummaries::default();
        for item in &module.body {
            let ModuleItem::ModuleDecl(decl) = item else { continue };
            match decl {
                ModuleDecl::ExportNamed(named) => {
                    let source = named.src.as_ref().map(|s| s.value.to_string_lossy().into_owned());
                    for spec in &named.specifiers {
                        let ExportSpecifier::Named(n) = spec else { continue };
                        let orig = export_name(&n.orig);
                        let exported = n.exported.as_ref().map_or_else(|| orig.clone(), export_name);
                        match &source {
                            Some(source) => {
                                out.named_reexports.insert(exported, (source.clone(), orig));
                            }
                            None => {
                                if let Some(summary) = self.local_or_imported(&orig, &analyzer, &locals, &sem) {
                                    out.exports.insert(exported, summary);
                                }
                            }
                        }
                    }
                }
                ModuleDecl::ExportAll(all) => out.star_reexports.push(all.src.value.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        for name in locals.names() {
            if is_exported(module, name)
                && let Some(summary) = locals.summary(name, &analyzer)
            {
                out.exports.insert(name.to_string(), summary);
            }
        }
        Some(out)
    }

    fn local_or_imported(
        &self,
        name: &str,
        analyzer: &Analyzer<'_>,
        locals: &LocalFunctions<'_>,
        sem: &FileSemantics,
    ) -> Option<FunctionSummary> {
        if let Some(summary) = locals.summary(name, analyzer) {
            return Some(summary);
        }
        let binding = sem.imports.get(name)?;
        let imported = match &binding.imported {
            super::ImportedName::Named(n) => n.as_str(),
            super::ImportedName::Default => "default",
            super::ImportedName::Namespace => return None,
        };
        analyzer.summaries.imported(&binding.source, imported)
    }
}

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(id) => id.sym.as_str().to_owned(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    }
}

/// Whether a top-level function name is exported (declaration export or `export default`).
fn is_exported(module: &clerkguard_syntax::ast::Module, name: &str) -> bool {
    use clerkguard_syntax::ast::{Decl, Pat};
    if name == "default" {
        return true;
    }
    module.body.iter().any(|item| match item {
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => match &e.decl {
            Decl::Fn(f) => &*f.ident.sym == name,
            Decl::Var(v) => v.decls.iter().any(|d| matches!(&d.name, Pat::Ident(b) if &*b.id.sym == name)),
            _ => false,
        },
        _ => false,
    })
}

use std::cell::{Cell, OnceCell};
use std::path::Path;

use clerkguard_project::{FileRole, ProjectInfo};
use clerkguard_syntax::swc_common::Spanned;
use clerkguard_syntax::{LineIndex, TextRange, ast::Module, ast::ModuleItem};

use crate::analysis::{FileSemantics, SummaryLookup};
use crate::{Config, Diagnostic, RuleMeta};

/// What linting one file reads besides its syntax: the file, its project, and the summaries of
/// the modules it imports.
#[derive(Clone, Copy)]
pub struct FileInput<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub project: &'a ProjectInfo,
    pub config: &'a Config,
    pub summaries: &'a dyn SummaryLookup,
    /// Project-wide facts: files, next.config, route table.
    pub index: &'a crate::ProjectIndex,
}

/// Everything a rule may look at for one file.
pub struct FileContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub line_index: &'a LineIndex,
    pub module: &'a Module,
    pub project: &'a ProjectInfo,
    pub role: FileRole,
    pub config: &'a Config,
    pub semantics: &'a FileSemantics,
    pub summaries: &'a dyn SummaryLookup,
    /// Project-wide facts: files, next.config, route table.
    pub index: &'a crate::ProjectIndex,
    /// Entry points and their guard flow, computed once for all rules that need them.
    pub(crate) entries: OnceCell<Vec<crate::rules::entry_points::AnalyzedEntry>>,
    pub(crate) style: OnceCell<crate::fixer::FileStyle>,
    /// Queries and checks per entry point, shared by the tenancy rules.
    pub(crate) tenancy: OnceCell<Vec<crate::rules::tenancy::facts::TenancyFacts>>,
    /// Same-file functions with their memoized summaries, shared by every analysis of the file.
    locals: OnceCell<crate::analysis::locals::LocalFunctions<'a>>,
    /// The file's entry points (found once; four analyses walk them).
    entry_points: OnceCell<Vec<crate::analysis::entry_points::EntryPoint<'a>>>,
    /// Analyses kept by an editor buffer's cache, offered for reuse (see `buffer_cache.rs`).
    pub(crate) reuse: std::cell::RefCell<Option<crate::buffer_cache::LintReuse>>,
    /// The answers of [`Self::mentions`] so far.
    pub(crate) mentions: crate::mentions::Mentions,
    /// The data-schema model of each name asked about ([`Self::data_model`]).
    data_models: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Option<usize>>>,
    /// A context rebuilt from kept facts, without the syntax tree (`module` is empty): see
    /// [`Self::syntax`].
    hollow: bool,
    /// A hollow context was asked for the syntax tree: its rules' findings are not valid.
    syntax_needed: Cell<bool>,
}

/// What the middleware does for the route this file serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MiddlewareProtection {
    /// Not known (no route table / middleware model yet): treated as not protected.
    Unknown,
    /// The middleware rejects signed-out requests to this route.
    Protected,
    /// The route is outside the matcher or public in the middleware.
    NotProtected,
}

impl<'a> FileContext<'a> {
    /// A context for one parsed file. Entry points and the style are computed on first use.
    pub fn new(
        input: FileInput<'a>,
        line_index: &'a LineIndex,
        module: &'a Module,
        semantics: &'a FileSemantics,
    ) -> Self {
        let FileInput { path, text, project, config, summaries, index } = input;
        Self {
            path,
            text,
            line_index,
            module,
            project,
            role: clerkguard_project::classify_path(&project.root, path),
            config,
            semantics,
            summaries,
            index,
            entries: OnceCell::new(),
            style: OnceCell::new(),
            tenancy: OnceCell::new(),
            locals: OnceCell::new(),
            entry_points: OnceCell::new(),
            reuse: Default::default(),
            mentions: Default::default(),
            data_models: Default::default(),
            hollow: false,
            syntax_needed: Cell::new(false),
        }
    }

    /// A context for a file whose syntax tree is gone, from the facts an earlier lint of the
    /// same text kept: its analysed entries and tenancy facts. `empty` stands in for the
    /// module; anything that asks for syntax gets nothing and marks the context
    /// ([`Self::syntax_needed`]), so the caller knows to parse again.
    pub(crate) fn hollow(
        input: FileInput<'a>,
        line_index: &'a LineIndex,
        empty: &'a Module,
        semantics: &'a FileSemantics,
        kept: crate::lint::KeptFacts,
    ) -> Self {
        let mut ctx = Self::new(input, line_index, empty, semantics);
        ctx.hollow = true;
        if let Some(entries) = kept.entries {
            ctx.entries = OnceCell::from(entries);
        }
        if let Some(tenancy) = kept.tenancy {
            ctx.tenancy = OnceCell::from(tenancy);
        }
        ctx
    }

    /// The model of the project's data schema that `name` (a query's model or table, a
    /// relation's type) names: [`crate::project_index::data_schema::DataSchema::model`],
    /// answered once per name and file. The schema rules ask for the model of every query of
    /// every entry point (~570 times a keystroke in the 3,000-line benchmark module, for a few
    /// names).
    pub(crate) fn data_model(&self, name: &str) -> Option<&'a crate::project_index::data_schema::Model> {
        let schema = self.index.data_schema();
        let known = self.data_models.borrow().get(name).copied();
        let at = match known {
            Some(at) => at,
            None => {
                let at = schema.model_index(name);
                self.data_models.borrow_mut().insert(name.into(), at);
                at
            }
        };
        at.and_then(|at| schema.models().get(at))
    }

    /// Whether the file's text contains `word`: the rules' cheap test before a walk (each word
    /// is looked for once per file, however many rules ask).
    pub fn mentions(&self, word: &'static str) -> bool {
        self.mentions.contains(self.text, word)
    }

    /// The facts a later hollow context of this file needs for the rules reading the data
    /// schema: the entries with queries or organization API calls, with their tenancy facts
    /// (those rules look at nothing else; an entry's kept caches stay valid).
    pub(crate) fn keep_schema_rule_facts(&mut self) -> crate::lint::KeptFacts {
        let (Some(entries), Some(tenancy)) = (self.entries.take(), self.tenancy.take()) else {
            return crate::lint::KeptFacts::default();
        };
        let (entries, tenancy) = entries
            .into_iter()
            .zip(tenancy)
            .filter(|(_, facts)| facts.concerns_schema_rules())
            .map(|(entry, facts)| (entry, facts.keep_for_schema_rules()))
            .unzip();
        crate::lint::KeptFacts { entries: Some(entries), tenancy: Some(tenancy) }
    }

    /// The syntax tree, for code that walks it. In a hollow context this is an empty module
    /// and the context remembers that its findings need a real parse.
    pub fn syntax(&self) -> &'a Module {
        if self.hollow {
            self.syntax_needed.set(true);
        }
        self.module
    }

    /// Whether something asked a hollow context for syntax it does not have.
    pub(crate) fn syntax_needed(&self) -> bool {
        self.syntax_needed.get()
    }
}

impl<'a> FileContext<'a> {
    /// The file's top-level functions; their summaries are computed once per lint.
    pub fn locals(&self) -> &crate::analysis::locals::LocalFunctions<'a> {
        self.locals.get_or_init(|| {
            crate::analysis::locals::LocalFunctions::collect(self.syntax()).recording(self.reuse.borrow().is_some())
        })
    }

    /// The file's entry points (exports callers reach, inline Server Functions), found once.
    pub fn entry_points(&self) -> &[crate::analysis::entry_points::EntryPoint<'a>] {
        self.entry_points.get_or_init(|| {
            // An inline Server Function starts with the directive, so a file without the words
            // (beyond its own module directive) has none and is not walked for them.
            let module_directive = usize::from(self.semantics.has_directive(clerkguard_syntax::Directive::UseServer));
            let inline = memchr::memmem::find_iter(self.text.as_bytes(), "use server").nth(module_directive).is_some();
            crate::analysis::entry_points::find(self.syntax(), self.semantics, self.role, self.locals(), inline)
        })
    }
}

impl FileContext<'_> {
    /// The analysed entry points of this file.
    pub fn entries(&self) -> &[crate::rules::entry_points::AnalyzedEntry] {
        self.entries.get_or_init(|| crate::rules::entry_points::analyze_entries(self))
    }

    /// How the file's conventions look (quotes, semicolons, indentation) for generated code.
    pub fn style(&self) -> crate::fixer::FileStyle {
        self.style.get_or_init(|| crate::fixer::FileStyle::detect(self.text)).clone()
    }

    /// Whether the middleware protects the route this file serves (from the routing model:
    /// conditional protection counts as protected, an unreadable matcher as unknown).
    pub fn middleware_protection(&self) -> MiddlewareProtection {
        use crate::project_index::routing::RouteStatus;
        match self.index.routing().route_for(self.path).map(|r| r.status) {
            Some(RouteStatus::Protected | RouteStatus::Conditional) => MiddlewareProtection::Protected,
            Some(RouteStatus::Public | RouteStatus::OutsideMatcher | RouteStatus::NoMiddleware) => {
                MiddlewareProtection::NotProtected
            }
            Some(RouteStatus::Unknown) | None => MiddlewareProtection::Unknown,
        }
    }

    /// A diagnostic of `meta`'s rule with its default severity (configuration is applied later).
    pub fn diagnostic(&self, meta: &RuleMeta, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(meta.id, meta.default_severity, range, message)
    }

    pub fn source(&self, range: TextRange) -> &str {
        self.text.get(range.as_usize_range()).unwrap_or("")
    }

    /// Runs `check` on each top-level item in order, which is the same as walking the module
    /// with one visitor. For a rule whose findings read one item at a time: `check` returns
    /// whether the state it carries is back to its initial one after the item (nothing seen in
    /// the item is waiting for a later one). An editor buffer's lint then reuses the kept
    /// findings of every unchanged item that started and ended in that state, moved to where
    /// the item now is ([`crate::BufferCache`]).
    pub(crate) fn each_item(
        &self,
        rule: &'static RuleMeta,
        out: &mut Vec<Diagnostic>,
        mut check: impl FnMut(&ModuleItem, &mut Vec<Diagnostic>) -> bool,
    ) {
        if self.reuse.borrow().is_none() {
            for item in &self.module.body {
                check(item, out);
            }
            return;
        }
        let mut initial = true;
        let mut previous_end = 0;
        for (index, item) in self.module.body.iter().enumerate() {
            // From the end of the item before: a class's decorators come before its span.
            let end = TextRange::from_span(item.span()).end;
            let range = TextRange::new(previous_end.min(end), end);
            previous_end = end;
            if initial {
                let kept = self
                    .reuse
                    .borrow_mut()
                    .as_mut()
                    .and_then(|r| r.reuse_item_findings(rule.id, index, range, self.text, self.path));
                if let Some(found) = kept {
                    out.extend(found);
                    continue;
                }
            }
            let start = out.len();
            let started_initial = initial;
            // The borrow is released while `check` runs: it may ask for the entry points.
            initial = check(item, out);
            if started_initial
                && initial
                && let Some(reuse) = self.reuse.borrow_mut().as_mut()
            {
                reuse.keep_item_findings(rule.id, index, range, self.text, out[start..].to_vec());
            }
        }
    }
}

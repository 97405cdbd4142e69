//! Section A: entry points and what they must check.

mod async_scope;
mod auth_not_awaited;
mod auth_result_unchecked;
mod client_supplied_identity;
mod guard_fix;
mod mutation_without_ownership_check;
mod protect_not_awaited;
mod route_handler_missing_auth;
mod server_action_missing_auth;

pub(crate) use guard_fix::auth_lookup;

use std::cell::OnceCell;

use rustc_hash::FxHashSet as HashSet;

use clerkguard_syntax::TextRange;

pub use auth_not_awaited::AuthNotAwaited;
pub use auth_result_unchecked::AuthResultUnchecked;
pub use client_supplied_identity::ClientSuppliedIdentity;
pub use protect_not_awaited::ProtectNotAwaited;
pub use route_handler_missing_auth::RouteHandlerMissingAuth;
pub use server_action_missing_auth::ServerActionMissingAuth;

use crate::analysis::ast_util::pat_idents;
use crate::analysis::entry_points::EntryPointKind;
use crate::analysis::flow::{Analyzer, FunctionFacts};
use crate::analysis::functions::FnRef;
use crate::fixer::{body_insert_point, make_async};
use crate::relocate::{Relocate, Relocation};
use crate::{Edit, FileContext, Rule};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(ServerActionMissingAuth),
        Box::new(RouteHandlerMissingAuth),
        Box::new(AuthResultUnchecked),
        Box::new(AuthNotAwaited),
        Box::new(ProtectNotAwaited),
        Box::new(ClientSuppliedIdentity),
        Box::new(mutation_without_ownership_check::MutationWithoutOwnershipCheck),
    ]
}

/// An entry point with its guard flow and what fixes need to know about its function, all owned
/// so the result can be cached on the file context.
#[derive(Clone, Debug)]
pub struct AnalyzedEntry {
    pub kind: EntryPointKind,
    pub name: String,
    pub report_range: TextRange,
    pub wrapper_guards: bool,
    pub facts: FunctionFacts,
    /// The edit making the function `async`, when it is not.
    pub make_async: Option<Edit>,
    pub params: Vec<String>,
    /// Which of the file's [`FileContext::entry_points`] this is.
    index: usize,
    /// What only fixes need, computed when a fix asks ([`Self::body_insert`], [`Self::declared`]).
    body_insert: OnceCell<Option<(u32, String)>>,
    declared: OnceCell<HashSet<String>>,
}

impl AnalyzedEntry {
    /// Makes a kept analysis the `index`-th entry point of a new version of its file (its
    /// function unchanged; [`Self::relocate`] has moved it where the edit moved it).
    pub(crate) fn reindex(&mut self, index: usize) {
        self.index = index;
    }

    /// Moves a kept analysis with its function ([`crate::relocate`]).
    pub(crate) fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let AnalyzedEntry {
            kind: _,
            name: _,
            report_range,
            wrapper_guards: _,
            facts,
            make_async,
            params: _,
            index: _,
            body_insert,
            declared: _,
        } = self;
        by.range(report_range)?;
        facts.relocate(by)?;
        make_async.relocate(by)?;
        // Computed again when a fix asks.
        *body_insert = OnceCell::new();
        Some(())
    }

    /// Where statements go at the top of the body, with their indentation.
    pub fn body_insert(&self, ctx: &FileContext<'_>) -> Option<(u32, String)> {
        self.body_insert
            .get_or_init(|| {
                let func = ctx.entry_points().get(self.index)?.func.get();
                body_insert_point(func, ctx.text, &ctx.style())
            })
            .clone()
    }

    /// Every name declared in the function (to avoid collisions in generated code).
    pub fn declared(&self, ctx: &FileContext<'_>) -> &HashSet<String> {
        self.declared.get_or_init(|| {
            ctx.entry_points().get(self.index).map(|e| declared_names(e.func.get())).unwrap_or_default()
        })
    }
}

pub(crate) fn analyze_entries(ctx: &FileContext<'_>) -> Vec<AnalyzedEntry> {
    let locals = ctx.locals();
    let analyzer = Analyzer { sem: ctx.semantics, summaries: ctx.summaries, locals, extra_guards: &ctx.config.guards };
    let mut reuse = ctx.reuse.borrow_mut();
    ctx.entry_points()
        .iter()
        .enumerate()
        .map(|(index, entry)| match reuse.as_mut() {
            Some(reuse) => match reuse.reuse(index, entry, locals, ctx.text) {
                Some(kept) => kept,
                None => reuse.recording(index, locals, ctx.text, || analyze_entry(ctx, &analyzer, index, entry)),
            },
            None => analyze_entry(ctx, &analyzer, index, entry),
        })
        .collect()
}

fn analyze_entry(
    ctx: &FileContext<'_>,
    analyzer: &Analyzer<'_>,
    index: usize,
    entry: &crate::analysis::entry_points::EntryPoint<'_>,
) -> AnalyzedEntry {
    let func = entry.func.get();
    let facts = analyzer.analyze(func, entry.kind.flow_kind());
    AnalyzedEntry {
        wrapper_guards: entry.wrapper_guards(),
        kind: entry.kind.clone(),
        name: entry.name.to_string(),
        report_range: entry.report_range,
        facts,
        make_async: make_async(func, ctx.text),
        params: param_names(func),
        index,
        body_insert: OnceCell::new(),
        declared: OnceCell::new(),
    }
}

fn param_names(func: FnRef<'_>) -> Vec<String> {
    func.params()
        .into_iter()
        .map(|p| {
            let mut names = Vec::new();
            pat_idents(p, &mut names);
            match p {
                clerkguard_syntax::ast::Pat::Ident(b) => b.id.sym.as_str().to_owned(),
                _ => names.first().map(|(n, _)| n.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

fn declared_names(func: FnRef<'_>) -> HashSet<String> {
    use clerkguard_syntax::visit::{Visit, VisitWith};
    struct Declared(HashSet<String>);
    impl Visit for Declared {
        fn visit_pat(&mut self, pat: &clerkguard_syntax::ast::Pat) {
            let mut names = Vec::new();
            pat_idents(pat, &mut names);
            self.0.extend(names.into_iter().map(|(n, _)| n));
        }
    }
    let mut declared = Declared(HashSet::default());
    for p in func.params() {
        p.visit_with(&mut declared);
    }
    match func {
        FnRef::Function(f) => f.body.visit_with(&mut declared),
        FnRef::Arrow(a) => a.body.visit_with(&mut declared),
    }
    declared.0
}

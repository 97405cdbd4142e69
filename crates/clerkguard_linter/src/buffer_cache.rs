//! What an editor buffer keeps between versions: its syntax tree (for the incremental re-parse,
//! [`Reparser`]) and the analyses of its entry points (guard flow and tenancy facts), reused
//! when nothing they read changed.
//!
//! An entry point's analysis reads its own function; the file's imports, directives and
//! middleware parameters ([`FileSemantics`]); the summaries of the same-file functions it
//! calls, or that a name it calls is none (logged while it runs, with what their own summaries
//! asked: [`LocalFunctions::consulted_since`]); and the summaries of imported modules. A kept
//! analysis is reused when:
//! - the function is the same text, with the same name, kind and wrapper, at the same place
//!   once the edit since the last version is accounted for (an edit before it moves it: its
//!   analysis moves along, [`crate::relocate`]);
//! - every same-file function it consulted has the same text, and every name it asked about
//!   that was not a function of the file still is not;
//! - the file's semantics are the same;
//! - the workspace counted no change since the last lint but this buffer's own edit (another
//!   file, a manifest or the settings changing may change imported summaries).
//!
//! The same conditions, with the item's text and place, keep the findings of rules that read one
//! top-level item at a time ([`crate::FileContext::each_item`]).
//!
//! Texts are compared by 64-bit hashes (FxHash, with lengths and places also compared).

use std::hash::{Hash, Hasher};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHasher};

use clerkguard_syntax::{Reparser, TextChange, TextRange};

use crate::Diagnostic;
use crate::analysis::FileSemantics;
use crate::analysis::entry_points::{EntryFn, EntryPoint, EntryPointKind};
use crate::analysis::locals::LocalFunctions;
use crate::relocate::{Relocation, relocate_diagnostic};
use crate::rules::entry_points::AnalyzedEntry;
use crate::rules::tenancy::facts::TenancyFacts;

/// The state an editor keeps for one open buffer between its versions; pass it to
/// [`crate::Workspace::lint_text_reparsing`] and [`crate::Workspace::set_overlay_cached`].
#[derive(Default)]
pub struct BufferCache {
    pub(crate) reparser: Reparser,
    /// The workspace generation the kept analyses were made at; `None` once another change
    /// may have made them stale.
    generation: Option<u64>,
    /// The hash of what every kept analysis read from the file besides functions.
    context: u64,
    kept: KeptEntries,
    items: ItemFindings,
    /// The text the kept analyses were made for.
    text: String,
    /// The words the last lint asked whether `text` mentions, with where (see `mentions.rs`).
    mentions: Vec<crate::mentions::Answer>,
    /// The style the last lint detected in `text`, and how much of the text it read.
    style: Option<(crate::fixer::FileStyle, usize)>,
    /// The line index of `text` (kept with it).
    line_index: Option<clerkguard_syntax::LineIndex>,
    /// Of the last lint's item findings (per rule and item), how many were reused.
    last_item_reuse: usize,
    /// Of the last lint's entry points, how many were reused and how many there were.
    last_reuse: (usize, usize),
}

/// Findings of rules that read one top-level item at a time: per rule, each item's findings in
/// the order of the items. (A hash map keyed by rule and item cost a cache miss per item and
/// rule on every keystroke; a lint asks in item order, so a cursor walks each rule's list.)
#[derive(Default)]
pub(crate) struct ItemFindings {
    rules: Vec<RuleItems>,
    /// The rule asked about last: a rule asks about every item in a row.
    last: usize,
}

#[derive(Default)]
struct RuleItems {
    rule: &'static str,
    items: Vec<KeptItem>,
    /// Where the next lookup starts (lookups come in item order).
    cursor: usize,
}

struct KeptItem {
    /// From the end of the item before to the end of this one.
    range: TextRange,
    /// The hash of the text in `range`.
    content: u64,
    found: Vec<Diagnostic>,
}

impl ItemFindings {
    fn is_empty(&self) -> bool {
        self.rules.iter().all(|r| r.items.is_empty())
    }

    fn len(&self) -> usize {
        self.rules.iter().map(|r| r.items.len()).sum()
    }

    /// Empty, with room for as many items per rule as `last` holds (a keystroke keeps the
    /// item count; each rule's list grew from empty ~8 times per lint).
    fn sized_like(last: &Self) -> Self {
        let rules = last
            .rules
            .iter()
            .map(|r| RuleItems { rule: r.rule, items: Vec::with_capacity(r.items.len() + 4), cursor: 0 })
            .collect();
        Self { rules, last: 0 }
    }

    /// Where `rule`'s list is: the last one asked about, else found by name.
    fn position(&mut self, rule: &'static str) -> Option<usize> {
        let same = |r: &RuleItems| std::ptr::eq(r.rule, rule) || r.rule == rule;
        let at = match self.rules.get(self.last) {
            Some(r) if same(r) => self.last,
            _ => self.rules.iter().position(same)?,
        };
        self.last = at;
        Some(at)
    }

    fn rule_mut(&mut self, rule: &'static str) -> &mut RuleItems {
        let at = self.position(rule).unwrap_or_else(|| {
            self.rules.push(RuleItems { rule, ..RuleItems::default() });
            self.rules.len() - 1
        });
        &mut self.rules[at]
    }

    fn push(&mut self, rule: &'static str, range: TextRange, content: u64, found: Vec<Diagnostic>) {
        self.rule_mut(rule).items.push(KeptItem { range, content, found });
    }

    /// Takes the findings kept for an item of `rule` that was at `range` with text `content`.
    /// Lookups of one rule must come in item order.
    fn take(&mut self, rule: &'static str, range: TextRange, content: u64) -> Option<Vec<Diagnostic>> {
        let at = self.position(rule)?;
        let list = &mut self.rules[at];
        while list.items.get(list.cursor).is_some_and(|item| item.range.start < range.start) {
            list.cursor += 1;
        }
        let item = list.items.get_mut(list.cursor).filter(|item| item.range == range && item.content == content)?;
        list.cursor += 1;
        Some(std::mem::take(&mut item.found))
    }
}

/// One entry point's analysis, kept for the next version.
pub(crate) struct KeptEntry {
    entry: AnalyzedEntry,
    tenancy: Option<TenancyFacts>,
    /// The names of same-file functions it asked about, with the hash of each one's text
    /// (`None`: there was no such function).
    consulted: Vec<(String, Option<u64>)>,
}

/// The kept analyses, by key ([`entry_key`]). The index is a small table of positions; the
/// analyses, large values, stay in one list (kept inline in the table, every lookup of a
/// keystroke touched a large slot of a large table, and every removal moved one).
#[derive(Default)]
pub(crate) struct KeptEntries {
    index: FxHashMap<u64, usize>,
    entries: Vec<Option<KeptEntry>>,
}

impl KeptEntries {
    fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
    }

    fn reserve(&mut self, additional: usize) {
        self.index.reserve(additional);
        self.entries.reserve(additional);
    }

    fn insert(&mut self, key: u64, entry: KeptEntry) {
        match self.index.get(&key) {
            // Two entry points with one key (the same function reported twice) keep the last.
            Some(&at) => self.entries[at] = Some(entry),
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push(Some(entry));
            }
        }
    }

    fn take(&mut self, key: u64) -> Option<KeptEntry> {
        let at = self.index.remove(&key)?;
        self.entries.get_mut(at)?.take()
    }
}

impl BufferCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Called around the buffer's own overlay update: the kept analyses stay usable if the
    /// generation moved by exactly that one change.
    pub(crate) fn note_own_change(&mut self, before: u64, after: u64) {
        self.generation = match self.generation {
            Some(g) if g == before && after == before + 1 => Some(after),
            _ => None,
        };
    }

    /// The kept analyses usable for a lint at `generation` of `text`, a file with `context`,
    /// with the change from the text they were made for; the rest are dropped.
    /// Also returns what depends on the text only, carried over to `text`: the answers of the
    /// text pre-checks, and the file's style when the edit is past what its detection read.
    /// `change` is [`Self::change_to`] `text`.
    pub(crate) fn take_usable(
        &mut self,
        generation: u64,
        context: u64,
        text: &str,
        change: Option<TextChange>,
    ) -> (Offer, TextFacts) {
        let kept = std::mem::take(&mut self.kept);
        let items = std::mem::take(&mut self.items);
        let mentions = std::mem::take(&mut self.mentions);
        let style = self.style.take();
        let Some(change) = change else {
            return (Offer::default(), TextFacts::default());
        };
        let facts = TextFacts {
            mentions: crate::mentions::carried_over(mentions, change, text),
            style: style.filter(|(_, read)| change.start as usize >= *read).map(|(style, _)| style),
        };
        if self.generation != Some(generation) || self.context != context {
            return (Offer::default(), facts);
        }
        (Offer { kept, items, change }, facts)
    }

    /// The change from the kept text to `text`; `None` when no text is kept (it is kept only
    /// with analyses or findings to reuse). Worked out once per lint: the text is compared
    /// with the kept one here, and once more by the re-parser (which keeps its own).
    pub(crate) fn change_to(&self, text: &str) -> Option<TextChange> {
        (!self.kept.is_empty() || !self.items.is_empty()).then(|| TextChange::between(&self.text, text))
    }

    /// The line index of `text` (`change` is [`Self::change_to`] `text`): the kept one edited.
    pub(crate) fn line_index_for(&self, text: &str, change: Option<TextChange>) -> clerkguard_syntax::LineIndex {
        match (&self.line_index, change) {
            (Some(index), Some(change)) => index.edited(change, text),
            _ => clerkguard_syntax::LineIndex::new(text),
        }
    }

    /// Keeps a lint's analyses, made for `text`.
    pub(crate) fn store(
        &mut self,
        generation: u64,
        context: u64,
        text: &str,
        Kept { entries: kept, items, reused, items_reused }: Kept,
        TextFacts { mentions, style }: TextFacts,
        line_index: &clerkguard_syntax::LineIndex,
    ) {
        self.generation = Some(generation);
        self.mentions = mentions;
        self.style = style.and_then(|style| Some((style, crate::fixer::FileStyle::extent(text)?)));
        self.context = context;
        self.last_reuse = (reused, kept.len());
        self.last_item_reuse = items_reused;
        self.kept = kept;
        self.items = items;
        self.text.clear();
        self.line_index = None;
        if !self.kept.is_empty() || !self.items.is_empty() {
            self.text.push_str(text);
            self.line_index = Some(line_index.clone());
        }
    }

    /// The line index the last lint made, if it was of `text` (kept when the text is kept): an
    /// editor converting that lint's findings to positions needs no index of its own.
    pub fn line_index_of(&self, text: &str) -> Option<&clerkguard_syntax::LineIndex> {
        self.line_index.as_ref().filter(|_| self.text == text)
    }

    /// Of the last lint's entry points: how many analyses were reused, and how many entry
    /// points there were (for tests and statistics).
    pub fn last_reuse(&self) -> (usize, usize) {
        self.last_reuse
    }

    /// Of the last lint's findings of rules that read one top-level item at a time (one set
    /// per rule and item), how many were reused and how many there were.
    pub fn last_item_reuse(&self) -> (usize, usize) {
        (self.last_item_reuse, self.items.len())
    }

    /// How the last parse went: whole file, unchanged, or only the touched items.
    pub fn last_parse(&self) -> Option<clerkguard_syntax::ReparseKind> {
        self.reparser.last_kind()
    }
}

/// What a lint found out about its text alone, kept for the next version of the buffer.
#[derive(Default)]
pub(crate) struct TextFacts {
    pub(crate) mentions: Vec<crate::mentions::Answer>,
    pub(crate) style: Option<crate::fixer::FileStyle>,
}

/// The kept analyses offered to one lint, and the change since the text they were made for.
#[derive(Default)]
pub(crate) struct Offer {
    kept: KeptEntries,
    items: ItemFindings,
    change: TextChange,
}

/// The reuse bookkeeping of one lint with a [`BufferCache`]: its entry points and item findings.
#[derive(Default)]
pub(crate) struct LintReuse {
    offered: Offer,
    /// Per entry point of this lint, in order: its key and the functions it consulted.
    keys: Vec<u64>,
    consulted: Vec<Vec<(String, Option<u64>)>>,
    /// Tenancy facts taken over from a kept analysis, until the tenancy pass asks for them.
    tenancy: Vec<Option<TenancyFacts>>,
    reused: usize,
    /// The item findings of this lint (and how many were reused), and the text hash of each
    /// top-level item asked about.
    items: ItemFindings,
    items_reused: usize,
    item_hashes: Vec<Option<u64>>,
}

impl LintReuse {
    /// Offers the kept analyses of a [`BufferCache`] ([`BufferCache::take_usable`]).
    pub(crate) fn offer(&mut self, offer: Offer) {
        // About as many entry points as last time.
        let expected = offer.kept.len();
        self.keys.reserve(expected);
        self.consulted.reserve(expected);
        self.tenancy.reserve(expected);
        self.items = ItemFindings::sized_like(&offer.items);
        self.offered = offer;
    }

    /// The kept analysis of `entry`, if it is still valid; it becomes entry point `index`.
    /// Either way the entry is registered (analyse it afresh through [`Self::recording`]).
    pub(crate) fn reuse(
        &mut self,
        index: usize,
        entry: &EntryPoint<'_>,
        locals: &LocalFunctions<'_>,
        text: &str,
    ) -> Option<AnalyzedEntry> {
        let content = entry_content_hash(entry, text);
        let function = entry.func.get().range();
        self.keys.push(entry_key(content, function, entry.report_range));
        self.consulted.push(Vec::new());
        self.tenancy.push(None);
        // Where the function and its report range were in the last version.
        let change = self.offered.change;
        let old_function = in_last_version(change, function, function)?;
        let old_report = in_last_version(change, entry.report_range, function)?;
        let kept = self.offered.kept.take(entry_key(content, old_function, old_report))?;
        let still = kept.consulted.iter().all(|(name, hash)| function_hash(locals, name, text) == *hash);
        if !still {
            return None;
        }
        let KeptEntry { mut entry, mut tenancy, consulted } = kept;
        if !change.is_none() {
            let by = Relocation::new(change, old_function);
            entry.relocate(&by)?;
            tenancy.as_mut().map_or(Some(()), |t| t.relocate(&by))?;
        }
        entry.reindex(index);
        self.reused += 1;
        self.consulted[index] = consulted;
        self.tenancy[index] = tenancy;
        Some(entry)
    }

    /// Runs `analyse` (an analysis of entry point `index`) and adds the same-file functions it
    /// consulted to the entry point's.
    pub(crate) fn recording<T>(
        &mut self,
        index: usize,
        locals: &LocalFunctions<'_>,
        text: &str,
        analyse: impl FnOnce() -> T,
    ) -> T {
        let mark = locals.log_mark();
        let out = analyse();
        let Some(list) = self.consulted.get_mut(index) else { return out };
        for name in locals.consulted_since(mark) {
            if list.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let hash = function_hash(locals, &name, text);
            list.push((name, hash));
        }
        out
    }

    /// The kept findings of `rule` for top-level item `index` (at `range` of `text`, the text of
    /// `path`), moved to where the item now is and kept again for the next version; `None` when
    /// the item changed or was not kept.
    pub(crate) fn reuse_item_findings(
        &mut self,
        rule: &'static str,
        index: usize,
        range: TextRange,
        text: &str,
        path: &Path,
    ) -> Option<Vec<Diagnostic>> {
        let change = self.offered.change;
        let old_range = in_last_version(change, range, range)?;
        let content = self.item_hash(index, range, text);
        let mut found = self.offered.items.take(rule, old_range, content)?;
        if !change.is_none() {
            let by = Relocation::new(change, old_range);
            found.iter_mut().try_for_each(|d| relocate_diagnostic(d, &by, path))?;
        }
        self.items_reused += 1;
        self.items.push(rule, range, content, found.clone());
        Some(found)
    }

    /// Keeps the findings of `rule` for top-level item `index` (at `range` of `text`).
    pub(crate) fn keep_item_findings(
        &mut self,
        rule: &'static str,
        index: usize,
        range: TextRange,
        text: &str,
        found: Vec<Diagnostic>,
    ) {
        let content = self.item_hash(index, range, text);
        self.items.push(rule, range, content, found);
    }

    fn item_hash(&mut self, index: usize, range: TextRange, text: &str) -> u64 {
        if self.item_hashes.len() <= index {
            self.item_hashes.resize(index + 1, None);
        }
        *self.item_hashes[index].get_or_insert_with(|| text_hash(text, range).unwrap_or_default())
    }

    /// The tenancy facts of entry point `index` taken over from a kept analysis.
    pub(crate) fn take_tenancy(&mut self, index: usize) -> Option<TenancyFacts> {
        self.tenancy.get_mut(index).and_then(Option::take)
    }

    /// The analyses of this lint, to keep: `entries` and `tenancy` are the context's (tenancy
    /// empty when not computed or when no entry point has effects).
    pub(crate) fn into_kept(self, entries: Option<Vec<AnalyzedEntry>>, tenancy: Option<Vec<TenancyFacts>>) -> Kept {
        let (reused, items, items_reused) = (self.reused, self.items, self.items_reused);
        let Some(entries) = entries else {
            // Nothing asked for the entries: what was offered is as valid as before, if the
            // text is the same.
            let kept = if self.offered.change.is_none() { self.offered.kept } else { KeptEntries::default() };
            return Kept { entries: kept, items, reused, items_reused };
        };
        let mut tenancy: Vec<Option<TenancyFacts>> = match tenancy {
            Some(t) if t.len() == entries.len() => t.into_iter().map(Some).collect(),
            _ => self.tenancy,
        };
        tenancy.resize_with(entries.len(), || None);
        // The offered lists are reused: fresh ones per keystroke were faulted in page by page.
        let mut kept = self.offered.kept;
        kept.clear();
        kept.reserve(entries.len());
        for (((entry, key), consulted), tenancy) in entries.into_iter().zip(self.keys).zip(self.consulted).zip(tenancy)
        {
            kept.insert(key, KeptEntry { entry, tenancy, consulted });
        }
        Kept { entries: kept, items, reused, items_reused }
    }
}

/// What one lint keeps for the next ([`LintReuse::into_kept`]), with how much it reused.
pub(crate) struct Kept {
    entries: KeptEntries,
    items: ItemFindings,
    reused: usize,
    items_reused: usize,
}

/// What identifies an entry point's analysis: its function's text, name, kind and wrapper
/// ([`entry_content_hash`]), and where the function and the report range are.
fn entry_key(content: u64, function: TextRange, report: TextRange) -> u64 {
    let mut h = FxHasher::default();
    (content, function, report).hash(&mut h);
    h.finish()
}

/// Where `range` (of a function or item at `owner`) was before `change`: an offset where text
/// was only inserted belongs to the side its owner is on.
fn in_last_version(change: TextChange, range: TextRange, owner: TextRange) -> Option<TextRange> {
    change.inverse().map_range(range, owner.start >= change.new_end)
}

/// The hash of an entry point's function text, name, kind and wrapper.
fn entry_content_hash(entry: &EntryPoint<'_>, text: &str) -> u64 {
    let mut h = FxHasher::default();
    let range = entry.func.get().range();
    text.get(range.as_usize_range()).unwrap_or("").hash(&mut h);
    matches!(entry.func, EntryFn::Borrowed(_)).hash(&mut h);
    entry.name.hash(&mut h);
    entry.wrapper.hash(&mut h);
    match &entry.kind {
        EntryPointKind::ServerFunction { inline } => (0u8, *inline).hash(&mut h),
        EntryPointKind::RouteHandler { method } => (1u8, method).hash(&mut h),
        EntryPointKind::PagesApi => 2u8.hash(&mut h),
        EntryPointKind::Page => 3u8.hash(&mut h),
    }
    h.finish()
}

/// The hash of a same-file function's text.
fn function_hash(locals: &LocalFunctions<'_>, name: &str, text: &str) -> Option<u64> {
    text_hash(text, locals.get(name)?.range())
}

/// The hash of `range` of `text`; `None` when the range is not in the text.
fn text_hash(text: &str, range: TextRange) -> Option<u64> {
    let mut h = FxHasher::default();
    text.get(range.as_usize_range())?.hash(&mut h);
    Some(h.finish())
}

/// The hash of what every entry point's analysis reads from the file besides functions: its
/// semantics.
pub(crate) fn file_context(sem: &FileSemantics) -> u64 {
    let mut h = FxHasher::default();
    sem.directives.hash(&mut h);
    let mut imports: Vec<_> = sem.imports.iter().collect();
    imports.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (local, binding) in imports {
        local.hash(&mut h);
        binding.source.hash(&mut h);
        binding.imported.hash(&mut h);
        binding.range.hash(&mut h);
        binding.type_only.hash(&mut h);
    }
    sem.import_decls.hash(&mut h);
    sem.middleware_auth_params.hash(&mut h);
    h.finish()
}

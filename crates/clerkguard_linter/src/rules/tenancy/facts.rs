//! What the tenancy rules know about one entry point: its queries (with value sources), the
//! checks it makes (comparisons with the session, membership lookups, role gates, step-up), and
//! which query results it binds.

use std::borrow::Cow;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{BinExpr, BinaryOp, CallExpr, Callee, Expr, Pat, Prop, PropOrSpread, VarDeclarator};
use clerkguard_syntax::visit::{Visit, VisitWith};
use smallvec::SmallVec;

use crate::FileContext;
use crate::analysis::ast_util::{
    as_member, chain_names, chain_parts, chain_root, join_parts, peel, prop_name, range_of,
};
use crate::analysis::entry_points;
use crate::analysis::flow::Analyzer;
use crate::analysis::functions::{FnBody, FnRef};
use crate::analysis::queries::{self, Bindings, Origin, Query, ValueSource};
use crate::analysis::{FileSemantics, ImportedName};
use crate::relocate::{Relocate, Relocation};
use crate::rules::entry_points::AnalyzedEntry;

/// A comparison between a session value and something else (`post.authorId !== userId`).
#[derive(Clone, Debug)]
pub struct SessionComparison {
    pub at: u32,
    /// The root variable of the other side (`post`), when it has one.
    pub other_root: Option<String>,
    pub other_value: ValueSource,
}

/// A call that checks the caller's access to something the caller named
/// (`await assertProjectMember(projectId)`, `requireOrgAccess(orgId)`).
#[derive(Clone, Debug)]
pub struct InputCheck {
    pub at: u32,
    /// The source text of the checked value (`projectId`, `params.orgId`).
    pub text: String,
}

/// A Clerk backend `organizations.*` call and its org-id argument.
#[derive(Clone, Debug)]
pub struct OrgApiCall {
    pub what: String,
    pub arg_value: ValueSource,
    pub arg_range: TextRange,
}

#[derive(Clone, Debug, Default)]
pub struct Checks {
    pub comparisons: Vec<SessionComparison>,
    pub input_checks: Vec<InputCheck>,
    /// Where an admin role or permission gate happens.
    pub role_gates: Vec<u32>,
    /// Where any other role gate happens (`isStaff()`, `requireRole("moderator")`).
    pub privilege_gates: Vec<u32>,
    /// A step-up (`has({ reverification })`, `reverificationError`) happens.
    pub reverification: bool,
    /// `const post = await db.post.findUnique(...)`: variable → index into the queries.
    pub results: Vec<(String, usize)>,
    pub org_api_calls: Vec<OrgApiCall>,
}

pub struct EntryData<'e> {
    pub entry: &'e AnalyzedEntry,
    pub bindings: &'e Bindings,
    pub queries: &'e [Query],
    pub checks: &'e Checks,
}

/// Origins of names that hold the session or a part of it.
const SESSION_ORIGINS: [Origin; 5] =
    [Origin::AuthObject, Origin::UserId, Origin::OrgId, Origin::HelperSession, Origin::User];

/// What [`analyze`] computes per entry point, cached on the file context so the four rules that
/// read it pay once.
pub struct TenancyFacts {
    bindings: Bindings,
    queries: Vec<Query>,
    checks: Checks,
}

impl TenancyFacts {
    /// Whether the rules reading the data schema have anything to look at: queries or
    /// organization API calls.
    pub(crate) fn concerns_schema_rules(&self) -> bool {
        !self.queries.is_empty() || !self.checks.org_api_calls.is_empty()
    }

    /// Moves kept facts with their function ([`crate::relocate`]).
    pub(crate) fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let TenancyFacts { bindings: _, queries, checks } = self;
        queries.relocate(by)?;
        checks.relocate(by)
    }

    /// Keeps only what the rules reading the data schema look at: of the bindings, the session
    /// names ([`EntryData::has_session`], [`EntryData::session_org_name`],
    /// [`EntryData::session_user_name`]). Facts kept for the second stage of a batch lint are
    /// many; this is most of their size.
    pub(crate) fn keep_for_schema_rules(mut self) -> Self {
        self.bindings.retain_origins(&SESSION_ORIGINS);
        self
    }
}

impl EntryData<'_> {
    /// The function holds a session at all (called `auth()`, a guard, or a session helper).
    pub fn has_session(&self) -> bool {
        self.entry.facts.guard_seen
            || !self.entry.facts.auth_decls.is_empty()
            || SESSION_ORIGINS.iter().any(|o| self.bindings.names_with(*o).next().is_some())
    }

    /// A local name holding the session's org id.
    pub fn session_org_name(&self) -> Option<&str> {
        let mut names: Vec<&str> = self.bindings.names_with(Origin::OrgId).collect();
        names.sort_unstable();
        names.first().copied()
    }

    pub fn session_user_name(&self) -> Option<&str> {
        let mut names: Vec<&str> = self.bindings.names_with(Origin::UserId).collect();
        names.sort_unstable();
        names.first().copied()
    }

    /// Whether the flow guarantees a signed-in caller where the query runs.
    pub fn signed_in_at(&self, query: &Query) -> bool {
        let mut sites = self.entry.facts.effects.iter().filter(|e| query.range.contains_range(e.range)).peekable();
        if sites.peek().is_none() {
            return self.entry.facts.guard_seen;
        }
        sites.any(|e| e.guarded)
    }

    /// The query's result is compared with the session later (`if (post.orgId !== orgId)`).
    pub fn result_checked(&self, index: usize) -> bool {
        let query = &self.queries[index];
        self.checks.results.iter().filter(|(_, i)| *i == index).any(|(var, _)| {
            self.checks
                .comparisons
                .iter()
                .any(|c| c.at >= query.range.end && c.other_root.as_deref() == Some(var.as_str()))
        })
    }

    /// Before `offset`, the function compared a record (not the caller's input) with the session.
    pub fn record_compared_before(&self, offset: u32) -> bool {
        self.checks.comparisons.iter().any(|c| c.at < offset && c.other_value == ValueSource::Other)
    }

    /// Before `offset`, the value with this source text was checked by a helper or compared
    /// with the session.
    pub fn input_checked_before(&self, text: &str, offset: u32) -> bool {
        let root = text.split(['.', '[', '(']).next().unwrap_or(text);
        self.checks.input_checks.iter().any(|c| c.at < offset && (c.text == text || c.text == root))
    }

    /// An admin gate happens before `offset`.
    pub fn role_gated_before(&self, offset: u32) -> bool {
        self.checks.role_gates.iter().any(|&g| g < offset)
    }

    /// Any role gate (admin, staff, a named role or permission) happens before `offset`.
    pub fn privilege_gated_before(&self, offset: u32) -> bool {
        self.role_gated_before(offset) || self.checks.privilege_gates.iter().any(|&g| g < offset)
    }
}

/// Analyses every entry point of the file for the tenancy rules (once per file).
pub fn analyze<'c>(ctx: &'c FileContext<'_>) -> Vec<EntryData<'c>> {
    let analyzed = ctx.entries();
    let facts = ctx.tenancy.get_or_init(|| compute(ctx));
    analyzed
        .iter()
        .zip(facts)
        .map(|(entry, f)| EntryData { entry, bindings: &f.bindings, queries: &f.queries, checks: &f.checks })
        .collect()
}

fn compute(ctx: &FileContext<'_>) -> Vec<TenancyFacts> {
    // Queries are data effects: entry points without any have nothing for these rules (and
    // `analyze` zips the empty result with no entries, so rules see none).
    if ctx.entries().iter().all(|e| e.facts.effects.is_empty()) {
        return Vec::new();
    }
    let locals = ctx.locals();
    let analyzer = Analyzer { sem: ctx.semantics, summaries: ctx.summaries, locals, extra_guards: &ctx.config.guards };
    let mut reuse = ctx.reuse.borrow_mut();
    ctx.entry_points()
        .iter()
        .enumerate()
        .map(|(index, entry)| match reuse.as_mut() {
            Some(reuse) => match reuse.take_tenancy(index) {
                Some(kept) => kept,
                None => reuse.recording(index, locals, ctx.text, || compute_entry(ctx, &analyzer, entry)),
            },
            None => compute_entry(ctx, &analyzer, entry),
        })
        .collect()
}

fn compute_entry(ctx: &FileContext<'_>, analyzer: &Analyzer<'_>, entry: &entry_points::EntryPoint<'_>) -> TenancyFacts {
    let func = entry.func.get();
    let bindings = Bindings::for_function(func, entry.kind.flow_kind(), analyzer);
    let queries = queries::queries_in_function(func, &bindings, ctx.semantics);
    let checks = collect_checks(func, &bindings, ctx.semantics, &queries, ctx.text);
    TenancyFacts { bindings, queries, checks }
}

fn collect_checks(func: FnRef<'_>, bindings: &Bindings, sem: &FileSemantics, queries: &[Query], text: &str) -> Checks {
    let mut scan = CheckScan { bindings, sem, queries, text, checks: Checks::default() };
    match func.body() {
        Some(FnBody::Block(stmts)) => stmts.iter().for_each(|s| s.visit_with(&mut scan)),
        Some(FnBody::Expr(e)) => e.visit_with(&mut scan),
        None => {}
    }
    // A lookup filtered by both the session user and a caller-supplied value checks that value
    // (a membership query: `db.member.findFirst({ where: { orgId, userId } })`).
    for query in queries {
        if query.conditions.iter().any(|c| c.value.is_session()) {
            for c in query.conditions.iter().filter(|c| c.value == ValueSource::Input) {
                let value_text = text.get(c.value_range.as_usize_range()).unwrap_or("").to_string();
                scan.checks.input_checks.push(InputCheck { at: query.range.end, text: value_text });
            }
        }
    }
    scan.checks
}

struct CheckScan<'a> {
    bindings: &'a Bindings,
    sem: &'a FileSemantics,
    queries: &'a [Query],
    text: &'a str,
    checks: Checks,
}

impl CheckScan<'_> {
    fn source(&self, range: TextRange) -> String {
        self.text.get(range.as_usize_range()).unwrap_or("").to_string()
    }

    fn origin(&self, expr: &Expr) -> Origin {
        queries::values::origin_of(expr, self.bindings, self.sem, None)
    }

    fn compare(&mut self, at: u32, session_side: &Expr, other: &Expr) -> bool {
        let session = self.bindings.classify(session_side, self.sem);
        if !session.is_session() {
            return false;
        }
        let other_value = self.bindings.classify(other, self.sem);
        if other_value.is_session() || other_value == ValueSource::Literal {
            return false;
        }
        if other_value == ValueSource::Input {
            self.checks.input_checks.push(InputCheck { at, text: self.source(range_of(other)) });
        }
        self.checks.comparisons.push(SessionComparison {
            at,
            other_root: chain_root(other).map(str::to_string),
            other_value,
        });
        true
    }

    /// `has({ role: 'org:admin' })`, `auth.protect({ role })`, `has({ reverification })`.
    fn auth_params_call(&mut self, call: &CallExpr) {
        let Callee::Expr(callee) = &call.callee else { return };
        let is_has = match peel(callee) {
            Expr::Ident(id) => self.bindings.origin_of_name(&id.sym) == Some(Origin::Has),
            other => as_member(other).is_some_and(|(obj, p)| p == "has" && self.origin(obj) == Origin::AuthObject),
        };
        let is_protect = self.sem.is_any_protect_callee(callee);
        if !is_has && !is_protect {
            return;
        }
        let Some(Expr::Object(obj)) = call.args.first().map(|a| peel(&a.expr)) else { return };
        for prop in &obj.props {
            let PropOrSpread::Prop(prop) = prop else { continue };
            let (key, value) = match &**prop {
                Prop::KeyValue(kv) => (prop_name(&kv.key).unwrap_or_default(), Some(&*kv.value)),
                Prop::Shorthand(id) => (Cow::Borrowed(&*id.sym), None),
                _ => continue,
            };
            match &*key {
                "reverification" => self.checks.reverification = true,
                "role" | "permission" => {
                    let literal = value.and_then(queries::string_value).unwrap_or_default().to_ascii_lowercase();
                    if is_admin_word(&literal) {
                        self.checks.role_gates.push(range_of(call).start);
                    } else {
                        self.checks.privilege_gates.push(range_of(call).start);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Role and permission keys that mean administration.
pub fn is_admin_word(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    ["admin", "owner", "superuser", "manage"].iter().any(|w| v.contains(w))
}

/// A name lowercased (ASCII), for the word checks on every call's name.
struct LowerName(SmallVec<[u8; 48]>);

impl LowerName {
    fn new(name: &str) -> Self {
        Self(name.bytes().map(|b| b.to_ascii_lowercase()).collect())
    }

    fn contains(&self, word: &str) -> bool {
        let word = word.as_bytes();
        word.len() <= self.0.len() && self.0.windows(word.len()).any(|w| w == word)
    }

    fn contains_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.contains(w))
    }

    fn starts_with(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix.as_bytes())
    }

    fn starts_with_any(&self, prefixes: &[&str]) -> bool {
        prefixes.iter().any(|p| self.starts_with(p))
    }
}

impl Visit for CheckScan<'_> {
    fn visit_bin_expr(&mut self, bin: &BinExpr) {
        bin.visit_children_with(self);
        if !matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::NotEqEq | BinaryOp::EqEq | BinaryOp::NotEq) {
            return;
        }
        let at = range_of(bin).start;
        if !self.compare(at, &bin.left, &bin.right) {
            self.compare(at, &bin.right, &bin.left);
        }
        // Role gates: `orgRole === 'org:admin'`, `user.publicMetadata.role === 'admin'`,
        // `sessionClaims?.metadata?.role !== 'admin'`.
        for (side, other) in [(&bin.left, &bin.right), (&bin.right, &bin.left)] {
            let Some(literal) = queries::string_value(other) else { continue };
            if !is_admin_word(&literal) {
                continue;
            }
            let names = chain_names(side);
            let is_role = self.origin(side) == Origin::OrgRole
                || names.last().is_some_and(|n| n.eq_ignore_ascii_case("role") || n == "orgRole" || n == "org_role");
            if is_role {
                self.checks.role_gates.push(at);
            }
        }
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        call.visit_children_with(self);
        self.auth_params_call(call);
        let Callee::Expr(callee) = &call.callee else { return };
        // Every call of the function comes here: the chain's names borrowed, not spelled out.
        let names = chain_parts(callee);
        let last: &str = names.last().map_or("", |(name, _)| name);
        // Every call comes here too: the name is lowercased on the stack and searched for short
        // words directly (a `str::contains` builds a searcher per word).
        let lower = LowerName::new(last);
        let at = range_of(call).start;
        if matches!(last, "reverificationError" | "reverificationErrorResponse") {
            self.checks.reverification = true;
        }
        if self.sem.imports.get(last).is_some_and(|b| {
            matches!(&b.imported, ImportedName::Named(n) if n == "reverificationError" || n == "reverificationErrorResponse")
        }) {
            self.checks.reverification = true;
        }
        // `requireAdmin()`, `assertIsAdmin(...)`, `isOrgAdmin()`; `isStaff()`, `requireRole(...)`.
        let gate_prefix = lower.starts_with_any(&["require", "assert", "is", "check", "ensure", "verify", "has"]);
        if gate_prefix && lower.contains("admin") {
            self.checks.role_gates.push(at);
        } else if gate_prefix && lower.contains_any(&["staff", "moderator", "superuser", "role", "permission"]) {
            self.checks.privilege_gates.push(at);
        }
        // `members.includes(userId)`, `memberIds.some(...)` are comparisons with the session.
        if matches!(last, "includes" | "has")
            && let Some((obj, _)) = as_member(callee)
            && let Some(arg) = call.args.first()
        {
            self.compare(at, &arg.expr, obj);
        }
        // Access-check helpers given a caller-supplied value.
        let checks_access =
            lower.contains_any(&["member", "access", "permission", "authoriz", "authoris", "owner", "allowed"])
                || lower.starts_with_any(&["assert", "require", "ensure", "verify", "check", "can"]);
        let is_query = self.queries.iter().any(|q| q.range == range_of(call));
        if checks_access && !is_query {
            for arg in &call.args {
                let mut inputs = InputExprs { bindings: self.bindings, sem: self.sem, found: Vec::new() };
                arg.expr.visit_with(&mut inputs);
                for range in inputs.found {
                    let text = self.source(range);
                    self.checks.input_checks.push(InputCheck { at, text });
                }
            }
        }
        // Clerk backend organization calls: `clerk.organizations.updateOrganization(orgId, ...)`.
        if let Some(pos) = names.iter().position(|(name, calls)| name == "organizations" && *calls == 0)
            && pos + 2 == names.len()
            && crate::analysis::effects::is_data_effect(call, self.sem)
        {
            let arg = call.args.first().map(|a| &*a.expr);
            let value_expr = match arg.map(peel) {
                Some(Expr::Object(obj)) => obj.props.iter().find_map(|p| match p {
                    PropOrSpread::Prop(prop) => match &**prop {
                        Prop::KeyValue(kv)
                            if prop_name(&kv.key).is_some_and(|k| k == "organizationId" || k == "orgId") =>
                        {
                            Some(&*kv.value)
                        }
                        _ => None,
                    },
                    PropOrSpread::Spread(_) => None,
                }),
                Some(other) => Some(other),
                None => None,
            };
            if let Some(value_expr) = value_expr {
                let is_membership_lookup = lower.starts_with("get") && lower.contains("membership");
                let value = self.bindings.classify(value_expr, self.sem);
                if is_membership_lookup {
                    let text = self.source(range_of(value_expr));
                    self.checks.input_checks.push(InputCheck { at, text });
                } else {
                    self.checks.org_api_calls.push(OrgApiCall {
                        what: join_parts(&names),
                        arg_value: value,
                        arg_range: range_of(value_expr),
                    });
                }
            }
        }
    }

    fn visit_var_declarator(&mut self, decl: &VarDeclarator) {
        decl.visit_children_with(self);
        // `const project = await ...`, `const [project] = await db.select()...`
        let var = match &decl.name {
            Pat::Ident(var) => var,
            Pat::Array(arr) => match arr.elems.first() {
                Some(Some(Pat::Ident(var))) => var,
                _ => return,
            },
            _ => return,
        };
        let Some(init) = &decl.init else { return };
        let init = match peel(init) {
            Expr::Await(a) => peel(&a.arg),
            e => e,
        };
        let range = range_of(init);
        if let Some(index) =
            self.queries.iter().position(|q| range.contains_range(q.range) && q.range.start == range.start)
        {
            self.checks.results.push((var.id.sym.as_str().to_owned(), index));
        }
    }

    crate::analysis::functions::skip_inline_server_functions!();
}

/// Caller-supplied values inside an expression (identifiers and member chains).
struct InputExprs<'a> {
    bindings: &'a Bindings,
    sem: &'a FileSemantics,
    found: Vec<TextRange>,
}

impl Visit for InputExprs<'_> {
    fn visit_expr(&mut self, e: &Expr) {
        if matches!(e, Expr::Ident(_) | Expr::Member(_)) && self.bindings.classify(e, self.sem) == ValueSource::Input {
            self.found.push(range_of(e));
            return;
        }
        e.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::LowerName;

    #[test]
    fn lower_name_answers_like_the_lowercased_string() {
        let words = ["admin", "role", "membership", "get", "is", "can", "owner", "authoriz"];
        for name in ["requireAdmin", "isOrgAdmin", "getMembershipList", "canEdit", "x", "", "ROLE", "Ownership"] {
            let lower = LowerName::new(name);
            let string = name.to_ascii_lowercase();
            for word in words {
                assert_eq!(lower.contains(word), string.contains(word), "{name} contains {word}");
                assert_eq!(lower.starts_with(word), string.starts_with(word), "{name} starts with {word}");
            }
        }
    }
}

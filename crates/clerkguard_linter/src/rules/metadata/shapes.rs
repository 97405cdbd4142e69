//! Shapes shared by the metadata rules: metadata objects in calls, key names, caller-input taint.

use std::collections::HashSet;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{
    AssignTarget, CallExpr, Callee, Decl, Expr, KeyValueProp, ObjectLit, Pat, Prop, PropOrSpread, SimpleAssignTarget,
    Stmt,
};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::ast_util::{chain_names, chain_parts, member_prop_name, pat_idents, peel, prop_name, range_of};
use crate::analysis::functions::{FnBody, FnRef};

/// Keys whose values decide what a user may do.
pub fn is_privilege_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['_', '-'], "");
    [
        "role",
        "roles",
        "plan",
        "tier",
        "permission",
        "permissions",
        "credits",
        "credit",
        "admin",
        "isadmin",
        "subscription",
        "subscriptionstatus",
        "premium",
        "ispremium",
        "ispro",
        "pro",
        "paid",
        "ispaid",
        "access",
        "accesslevel",
        "level",
        "scopes",
        "quota",
        "balance",
        "orgrole",
        "isstaff",
        "staff",
        "verified",
        "approved",
        "banned",
        "entitlements",
        "features",
    ]
    .contains(&k.as_str())
}

/// Keys that look secret or internal.
pub fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['_', '-'], "");
    if [
        "secret",
        "password",
        "passwd",
        "apikey",
        "privatekey",
        "ssn",
        "socialsecurity",
        "creditcard",
        "cardnumber",
        "cvv",
        "iban",
        "customerid",
        "accountnumber",
        "routingnumber",
        "taxid",
    ]
    .iter()
    .any(|w| k.contains(w))
    {
        return true;
    }
    // `accessToken`, `refreshToken`, `githubToken` — but not `tokens: 100` or `tokenCount`.
    k.ends_with("token")
}

/// `{ publicMetadata: ..., privateMetadata: ... }` props of an object literal.
pub fn metadata_props(obj: &ObjectLit) -> Vec<(&'static str, &KeyValueProp)> {
    let mut out = Vec::new();
    for prop in &obj.props {
        let PropOrSpread::Prop(p) = prop else { continue };
        let Prop::KeyValue(kv) = &**p else { continue };
        let kind = match prop_name(&kv.key).as_deref() {
            Some("publicMetadata" | "public_metadata") => "publicMetadata",
            Some("privateMetadata" | "private_metadata") => "privateMetadata",
            Some("unsafeMetadata" | "unsafe_metadata") => "unsafeMetadata",
            _ => continue,
        };
        out.push((kind, kv));
    }
    out
}

/// Collects the calls whose method (the last name of the callee chain) is one of `methods`,
/// with their callee chain (e.g. `client.users.updateUserMetadata`), in source order.
pub fn calls_in<N: VisitWith<CallsCollector>>(node: &N, methods: &'static [&'static str]) -> Vec<(CallExpr, String)> {
    let mut c = CallsCollector { methods, found: Vec::new() };
    node.visit_with(&mut c);
    c.found
}

pub struct CallsCollector {
    methods: &'static [&'static str],
    found: Vec<(CallExpr, String)>,
}

impl Visit for CallsCollector {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Callee::Expr(callee) = &call.callee {
            let name = chain_names(callee).join(".");
            if self.methods.contains(&name.rsplit('.').next().unwrap_or("")) {
                self.found.push((call.clone(), name));
            }
        }
        call.visit_children_with(self);
    }
}

/// Caller input followed through a function: parameters of entry points, request bodies, form
/// data and search params, and every local variable or object spread built from them.
#[derive(Default)]
pub struct Taint {
    pub names: HashSet<String>,
    request: Option<String>,
}

impl Taint {
    /// Seeds and propagates taint through `func` (an entry point of `kind`).
    pub fn of_entry(func: FnRef<'_>, server_function: bool) -> Self {
        let mut taint = Taint::default();
        for (i, p) in func.params().into_iter().enumerate() {
            let mut names = Vec::new();
            pat_idents(p, &mut names);
            if server_function || i <= 1 {
                taint.names.extend(names.iter().map(|(n, _)| n.clone()));
            }
            if i == 0
                && let Pat::Ident(b) = p
            {
                taint.request = Some(b.id.sym.as_str().to_owned());
            }
        }
        if let Some(FnBody::Block(stmts)) = func.body() {
            for _ in 0..2 {
                taint.propagate(stmts);
            }
        }
        taint
    }

    fn propagate(&mut self, stmts: &[Stmt]) {
        struct P<'t>(&'t mut Taint);
        impl Visit for P<'_> {
            fn visit_stmt(&mut self, s: &Stmt) {
                if let Stmt::Decl(Decl::Var(v)) = s {
                    for d in &v.decls {
                        if let Some(init) = &d.init
                            && self.0.is_tainted(init)
                        {
                            let mut names = Vec::new();
                            pat_idents(&d.name, &mut names);
                            self.0.names.extend(names.into_iter().map(|(n, _)| n));
                        }
                    }
                }
                s.visit_children_with(self);
            }
            fn visit_assign_expr(&mut self, a: &clerkguard_syntax::ast::AssignExpr) {
                if let AssignTarget::Simple(SimpleAssignTarget::Ident(id)) = &a.left
                    && self.0.is_tainted(&a.right)
                {
                    self.0.names.insert(id.id.sym.as_str().to_owned());
                }
                a.visit_children_with(self);
            }
        }
        let mut p = P(self);
        stmts.iter().for_each(|s| s.visit_with(&mut p));
    }

    /// Whether the expression carries caller input.
    pub fn is_tainted(&self, expr: &Expr) -> bool {
        struct Probe<'t>(&'t Taint, bool);
        impl Visit for Probe<'_> {
            fn visit_ident(&mut self, id: &clerkguard_syntax::ast::Ident) {
                if self.0.names.contains(&*id.sym) {
                    self.1 = true;
                }
            }
            fn visit_member_expr(&mut self, m: &clerkguard_syntax::ast::MemberExpr) {
                // `chain_names` of the member, without copying it: the object's chain, then the
                // property.
                let in_chain = chain_parts(&m.obj).iter().any(|(name, calls)| name == "searchParams" && *calls == 0);
                if in_chain || member_prop_name(&m.prop).is_some_and(|p| p == "searchParams") {
                    self.1 = true;
                }
                // Property names are not variables: only the object can carry taint.
                m.obj.visit_with(self);
                if let clerkguard_syntax::ast::MemberProp::Computed(c) = &m.prop {
                    c.visit_with(self);
                }
            }
            fn visit_prop_name(&mut self, _: &clerkguard_syntax::ast::PropName) {}
        }
        let mut probe = Probe(self, false);
        peel(expr).visit_with(&mut probe);
        probe.1
    }
}

/// What in a metadata value comes from the caller: the whole value, a spread, or a privileged key.
pub fn tainted_parts(value: &Expr, taint: &Taint, out: &mut Vec<(TextRange, String)>) {
    match peel(value) {
        Expr::Object(obj) => {
            for prop in &obj.props {
                match prop {
                    PropOrSpread::Spread(s) => {
                        if taint.is_tainted(&s.expr) {
                            out.push((range_of(s), "a spread of caller input".into()));
                        }
                    }
                    PropOrSpread::Prop(p) => match &**p {
                        Prop::KeyValue(kv) => {
                            let key = prop_name(&kv.key).unwrap_or_default();
                            if matches!(peel(&kv.value), Expr::Object(_)) {
                                tainted_parts(&kv.value, taint, out);
                            } else if is_privilege_key(&key) && taint.is_tainted(&kv.value) {
                                out.push((range_of(kv), format!("`{key}`")));
                            }
                        }
                        Prop::Shorthand(id) if is_privilege_key(&id.sym) && taint.names.contains(&*id.sym) => {
                            out.push((range_of(id), format!("`{}`", id.sym)));
                        }
                        _ => {}
                    },
                }
            }
        }
        other => {
            if taint.is_tainted(other) {
                out.push((range_of(other), "the whole object".into()));
            }
        }
    }
}

/// A role/permission check on the caller in `text` (the function's source before the write).
pub fn has_authorization_check(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_ascii_lowercase();
    (lower.contains("has({")
        && ["role", "permission", "feature", "plan"].iter().any(|k| lower.contains(&format!("{k}:"))))
        || (lower.contains(".protect({") && (lower.contains("role") || lower.contains("permission")))
        || lower.contains("orgrole")
        || lower.contains(".role===")
        || lower.contains(".role!==")
        || lower.contains(".role==")
        || lower.contains(".role!=")
        || [
            "isadmin(",
            "requireadmin(",
            "checkrole(",
            "assertadmin(",
            "requirerole(",
            "ensureadmin(",
            "authorize(",
            "canmanage",
            "isstaff(",
        ]
        .iter()
        .any(|k| lower.contains(k))
}

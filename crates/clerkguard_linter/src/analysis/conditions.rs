//! What an `if` test says about the caller: true only when signed in, or true when signed out.

use clerkguard_syntax::ast::{BinaryOp, Callee, Expr, Lit, UnaryOp};

use super::ast_util::{as_member, chain_names, chain_parts, chain_root, peel};
use super::flow::SessionKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    /// The test is truthy only when a user is signed in (`if (userId) {...}`).
    SignedInWhenTrue,
    /// The test is truthy whenever the caller is signed out (`if (!userId) return`).
    SignedOutWhenTrue,
}

impl Polarity {
    fn flip(self) -> Self {
        match self {
            Self::SignedInWhenTrue => Self::SignedOutWhenTrue,
            Self::SignedOutWhenTrue => Self::SignedInWhenTrue,
        }
    }
}

/// What conditions need to know about the code around them.
pub trait ConditionEnv {
    fn var_kind(&self, name: &str) -> Option<SessionKind>;
    /// Whether calling `callee` returns a value that is truthy only for a signed-in caller.
    fn is_signed_in_predicate(&self, callee: &Expr) -> bool;
    /// Whether shared-secret and signature checks count (route handlers: webhooks, cron jobs).
    fn caller_checks(&self) -> bool;
}

type VarKind<'a> = &'a dyn ConditionEnv;

/// The polarity of `test` given the session variables and helpers in scope.
pub fn test_polarity(test: &Expr, vars: VarKind<'_>) -> Option<Polarity> {
    let caller_checks = vars.caller_checks();
    let test = peel(test);
    match test {
        Expr::Unary(u) if u.op == UnaryOp::Bang => test_polarity(&u.arg, vars).map(Polarity::flip),
        Expr::Await(a) => test_polarity(&a.arg, vars),
        Expr::Bin(bin) => match bin.op {
            BinaryOp::LogicalOr => {
                let (l, r) = (test_polarity(&bin.left, vars), test_polarity(&bin.right, vars));
                if l == Some(Polarity::SignedOutWhenTrue) || r == Some(Polarity::SignedOutWhenTrue) {
                    Some(Polarity::SignedOutWhenTrue)
                } else if l == Some(Polarity::SignedInWhenTrue) && r == Some(Polarity::SignedInWhenTrue) {
                    Some(Polarity::SignedInWhenTrue)
                } else {
                    None
                }
            }
            BinaryOp::LogicalAnd => {
                let (l, r) = (test_polarity(&bin.left, vars), test_polarity(&bin.right, vars));
                if l == Some(Polarity::SignedInWhenTrue) || r == Some(Polarity::SignedInWhenTrue) {
                    Some(Polarity::SignedInWhenTrue)
                } else if l == Some(Polarity::SignedOutWhenTrue) && r == Some(Polarity::SignedOutWhenTrue) {
                    Some(Polarity::SignedOutWhenTrue)
                } else {
                    None
                }
            }
            BinaryOp::EqEqEq | BinaryOp::EqEq | BinaryOp::NotEqEq | BinaryOp::NotEq => {
                let equal = matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::EqEq);
                comparison_polarity(&bin.left, &bin.right, vars, caller_checks)
                    .or_else(|| comparison_polarity(&bin.right, &bin.left, vars, caller_checks))
                    .map(|when_equal| if equal { when_equal } else { when_equal.flip() })
            }
            _ => None,
        },
        Expr::Call(call) => {
            let Callee::Expr(callee) = &call.callee else { return None };
            // has({ role }) / session.has(...) are false when signed out.
            if let Expr::Ident(id) = peel(callee)
                && vars.var_kind(&id.sym) == Some(SessionKind::Has)
            {
                return Some(Polarity::SignedInWhenTrue);
            }
            if let Some((obj, prop)) = as_member(callee)
                && prop == "has"
                && session_derived(obj, vars)
            {
                return Some(Polarity::SignedInWhenTrue);
            }
            if vars.is_signed_in_predicate(callee) {
                return Some(Polarity::SignedInWhenTrue);
            }
            if caller_checks {
                let names = chain_parts(callee);
                let last = names.last().map(|(name, _)| name.to_ascii_lowercase()).unwrap_or_default();
                if last.starts_with("verify") || last.starts_with("isvalid") || last.contains("timingsafeequal") {
                    return Some(Polarity::SignedInWhenTrue);
                }
            }
            None
        }
        _ => session_truthiness(test, vars),
    }
}

/// A session value used as a boolean: truthy only when signed in (the auth object itself is
/// always truthy, so testing it says nothing).
fn session_truthiness(expr: &Expr, vars: VarKind<'_>) -> Option<Polarity> {
    match peel(expr) {
        Expr::Ident(id) => match vars.var_kind(&id.sym)? {
            SessionKind::AuthObject | SessionKind::Has => None,
            _ => Some(Polarity::SignedInWhenTrue),
        },
        other => {
            let (obj, _) = as_member(other)?;
            session_derived(obj, vars).then_some(Polarity::SignedInWhenTrue)
        }
    }
}

fn session_derived(expr: &Expr, vars: VarKind<'_>) -> bool {
    chain_root(expr).is_some_and(|root| vars.var_kind(root).is_some())
}

/// Polarity of `subject == other` when true.
fn comparison_polarity(subject: &Expr, other: &Expr, vars: VarKind<'_>, caller_checks: bool) -> Option<Polarity> {
    let other = peel(other);
    // typeof userId === "string"
    if let Expr::Unary(u) = peel(subject) {
        if u.op == UnaryOp::TypeOf
            && session_derived(&u.arg, vars)
            && let Expr::Lit(Lit::Str(s)) = other
        {
            return Some(if s.value.to_string_lossy() == "undefined" {
                Polarity::SignedOutWhenTrue
            } else {
                Polarity::SignedInWhenTrue
            });
        }
        return None;
    }
    if session_derived(subject, vars) {
        return match other {
            Expr::Lit(Lit::Null(_)) => Some(Polarity::SignedOutWhenTrue),
            Expr::Ident(id) if &*id.sym == "undefined" => Some(Polarity::SignedOutWhenTrue),
            Expr::Lit(Lit::Str(_) | Lit::Num(_) | Lit::Bool(_)) | Expr::Tpl(_) => Some(Polarity::SignedInWhenTrue),
            // userId === ownerId: equal to the session's id only when signed in.
            _ => Some(Polarity::SignedInWhenTrue),
        };
    }
    if caller_checks && mentions_env(subject) {
        return Some(Polarity::SignedInWhenTrue);
    }
    None
}

fn mentions_env(expr: &Expr) -> bool {
    match peel(expr) {
        Expr::Tpl(t) => t.exprs.iter().any(|e| mentions_env(e)),
        Expr::Bin(b) => mentions_env(&b.left) || mentions_env(&b.right),
        other => chain_names(other).starts_with(&["process".to_string(), "env".to_string()]),
    }
}

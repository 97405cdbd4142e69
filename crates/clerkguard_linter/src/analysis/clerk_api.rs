//! Recognising Clerk's server API through imports and aliases.

use clerkguard_syntax::ast::{Callee, Expr};

use super::ast_util::{as_member, peel};
use super::{FileSemantics, ImportedName};

/// The Clerk functions the rules reason about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClerkFn {
    /// `auth()` (App Router) or the `auth` parameter of a `clerkMiddleware` handler.
    Auth,
    /// `getAuth(req)` (Pages Router, API routes).
    GetAuth,
    /// `currentUser()`.
    CurrentUser,
    /// `clerkClient` (object before 5.2, function since; async since 6).
    ClerkClient,
    /// `createClerkClient(...)` from `@clerk/backend`: a synchronous factory.
    CreateClerkClient,
    ClerkMiddleware,
    AuthMiddleware,
    CreateRouteMatcher,
    RedirectToSignIn,
    VerifyWebhook,
}

/// Modules whose exports are Clerk's server helpers.
pub fn is_clerk_server_module(source: &str) -> bool {
    matches!(
        source,
        "@clerk/nextjs/server" | "@clerk/nextjs" | "@clerk/nextjs/app-beta" | "@clerk/nextjs/ssr" | "@clerk/nextjs/api"
    )
}

/// Every name [`clerk_fn_by_name`] knows.
const CLERK_FN_NAMES: [&str; 10] = [
    "auth",
    "getAuth",
    "currentUser",
    "clerkClient",
    "createClerkClient",
    "clerkMiddleware",
    "authMiddleware",
    "createRouteMatcher",
    "redirectToSignIn",
    "verifyWebhook",
];

fn clerk_fn_by_name(name: &str, source: &str) -> Option<ClerkFn> {
    if source == "@clerk/nextjs/webhooks" || source == "@clerk/backend/webhooks" {
        return (name == "verifyWebhook").then_some(ClerkFn::VerifyWebhook);
    }
    if source == "@clerk/backend" {
        return match name {
            "clerkClient" => Some(ClerkFn::ClerkClient),
            "createClerkClient" => Some(ClerkFn::CreateClerkClient),
            _ => None,
        };
    }
    if !is_clerk_server_module(source) {
        return None;
    }
    Some(match name {
        "auth" => ClerkFn::Auth,
        "getAuth" => ClerkFn::GetAuth,
        "currentUser" => ClerkFn::CurrentUser,
        "clerkClient" => ClerkFn::ClerkClient,
        "createClerkClient" => ClerkFn::CreateClerkClient,
        "clerkMiddleware" => ClerkFn::ClerkMiddleware,
        "authMiddleware" => ClerkFn::AuthMiddleware,
        "createRouteMatcher" => ClerkFn::CreateRouteMatcher,
        "redirectToSignIn" => ClerkFn::RedirectToSignIn,
        _ => return None,
    })
}

impl FileSemantics {
    /// What Clerk function a local name refers to (through `import { auth as x }`).
    pub fn clerk_fn_of_ident(&self, name: &str) -> Option<ClerkFn> {
        if self.middleware_auth_params.iter().any(|p| p == name) {
            return Some(ClerkFn::Auth);
        }
        let binding = self.imports.get(name)?;
        match &binding.imported {
            ImportedName::Named(imported) => clerk_fn_by_name(imported, &binding.source),
            _ => None,
        }
    }

    /// What Clerk function an expression refers to: `auth`, `x` (alias), `clerk.auth` (namespace).
    pub fn clerk_fn_of_expr(&self, expr: &Expr) -> Option<ClerkFn> {
        match peel(expr) {
            Expr::Ident(id) => self.clerk_fn_of_ident(&id.sym),
            expr => {
                let (obj, prop) = as_member(expr)?;
                let Expr::Ident(ns) = peel(obj) else { return None };
                let binding = self.imports.get(&*ns.sym)?;
                (binding.imported == ImportedName::Namespace).then(|| clerk_fn_by_name(&prop, &binding.source))?
            }
        }
    }

    /// Whether an expression of the file may refer to `f`: an import that names it, a
    /// namespace import of a module that exports it, or (for `auth`) a `clerkMiddleware`
    /// handler's parameter. Rules that look for calls of `f` skip files where none can.
    pub fn may_refer_to(&self, f: ClerkFn) -> bool {
        if f == ClerkFn::Auth && !self.middleware_auth_params.is_empty() {
            return true;
        }
        self.imports.values().any(|binding| match &binding.imported {
            ImportedName::Named(name) => clerk_fn_by_name(name, &binding.source) == Some(f),
            ImportedName::Namespace => {
                CLERK_FN_NAMES.iter().any(|name| clerk_fn_by_name(name, &binding.source) == Some(f))
            }
            ImportedName::Default => false,
        })
    }

    /// The Clerk function a call calls, if any.
    pub fn clerk_call(&self, callee: &Callee) -> Option<ClerkFn> {
        match callee {
            Callee::Expr(e) => self.clerk_fn_of_expr(e),
            _ => None,
        }
    }

    /// `auth.protect` (v6+) — the callee of a protect call.
    pub fn is_auth_protect_callee(&self, callee: &Expr) -> bool {
        as_member(callee)
            .is_some_and(|(obj, prop)| prop == "protect" && self.clerk_fn_of_expr(obj) == Some(ClerkFn::Auth))
    }

    /// Either protect callee: `auth.protect` (v6+) or `auth().protect` (v4/v5 style, on the auth
    /// object). Every call of an entry point is asked this.
    pub fn is_any_protect_callee(&self, callee: &Expr) -> bool {
        as_member(callee).is_some_and(|(obj, prop)| {
            prop == "protect" && (self.clerk_fn_of_expr(obj) == Some(ClerkFn::Auth) || self.is_auth_object(obj))
        })
    }

    /// `auth()` or `await auth()`.
    fn is_auth_object(&self, expr: &Expr) -> bool {
        let inner = match peel(expr) {
            Expr::Await(a) => peel(&a.arg),
            other => other,
        };
        matches!(inner, Expr::Call(c) if self.clerk_call(&c.callee) == Some(ClerkFn::Auth))
    }
}

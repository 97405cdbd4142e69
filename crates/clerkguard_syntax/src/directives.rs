//! Directive prologues: `"use server"` and `"use client"` count only as the first statements of
//! a module or function body, never inside comments or later strings.

use swc_ecma_ast::{Expr, Lit, Module, ModuleItem, Stmt};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Directive {
    UseServer,
    UseClient,
}

impl Directive {
    fn from_str(value: &str) -> Option<Self> {
        match value {
            "use server" => Some(Self::UseServer),
            "use client" => Some(Self::UseClient),
            _ => None,
        }
    }
}

fn directive_of(stmt: &Stmt) -> Option<Option<Directive>> {
    let Stmt::Expr(expr_stmt) = stmt else { return None };
    let Expr::Lit(Lit::Str(s)) = &*expr_stmt.expr else { return None };
    Some(Directive::from_str(&s.value.to_string_lossy()))
}

/// Directives in the module's prologue (string-literal statements before any other statement).
pub fn module_directives(module: &Module) -> Vec<Directive> {
    let mut found = Vec::new();
    for item in &module.body {
        let ModuleItem::Stmt(stmt) = item else { break };
        match directive_of(stmt) {
            Some(Some(d)) => found.push(d),
            Some(None) => {}
            None => break,
        }
    }
    found
}

/// Directives in a function body's prologue (the body's statements).
pub fn function_directives(body: &[Stmt]) -> Vec<Directive> {
    let mut found = Vec::new();
    for stmt in body {
        match directive_of(stmt) {
            Some(Some(d)) => found.push(d),
            Some(None) => {}
            None => break,
        }
    }
    found
}

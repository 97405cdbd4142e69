//! `process.env.X` reads in a module: `process.env.X`, `process.env["X"]`, and
//! `const { X } = process.env`.

use std::borrow::Cow;

use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{Expr, MemberExpr, ObjectPatProp, Pat, VarDeclarator};
use clerkguard_syntax::visit::{Visit, VisitWith};

use crate::analysis::ast_util::{as_member, member_prop_name, peel, prop_name, range_of};

pub struct EnvRead {
    pub name: String,
    pub range: TextRange,
}

pub fn env_reads(module: &clerkguard_syntax::ast::Module) -> Vec<EnvRead> {
    let mut v = Reads(Vec::new());
    module.visit_with(&mut v);
    v.0
}

struct Reads(Vec<EnvRead>);

fn is_process_env(expr: &Expr) -> bool {
    as_member(expr)
        .is_some_and(|(obj, prop)| prop == "env" && matches!(peel(obj), Expr::Ident(id) if &*id.sym == "process"))
}

impl Visit for Reads {
    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if is_process_env(&m.obj)
            && let Some(name) = member_prop_name(&m.prop)
        {
            self.0.push(EnvRead { name: name.into_owned(), range: range_of(m) });
        }
        m.visit_children_with(self);
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if let (Pat::Object(obj), Some(init)) = (&d.name, &d.init)
            && is_process_env(peel(init))
        {
            for prop in &obj.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => {
                        if let Some(name) = prop_name(&kv.key).map(Cow::into_owned) {
                            self.0.push(EnvRead { name, range: range_of(&kv.key) });
                        }
                    }
                    ObjectPatProp::Assign(a) => {
                        self.0.push(EnvRead { name: a.key.id.sym.as_str().to_owned(), range: range_of(&a.key.id) })
                    }
                    ObjectPatProp::Rest(_) => {}
                }
            }
        }
        d.visit_children_with(self);
    }
}

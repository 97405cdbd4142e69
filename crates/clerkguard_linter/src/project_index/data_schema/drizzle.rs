//! Drizzle table definitions: `export const posts = pgTable("posts", { orgId: text("org_id") })`
//! (also `sqliteTable`, `mysqlTable`, `schema.table(...)`, and the callback form
//! `pgTable("posts", (t) => ({ ... }))`).

use std::borrow::Cow;

use clerkguard_syntax::ast::{ArrowFunctionBody, Callee, Expr, ObjectLit, Pat, Prop, PropOrSpread, VarDeclarator};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::{Field, Model, SchemaSource};
use crate::analysis::ast_util::{as_member, chain_names, peel, prop_name};
use crate::analysis::queries;

/// The tables a module defines.
pub fn tables(module: &clerkguard_syntax::ast::Module) -> Vec<Model> {
    let mut finder = TableFinder { found: Vec::new() };
    module.visit_with(&mut finder);
    finder.found
}

struct TableFinder {
    found: Vec<Model>,
}

impl Visit for TableFinder {
    fn visit_var_declarator(&mut self, decl: &VarDeclarator) {
        decl.visit_children_with(self);
        let (Pat::Ident(var), Some(init)) = (&decl.name, &decl.init) else { return };
        let Expr::Call(call) = peel(init) else { return };
        let Callee::Expr(callee) = &call.callee else { return };
        let is_table = match peel(callee) {
            Expr::Ident(id) => matches!(&*id.sym, "pgTable" | "sqliteTable" | "mysqlTable" | "singlestoreTable"),
            other => as_member(other).is_some_and(|(_, p)| p == "table"),
        };
        if !is_table {
            return;
        }
        let Some(table) = call.args.first().and_then(|a| queries::string_value(&a.expr)) else { return };
        let Some(columns) = call.args.get(1).and_then(|a| columns_object(&a.expr)) else { return };
        let mut model = Model::new(var.id.sym.as_str().to_owned(), SchemaSource::Drizzle);
        model.table = Some(table);
        for prop in &columns.props {
            let PropOrSpread::Prop(prop) = prop else { continue };
            let Prop::KeyValue(kv) = &**prop else { continue };
            let Some(name) = prop_name(&kv.key).map(Cow::into_owned) else { continue };
            let builder_names = chain_names(&kv.value);
            let column = first_call_string(&kv.value);
            let references = references_target(&kv.value);
            let ty = builder_names.first().map(|n| n.trim_end_matches("()").to_string()).unwrap_or_default();
            model.fields.push(Field { name, column, ty, list: false, relation_fields: Vec::new(), references });
        }
        self.found.push(model);
    }
}

fn columns_object(expr: &Expr) -> Option<&ObjectLit> {
    match peel(expr) {
        Expr::Object(o) => Some(o),
        Expr::Arrow(a) => match &*a.body {
            ArrowFunctionBody::Expr(e) => columns_object(e),
            ArrowFunctionBody::FunctionBody(_) => None,
        },
        _ => None,
    }
}

/// The SQL column name: the string argument of the innermost builder call (`text("org_id")`).
fn first_call_string(expr: &Expr) -> Option<String> {
    let mut current = peel(expr);
    let mut last_string = None;
    loop {
        match current {
            Expr::Call(c) => {
                if let Some(s) = c.args.first().and_then(|a| queries::string_value(&a.expr)) {
                    last_string = Some(s);
                }
                match &c.callee {
                    Callee::Expr(e) => match peel(e) {
                        Expr::Member(m) => current = peel(&m.obj),
                        _ => return last_string,
                    },
                    _ => return last_string,
                }
            }
            Expr::Member(m) => current = peel(&m.obj),
            _ => return last_string,
        }
    }
}

/// `.references(() => organizations.id)` → `organizations`.
fn references_target(expr: &Expr) -> Option<String> {
    struct Find(Option<String>);
    impl Visit for Find {
        fn visit_call_expr(&mut self, c: &clerkguard_syntax::ast::CallExpr) {
            c.visit_children_with(self);
            let Callee::Expr(callee) = &c.callee else { return };
            if as_member(callee).is_some_and(|(_, p)| p == "references")
                && let Some(arg) = c.args.first()
                && let Expr::Arrow(a) = peel(&arg.expr)
                && let ArrowFunctionBody::Expr(body) = &*a.body
                && let Some((obj, _)) = as_member(body)
            {
                self.0 = queries::last_name(obj);
            }
        }
    }
    let mut find = Find(None);
    expr.visit_with(&mut find);
    find.0
}

#[cfg(test)]
mod tests {
    use clerkguard_syntax::{SourceKind, parse_source};

    use super::*;

    #[test]
    fn reads_tables_columns_and_references() {
        let text = r#"
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const organizations = pgTable("organizations", { id: text("id").primaryKey() });
export const projects = pgTable("projects", {
  id: uuid("id").defaultRandom().primaryKey(),
  orgId: text("org_id").notNull().references(() => organizations.id),
  name: text("name"),
});
export const notes = sqliteTable("notes", (t) => ({ authorId: t.text("author_id") }));
"#;
        let parsed = parse_source(text, SourceKind::TypeScript);
        let models = tables(parsed.module.as_ref().expect("parses"));
        assert_eq!(models.len(), 3);
        let projects = &models[1];
        assert_eq!(projects.name, "projects");
        assert_eq!(projects.table.as_deref(), Some("projects"));
        let org = projects.fields.iter().find(|f| f.name == "orgId").expect("orgId");
        assert_eq!(org.column.as_deref(), Some("org_id"));
        assert_eq!(org.references.as_deref(), Some("organizations"));
        assert_eq!(models[2].fields[0].column.as_deref(), Some("author_id"));
    }
}

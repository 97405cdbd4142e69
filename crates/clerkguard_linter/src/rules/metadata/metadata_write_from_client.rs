use clerkguard_syntax::ast::{CallExpr, Expr};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::shapes::metadata_props;
use crate::analysis::ImportedName;
use crate::analysis::ast_util::{peel, range_of};
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// In client modules — `"use client"` modules and every module they import, directly or
    /// through others — finds writes of `publicMetadata` / `privateMetadata` (e.g.
    /// `user.update({ publicMetadata })`) and imports of Clerk's backend SDK (`clerkClient`,
    /// anything from `@clerk/nextjs/server` or `@clerk/backend`).
    ///
    /// ## Why is this bad?
    ///
    /// The browser can only write `unsafeMetadata`; Clerk rejects public and private metadata
    /// from the Frontend API, so the write silently does nothing — or someone "fixes" it by
    /// shipping the backend SDK, and with it the secret key, to the browser.
    ///
    /// ## Example
    ///
    /// ```tsx
    /// "use client";
    /// await user.update({ publicMetadata: { onboarded: true } });
    /// ```
    ///
    /// ## Use instead
    ///
    /// Call a Server Function that checks the caller and writes with
    /// `(await clerkClient()).users.updateUserMetadata(userId, { publicMetadata })`.
    ///
    /// ## Fix safety
    ///
    /// No fix: the write has to move to the server.
    pub MetadataWriteFromClient {
        id: "metadata-write-from-client",
        category: Metadata,
        severity: Error,
        fix: None,
        summary: "publicMetadata/privateMetadata written, or Clerk's backend SDK imported, in client code",
    }
}

impl Rule for MetadataWriteFromClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let mentions = ctx.mentions("Metadata") || ctx.mentions("@clerk/") || ctx.mentions("clerkClient");
        if !mentions || !ctx.index.module_graph().is_client(ctx.path) {
            return;
        }
        let mut imports: Vec<_> = ctx
            .semantics
            .imports
            .iter()
            .filter(|(_, b)| !b.type_only)
            .filter(|(_, b)| {
                matches!(b.source.as_str(), "@clerk/nextjs/server" | "@clerk/backend")
                    || (b.source.starts_with("@clerk/") && b.imported == ImportedName::Named("clerkClient".into()))
            })
            .collect();
        imports.sort_by_key(|(_, b)| b.range.start);
        for (local, binding) in imports {
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    binding.range,
                    format!("`{local}` from `{}` is Clerk's backend SDK, imported into client code", binding.source),
                )
                .with_help("Use it in a Server Function or route handler and call that from the client"),
            );
        }
        let mut finder = Finder(Vec::new());
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut finder);
            for (kind, range) in finder.0.drain(..) {
                out.push(
                    ctx.diagnostic(&Self::META, range, format!("`{kind}` cannot be written from the browser"))
                        .with_help("Write it on the server (`clerkClient().users.updateUserMetadata`) after checking the caller; the browser may only write `unsafeMetadata`"),
                );
            }
            true
        });
    }
}

struct Finder(Vec<(&'static str, clerkguard_syntax::TextRange)>);

impl Visit for Finder {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        for arg in &call.args {
            if let Expr::Object(obj) = peel(&arg.expr) {
                for (kind, kv) in metadata_props(obj) {
                    if kind != "unsafeMetadata" {
                        self.0.push((kind, range_of(&kv.key)));
                    }
                }
            }
        }
        call.visit_children_with(self);
    }
}

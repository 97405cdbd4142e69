use clerkguard_syntax::ast::Expr;

use super::shapes::{Taint, calls_in, has_authorization_check, metadata_props, tainted_parts};
use crate::analysis::ast_util::{peel, range_of};
use crate::analysis::entry_points::EntryPointKind;
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds Server Functions and route handlers that write `publicMetadata` or
    /// `privateMetadata` (`updateUserMetadata`, `updateOrganizationMetadata`, `updateUser`, ...)
    /// with values taken from the caller — action arguments, form data, the JSON body, search
    /// params, followed through local variables and object spreads — for keys that decide what a
    /// user may do (`role`, `plan`, `permissions`, `credits`, ...) or as a whole object, without
    /// checking the caller's role or permission first.
    ///
    /// ## Why is this bad?
    ///
    /// Public and private metadata can only be written by the backend precisely so that users
    /// cannot grant themselves roles or plans. An action that copies `formData.get("role")`
    /// into `publicMetadata` hands that power back to every signed-in user: a Server Function
    /// can be called with any arguments.
    ///
    /// ## Example
    ///
    /// ```ts
    /// export async function setRole(formData: FormData) {
    ///   const { userId } = await auth();
    ///   if (!userId) throw new Error("Unauthenticated");
    ///   const client = await clerkClient();
    ///   await client.users.updateUserMetadata(userId, { publicMetadata: { role: formData.get("role") } });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export async function setRole(formData: FormData) {
    ///   const { has } = await auth();
    ///   if (!has({ role: "org:admin" })) throw new Error("Forbidden");
    ///   // ...
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// No fix: who may change what is the app's decision.
    pub MetadataFromUserInput {
        id: "metadata-from-user-input",
        category: Metadata,
        severity: Error,
        fix: None,
        summary: "publicMetadata/privateMetadata written from caller input without an authorization check",
    }
}

const WRITERS: [&str; 7] = [
    "updateUserMetadata",
    "updateOrganizationMetadata",
    "updateUser",
    "replaceUserMetadata",
    "updateOrganization",
    "createUser",
    "updateOrganizationMembershipMetadata",
];

impl Rule for MetadataFromUserInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !crate::rules::metadata::mentions_metadata(ctx) {
            return;
        }
        for entry in ctx.entry_points() {
            let server_function = match entry.kind {
                EntryPointKind::ServerFunction { .. } => true,
                EntryPointKind::RouteHandler { .. } | EntryPointKind::PagesApi => false,
                EntryPointKind::Page => continue,
            };
            let func = entry.func.get();
            let taint = Taint::of_entry(func, server_function);
            let func_range = func.range();
            let calls = match func {
                crate::analysis::functions::FnRef::Function(f) => calls_in(f, &WRITERS),
                crate::analysis::functions::FnRef::Arrow(a) => calls_in(a, &WRITERS),
            };
            for (call, _) in calls {
                let before = ctx.text.get(func_range.start as usize..range_of(&call).start as usize).unwrap_or("");
                if has_authorization_check(before) {
                    continue;
                }
                for arg in &call.args {
                    let Expr::Object(obj) = peel(&arg.expr) else { continue };
                    for (kind, kv) in metadata_props(obj) {
                        if kind == "unsafeMetadata" {
                            continue;
                        }
                        let mut parts = Vec::new();
                        tainted_parts(&kv.value, &taint, &mut parts);
                        for (range, what) in parts {
                            out.push(
                                ctx.diagnostic(&Self::META, range, format!("`{kind}` gets {what} from the caller's input with no role or permission check"))
                                    .with_help("Check that the caller may grant this (`has({ role })` / `has({ permission })`) before writing, or derive the value on the server"),
                            );
                        }
                    }
                }
            }
        }
    }
}

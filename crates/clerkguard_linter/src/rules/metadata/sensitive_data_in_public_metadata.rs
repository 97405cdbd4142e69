use clerkguard_syntax::TextRange;
use clerkguard_syntax::ast::{CallExpr, Expr, Prop, PropOrSpread};
use clerkguard_syntax::visit::{Visit, VisitWith};

use super::shapes::{is_sensitive_key, metadata_props};
use crate::analysis::ast_util::{peel, prop_name, range_of};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds values that look secret or internal — keys named like `*secret*`, `*token`,
    /// `apiKey`, `password`, `stripeCustomerId`, `ssn` — written into `publicMetadata` or
    /// `unsafeMetadata`.
    ///
    /// ## Why is this bad?
    ///
    /// `publicMetadata` is readable by the browser (and is often copied into the session token,
    /// which travels with every request); `unsafeMetadata` is also writable by it. Internal
    /// identifiers and credentials belong in `privateMetadata`, which only the backend can read.
    ///
    /// ## Example
    ///
    /// ```ts
    /// await client.users.updateUserMetadata(userId, { publicMetadata: { stripeCustomerId } });
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// await client.users.updateUserMetadata(userId, { privateMetadata: { stripeCustomerId } });
    /// ```
    ///
    /// ## Fix safety
    ///
    /// When `publicMetadata` holds only such keys, the fix renames it to `privateMetadata`. It
    /// is unsafe: code that reads the value from `publicMetadata` (or the session token) must
    /// move to the server.
    pub SensitiveDataInPublicMetadata {
        id: "sensitive-data-in-public-metadata",
        category: Metadata,
        severity: Warning,
        fix: Unsafe,
        summary: "Secret-looking or internal values written into publicMetadata or unsafeMetadata",
    }
}

impl Rule for SensitiveDataInPublicMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !crate::rules::metadata::mentions_metadata(ctx) {
            return;
        }
        let mut finder = Finder(Vec::new());
        ctx.each_item(&Self::META, out, |item, out| {
            item.visit_with(&mut finder);
            for found in finder.0.drain(..) {
                report(ctx, found, out);
            }
            true
        });
    }
}

/// The finding for one secret-looking key written to readable metadata.
fn report(ctx: &FileContext<'_>, found: Found, out: &mut Vec<Diagnostic>) {
    let fix = found
        .rename
        .map(|range| Fix::unsafe_("Move it to `privateMetadata`", vec![Edit::replace(range, "privateMetadata")]));
    out.push(
        ctx.diagnostic(
            &SensitiveDataInPublicMetadata::META,
            found.key_range,
            format!(
                "`{}` looks secret or internal but is written to `{}`, which the browser can read",
                found.key, found.kind
            ),
        )
        .with_help("Keep it in `privateMetadata` (backend only)")
        .with_fix(fix),
    );
}

struct Found {
    kind: &'static str,
    key: String,
    key_range: TextRange,
    /// The `publicMetadata` key to rename, when every key in it is sensitive.
    rename: Option<TextRange>,
}

struct Finder(Vec<Found>);

impl Visit for Finder {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        for arg in &call.args {
            let Expr::Object(obj) = peel(&arg.expr) else { continue };
            let has_private = metadata_props(obj).iter().any(|(k, _)| *k == "privateMetadata");
            for (kind, kv) in metadata_props(obj) {
                if kind == "privateMetadata" {
                    continue;
                }
                let Expr::Object(value) = peel(&kv.value) else { continue };
                let keys: Vec<(String, TextRange)> = value
                    .props
                    .iter()
                    .filter_map(|p| match p {
                        PropOrSpread::Prop(p) => match &**p {
                            Prop::KeyValue(kv) => prop_name(&kv.key).map(|k| (k.into_owned(), range_of(&kv.key))),
                            Prop::Shorthand(id) => Some((id.sym.as_str().to_owned(), range_of(id))),
                            _ => None,
                        },
                        PropOrSpread::Spread(_) => None,
                    })
                    .collect();
                let all_sensitive = !keys.is_empty()
                    && keys.iter().all(|(k, _)| is_sensitive_key(k))
                    && value.props.len() == keys.len();
                let rename = (kind == "publicMetadata" && all_sensitive && !has_private && keys.len() == 1)
                    .then(|| range_of(&kv.key));
                for (key, key_range) in keys {
                    if is_sensitive_key(&key) {
                        self.0.push(Found { kind, key, key_range, rename });
                    }
                }
            }
        }
        call.visit_children_with(self);
    }
}

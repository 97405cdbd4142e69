use std::collections::HashSet;

use clerkguard_syntax::TextRange;

use super::facts::{self, EntryData};
use crate::analysis::queries::ValueSource;
use crate::project_index::data_schema::{ModelKind, is_org_column_name};
use crate::{Diagnostic, Edit, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds entry points that take an organization (tenant) id from their caller — an action
    /// argument, the JSON body, form data, route params or search params — and use it to scope
    /// a query (`where: { orgId: body.orgId }`, `.eq("org_id", params.orgId)`), to write rows
    /// into an organization, or to call Clerk's `organizations.*` backend API, without first
    /// checking that the caller belongs to that organization.
    ///
    /// Counted as a check: comparing the value with the session's `orgId`
    /// (`if (params.orgId !== orgId) notFound()`), a membership lookup filtered by the session
    /// user and that value (`db.member.findFirst({ where: { orgId, userId } })`,
    /// `getOrganizationMembershipList`), or passing it to a helper whose name says it checks
    /// access (`assertOrgMember(orgId)`, `requireOrgAccess(orgId)`).
    ///
    /// ## Why is this bad?
    ///
    /// The organization the caller names is not the organization the caller belongs to. An
    /// admin role checked with `has({ role: 'org:admin' })` applies to the *active* organization
    /// only: an admin of their own org who sends another org's id acts on that org.
    ///
    /// ## Example
    ///
    /// ```ts
    /// export async function GET(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
    ///   await auth.protect();
    ///   const { orgId } = await params;
    ///   return Response.json(await db.invoice.findMany({ where: { orgId } }));
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// export async function GET() {
    ///   const { orgId } = await auth.protect();
    ///   return Response.json(await db.invoice.findMany({ where: { orgId } }));
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// When the function already holds the session's `orgId` under another name, the fix uses
    /// it instead of the caller's value. It is **unsafe**: tools that act on other organizations
    /// on purpose (a super-admin console) need a membership or role check instead.
    pub OrgIdFromInput {
        id: "org-id-from-input",
        category: Tenancy,
        severity: Error,
        fix: Unsafe,
        summary: "An organization id sent by the caller scopes data access without a membership check",
    }
}

impl Rule for OrgIdFromInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn reads_data_schema(&self) -> bool {
        true
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for data in facts::analyze(ctx) {
            if !data.has_session() {
                continue;
            }
            let mut reported: HashSet<TextRange> = HashSet::new();
            for query in data.queries {
                // Only values from the caller are reported: most queries have none.
                if !query.conditions.iter().chain(&query.data).any(|c| c.value == ValueSource::Input) {
                    continue;
                }
                let model = query.model.as_deref().and_then(|m| ctx.data_model(m));
                let is_org_value = |column: &str| match model {
                    Some(m) if m.kind == ModelKind::Tenant => {
                        matches!(column, "id" | "_id") || is_org_column_name(column)
                    }
                    Some(m) => m.is_org_column(column) || is_org_column_name(column),
                    None => is_org_column_name(column),
                };
                let what = query.model.clone().unwrap_or_else(|| "data".into());
                // A lookup also filtered by the session (a membership query, the user's own
                // rows) is the check, not the problem; written data is always checked.
                let session_scoped = query.conditions.iter().any(|c| c.value.is_session() && !c.in_or);
                let conditions = query.conditions.iter().filter(|_| !session_scoped);
                for condition in conditions.chain(&query.data) {
                    if condition.value != ValueSource::Input || !is_org_value(&condition.column) {
                        continue;
                    }
                    report(ctx, &data, out, &mut reported, condition.value_range, query.range.start, &what);
                }
            }
            for call in &data.checks.org_api_calls {
                if call.arg_value == ValueSource::Input {
                    report(ctx, &data, out, &mut reported, call.arg_range, call.arg_range.start, &call.what);
                }
            }
        }
    }
}

fn report(
    ctx: &FileContext<'_>,
    data: &EntryData<'_>,
    out: &mut Vec<Diagnostic>,
    reported: &mut HashSet<TextRange>,
    range: TextRange,
    at: u32,
    what: &str,
) {
    let text = ctx.source(range).to_string();
    if data.input_checked_before(&text, at) || !reported.insert(range) {
        return;
    }
    let fix = data.session_org_name().filter(|s| *s != text).map(|session| {
        let shorthand = is_shorthand_property(ctx.text, range.start, range.end);
        let replacement = if shorthand { format!("{text}: {session}") } else { session.to_string() };
        Fix::unsafe_(format!("Use the session's `{session}`"), vec![Edit::replace(range, replacement)])
    });
    out.push(
        ctx.diagnostic(
            &OrgIdFromInput::META,
            range,
            format!("`{text}` comes from the caller and decides which organization's `{what}` this touches"),
        )
        .with_help("Use `orgId` from `auth()`, or check the caller's membership in that organization first")
        .with_fix(fix),
    );
}

/// Whether the identifier at `[start, end)` is a shorthand property `{ orgId }`.
fn is_shorthand_property(text: &str, start: u32, end: u32) -> bool {
    let before = text[..start as usize].trim_end();
    let after = text[end as usize..].trim_start();
    (before.ends_with('{') || before.ends_with(',')) && (after.starts_with(',') || after.starts_with('}'))
}

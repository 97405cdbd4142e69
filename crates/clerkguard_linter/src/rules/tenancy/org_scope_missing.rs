use super::facts;
use super::scope::{self, ScopeGap, SessionField};
use crate::analysis::queries::Operation;
use crate::{Diagnostic, FileContext, Fix, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds queries on org-owned models — models or tables with an org/tenant column
    /// (`orgId`, `organizationId`, `org_id`, `tenantId`; `workspaceId`/`teamId` when that model is
    /// itself the tenant) — that select rows by a caller-supplied id, by the session's `userId`
    /// only, or not at all, without a condition on the organization.
    ///
    /// Columns come from `prisma/schema.prisma` (or the `prisma.schema` path in package.json),
    /// Drizzle `pgTable`/`sqliteTable`/`mysqlTable` definitions, and otherwise from how other
    /// queries in the project filter the same model. Counted as scoped: the org column compared
    /// with a value the caller did not send, a relation filter through the session user
    /// (`project: { members: { some: { userId } } }`), an `exists`/`inArray` membership subquery,
    /// and a later comparison of the loaded record's org with the session's
    /// (`if (doc.orgId !== orgId) notFound()`). Supabase tables with row-level security enabled in
    /// `supabase/migrations` are left to the database.
    ///
    /// Selecting by the session's `userId` only is reported when the function holds the
    /// session's `orgId` (the scope was at hand and not used).
    ///
    /// ## Why is this bad?
    ///
    /// In a multi-tenant app every organization's rows live in the same table. A query that does
    /// not filter on the tenant returns (or changes) rows of other organizations: any signed-in
    /// user who guesses or obtains an id reads another customer's data.
    ///
    /// ## Example
    ///
    /// ```ts
    /// export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
    ///   const { id } = await params;
    ///   const { orgId } = await auth.protect();
    ///   const project = await db.project.findUnique({ where: { id } });
    ///   return <Project project={project} />;
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const project = await db.project.findFirst({ where: { id, orgId } });
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix adds the org column with the session's `orgId` to the filter (`where`,
    /// `.where(and(...))`, `.eq()`), adding `orgId` to the `auth()` destructure or inserting
    /// `const { orgId } = await auth()` (without `await` on Clerk v5) when needed — together with
    /// a check that rejects callers without an active organization, because Prisma ignores
    /// `undefined` in a filter. It is **unsafe**: rows of other organizations stop being visible,
    /// users without an active organization are rejected, and Prisma `findUnique`/`update` need
    /// Prisma 5's extended unique filters for a non-unique column.
    pub OrgScopeMissing {
        id: "org-scope-missing",
        category: Tenancy,
        severity: Error,
        fix: Unsafe,
        summary: "A query on an org-owned model is not scoped to the caller's organization",
    }
}

impl Rule for OrgScopeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn reads_data_schema(&self) -> bool {
        true
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for data in facts::analyze(ctx) {
            for (index, query) in data.queries.iter().enumerate() {
                let Some(gap) = scope::org_scope_gap(ctx, &data, index) else { continue };
                let Some(model) = scope::org_model(ctx, query) else { continue };
                let Some(org_column) = model.org_column.clone() else { continue };
                let what = if query.operation == Operation::Read { "reads" } else { "changes" };
                let selected = match gap {
                    ScopeGap::ByInput => "by a value the caller sent",
                    ScopeGap::ByUserOnly => "by the session user only",
                    ScopeGap::Unfiltered => "without any filter",
                };
                let message = format!(
                    "This query {what} `{}` rows {selected}, without `{org_column}`: it reaches other organizations' data",
                    model.name
                );
                let fix = scope::session_value(ctx, &data, SessionField::OrgId).and_then(|session| {
                    let mut edits = scope::add_condition(ctx, query, model, &org_column, &session.expr)?;
                    edits.extend(session.edits);
                    Some(Fix::unsafe_(format!("Filter by `{org_column}` from the session"), edits))
                });
                out.push(
                    ctx.diagnostic(&Self::META, query.report_range, message)
                        .with_help(format!("Add `{org_column}` from `auth()` to the filter"))
                        .with_fix(fix),
                );
            }
        }
    }
}

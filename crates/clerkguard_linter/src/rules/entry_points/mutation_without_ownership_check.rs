use crate::analysis::queries::{FilterEdit, Query, ValueSource};
use crate::project_index::data_schema::{Model, ModelKind, Normalized};
use crate::rules::tenancy::facts::{self, EntryData};
use crate::rules::tenancy::scope::{self, SessionField};
use crate::{Diagnostic, FileContext, Fix, MiddlewareProtection, Rule, RuleLevel, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds entry points that update or delete a record selected only by an id from their
    /// caller — `where: { id }`, `.eq("id", id)`, `findByIdAndDelete(id)`,
    /// `WHERE id = ${id}` — when the model has an owner column (`userId`, `authorId`, `ownerId`,
    /// `createdById`, `clerkId`, ...) or an org column, the query has no condition on it, and
    /// nothing earlier checks that the record belongs to the caller.
    ///
    /// Counted as a check: a condition with the session's user or org in the same query
    /// (directly, or through a relation such as
    /// `project: { members: { some: { userId } } }`); an earlier lookup filtered by the session
    /// and the same id; an earlier comparison of a loaded record with the session
    /// (`if (post.authorId !== userId) throw`); a helper given the id whose name says it checks
    /// access (`assertCanEdit(id)`); for models owned by users (no org column), an admin role
    /// check. Models are read from the Prisma schema and Drizzle tables, or inferred from how
    /// other queries filter them; models the tool knows nothing about are not reported.
    ///
    /// Queries on org-owned models are reported by `org-scope-missing` instead, unless that
    /// rule is turned off.
    ///
    /// ## Why is this bad?
    ///
    /// Being signed in says who the caller is, not what they may change. Ids travel in URLs,
    /// are listed in API responses and are often guessable; an action `deletePost(id)` that
    /// deletes by id alone lets every user delete every post (an insecure direct object
    /// reference).
    ///
    /// ## Example
    ///
    /// ```ts
    /// "use server";
    /// export async function deletePost(id: string) {
    ///   const { userId } = await auth.protect();
    ///   await db.post.delete({ where: { id } });
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// "use server";
    /// export async function deletePost(id: string) {
    ///   const { userId } = await auth.protect();
    ///   await db.post.delete({ where: { id, authorId: userId } });
    /// }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// When the function holds the session's user id, the fix adds the owner condition (for a
    /// Prisma relation to a `User` model that stores the Clerk id in its own column, through
    /// the relation: `author: { clerkId: userId }`). It is **unsafe**: check that the owner
    /// column holds the Clerk user id, and Prisma `update`/`delete` need Prisma 5's extended
    /// unique filters for a non-unique column (or use `updateMany`/`deleteMany`).
    pub MutationWithoutOwnershipCheck {
        id: "mutation-without-ownership-check",
        category: EntryPoints,
        severity: Warning,
        fix: Unsafe,
        summary: "A record is updated or deleted by a caller-supplied id without an owner check",
    }
}

impl Rule for MutationWithoutOwnershipCheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn reads_data_schema(&self) -> bool {
        true
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let org_rule_on = !matches!(ctx.config.rule_levels.get("org-scope-missing"), Some(RuleLevel::Off));
        for data in facts::analyze(ctx) {
            for (index, query) in data.queries.iter().enumerate() {
                let Some(model) = unchecked_model(ctx, &data, index) else { continue };
                if org_rule_on && model.org_column.is_some() && scope::org_scope_gap(ctx, &data, index).is_some() {
                    continue;
                }
                let ids: Vec<String> = query
                    .restricting()
                    .filter(|c| c.value == ValueSource::Input)
                    .map(|c| format!("`{}`", ctx.source(c.value_range)))
                    .collect();
                let message = format!(
                    "This {} selects `{}` rows only by {} from the caller: nothing checks that the record belongs to them",
                    if query.operation == crate::analysis::queries::Operation::Delete { "delete" } else { "update" },
                    model.name,
                    ids.join(", "),
                );
                let help = match (model.owner_columns.first(), &model.org_column) {
                    (Some(owner), _) => format!("Add `{owner}` with the session's `userId` to the filter"),
                    (None, Some(org)) => format!("Add `{org}` with the session's `orgId` to the filter"),
                    (None, None) => "Check that the record belongs to the caller first".to_string(),
                };
                out.push(
                    ctx.diagnostic(&Self::META, query.report_range, message)
                        .with_help(help)
                        .with_fix(owner_fix(ctx, &data, query, model)),
                );
            }
        }
    }
}

/// The model of an update/delete selected only by caller input with no ownership check.
fn unchecked_model<'c>(ctx: &'c FileContext<'_>, data: &EntryData<'_>, index: usize) -> Option<&'c Model> {
    let query = &data.queries[index];
    if !query.operation.modifies_existing() || query.opaque {
        return None;
    }
    let restricting: Vec<_> = query.restricting().collect();
    if !restricting.iter().all(|c| matches!(c.value, ValueSource::Input | ValueSource::Literal))
        || !restricting.iter().any(|c| c.value == ValueSource::Input)
        || query.conditions.iter().any(|c| c.value.is_session())
    {
        return None;
    }
    let model = ctx.data_model(query.model.as_deref()?)?;
    if !matches!(model.kind, ModelKind::Data | ModelKind::Membership)
        || (model.owner_columns.is_empty() && model.org_column.is_none())
    {
        return None;
    }
    if !data.signed_in_at(query) && ctx.middleware_protection() != MiddlewareProtection::Protected {
        return None;
    }
    let start = query.range.start;
    if data.record_compared_before(start)
        || restricting
            .iter()
            .filter(|c| c.value == ValueSource::Input)
            .any(|c| data.input_checked_before(ctx.source(c.value_range), start))
        || (model.org_column.is_none() && data.privilege_gated_before(start))
    {
        return None;
    }
    Some(model)
}

fn owner_fix(ctx: &FileContext<'_>, data: &EntryData<'_>, query: &Query, model: &Model) -> Option<Fix> {
    let (field, session_field) = match (model.owner_columns.first(), &model.org_column) {
        (Some(owner), _) => (owner.clone(), SessionField::UserId),
        (None, Some(org)) => (org.clone(), SessionField::OrgId),
        (None, None) => return None,
    };
    let session = scope::session_value(ctx, data, session_field)?;
    let (field, value) = match relation_through_clerk_id(ctx, model, &field) {
        Some((relation, clerk_field)) if matches!(query.edit, Some(FilterEdit::Object { .. })) => {
            (relation, format!("{{ {clerk_field}: {} }}", session.expr))
        }
        Some(_) => return None,
        None => (field, session.expr.clone()),
    };
    let mut edits = scope::add_condition(ctx, query, model, &field, &value)?;
    edits.extend(session.edits);
    Some(Fix::unsafe_(format!("Filter by `{field}` from the session"), edits))
}

/// `author User @relation(fields: [authorId])` where `User` keeps the Clerk id in `clerkId`:
/// the owner condition goes through the relation (`author: { clerkId }`).
fn relation_through_clerk_id(ctx: &FileContext<'_>, model: &Model, owner: &str) -> Option<(String, String)> {
    let relation = model.fields.iter().find(|f| f.relation_fields.iter().any(|r| r == owner))?;
    let target = ctx.data_model(&relation.ty)?;
    let clerk = target
        .fields
        .iter()
        .find(|f| matches!(Normalized::new(&f.name).as_str(), "clerkid" | "clerkuserid" | "externalid"))?;
    Some((relation.name.clone(), clerk.name.clone()))
}

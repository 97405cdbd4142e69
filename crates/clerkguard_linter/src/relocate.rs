//! Moving a kept analysis to where its function now is: an edit earlier in the file moves an
//! unchanged function, and every offset its analysis recorded moves with it
//! ([`crate::BufferCache`]). Each type lists all of its fields (no `..`), so a new field with an
//! offset cannot be forgotten here without the compiler noticing.

use std::path::Path;

use clerkguard_syntax::{TextChange, TextRange};

use crate::analysis::flow::{AuthDecl, EffectSite, FunctionFacts, IdentityUse};
use crate::analysis::queries::{Condition, FilterEdit, Query};
use crate::rules::tenancy::facts::{Checks, InputCheck, OrgApiCall, SessionComparison};
use crate::{Diagnostic, Edit, Fix, RelatedInfo};

/// Where offsets of the last version are in this one, for the analysis of one function.
pub(crate) struct Relocation {
    change: TextChange,
    /// The function comes after the change: an offset exactly where text was inserted belongs
    /// to what follows it.
    after: bool,
}

impl Relocation {
    /// For a function that was at `function` (a range of the last version).
    pub(crate) fn new(change: TextChange, function: TextRange) -> Self {
        Self { change, after: function.start >= change.old_end }
    }

    pub(crate) fn range(&self, range: &mut TextRange) -> Option<()> {
        *range = self.change.map_range(*range, self.after)?;
        Some(())
    }

    pub(crate) fn offset(&self, offset: &mut u32) -> Option<()> {
        *offset = self.change.map_offset(*offset, self.after)?;
        Some(())
    }
}

/// Moves the offsets a value holds; `None` when one of them lies in the replaced text (the
/// value is then unusable and is dropped).
pub(crate) trait Relocate {
    fn relocate(&mut self, by: &Relocation) -> Option<()>;
}

impl Relocate for TextRange {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        by.range(self)
    }
}

impl<T: Relocate> Relocate for Vec<T> {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        self.iter_mut().try_for_each(|item| item.relocate(by))
    }
}

impl<T: Relocate> Relocate for Option<T> {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        self.as_mut().map_or(Some(()), |value| value.relocate(by))
    }
}

impl Relocate for Edit {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let Edit { file, range, new_text: _ } = self;
        // An edit of another file is not moved by this one's change.
        if file.is_some() { Some(()) } else { by.range(range) }
    }
}

/// Moves a finding of the file at `path`; edits and related locations in other files stay.
pub(crate) fn relocate_diagnostic(diagnostic: &mut Diagnostic, by: &Relocation, path: &Path) -> Option<()> {
    let Diagnostic { rule: _, severity: _, range, message: _, help: _, fix, related } = diagnostic;
    by.range(range)?;
    if let Some(Fix { title: _, applicability: _, edits }) = fix {
        edits.relocate(by)?;
    }
    for RelatedInfo { path: other, range, message: _ } in related {
        if other.as_os_str().is_empty() || other == path {
            by.range(range)?;
        }
    }
    Some(())
}

impl Relocate for FunctionFacts {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let FunctionFacts { auth_decls, effects, identity_uses, guard_seen: _, summary: _ } = self;
        auth_decls.relocate(by)?;
        effects.relocate(by)?;
        identity_uses.relocate(by)
    }
}

impl Relocate for AuthDecl {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let AuthDecl {
            stmt_range,
            call_range,
            source: _,
            user_check_expr: _,
            pattern_range,
            bound_names: _,
            unchecked_use,
            checked: _,
        } = self;
        by.range(stmt_range)?;
        by.range(call_range)?;
        pattern_range.relocate(by)?;
        unchecked_use.relocate(by)
    }
}

impl Relocate for EffectSite {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let EffectSite { range, effect: _, guarded: _, unchecked_auth: _ } = self;
        by.range(range)
    }
}

impl Relocate for IdentityUse {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let IdentityUse { name: _, use_range, effect: _ } = self;
        by.range(use_range)
    }
}

impl Relocate for Query {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let Query {
            library: _,
            model: _,
            operation: _,
            range,
            report_range,
            conditions,
            data,
            has_filter: _,
            opaque: _,
            edit,
        } = self;
        by.range(range)?;
        by.range(report_range)?;
        conditions.relocate(by)?;
        data.relocate(by)?;
        edit.relocate(by)
    }
}

impl Relocate for Condition {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let Condition { column: _, path: _, value: _, value_range, in_or: _, equality: _ } = self;
        by.range(value_range)
    }
}

impl Relocate for FilterEdit {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        match self {
            FilterEdit::Object { open, after_last } => {
                by.offset(open)?;
                after_last.as_mut().map_or(Some(()), |o| by.offset(o))
            }
            FilterEdit::DrizzleWhere { arg, and_close, table: _ } => {
                by.range(arg)?;
                and_close.as_mut().map_or(Some(()), |o| by.offset(o))
            }
            FilterEdit::SupabaseChain { at } => by.offset(at),
        }
    }
}

impl Relocate for Checks {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let Checks {
            comparisons,
            input_checks,
            role_gates,
            privilege_gates,
            reverification: _,
            results: _,
            org_api_calls,
        } = self;
        comparisons.relocate(by)?;
        input_checks.relocate(by)?;
        role_gates.iter_mut().try_for_each(|at| by.offset(at))?;
        privilege_gates.iter_mut().try_for_each(|at| by.offset(at))?;
        org_api_calls.relocate(by)
    }
}

impl Relocate for SessionComparison {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let SessionComparison { at, other_root: _, other_value: _ } = self;
        by.offset(at)
    }
}

impl Relocate for InputCheck {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let InputCheck { at, text: _ } = self;
        by.offset(at)
    }
}

impl Relocate for OrgApiCall {
    fn relocate(&mut self, by: &Relocation) -> Option<()> {
        let OrgApiCall { what: _, arg_value: _, arg_range } = self;
        by.range(arg_range)
    }
}

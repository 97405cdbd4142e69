//! Rules of the `tenancy` family (see rules.md): organizations, tenant isolation, role keys, and
//! the step-up hint for admin actions.

mod admin_action_without_reverification;
pub(crate) mod facts;
mod org_id_from_input;
mod org_role_literal;
mod org_scope_missing;
pub(crate) mod scope;

pub use admin_action_without_reverification::AdminActionWithoutReverification;
pub use org_id_from_input::OrgIdFromInput;
pub use org_role_literal::OrgRoleLiteral;
pub use org_scope_missing::OrgScopeMissing;

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(OrgScopeMissing),
        Box::new(OrgIdFromInput),
        Box::new(OrgRoleLiteral),
        Box::new(AdminActionWithoutReverification),
    ]
}

//! The rule catalogue, one file per rule, grouped by category.

pub mod advisories;
pub mod entry_points;
pub mod meta;
pub mod metadata;
pub mod routing;
pub mod secrets;
pub mod tenancy;
pub mod webhooks;

use crate::Rule;

/// Every file-level rule, in catalogue order.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut rules: Vec<Box<dyn Rule>> = Vec::new();
    rules.extend(entry_points::rules());
    rules.extend(routing::rules());
    rules.extend(webhooks::rules());
    rules.extend(tenancy::rules());
    rules.extend(metadata::rules());
    rules.extend(secrets::rules());
    rules.extend(advisories::rules());
    rules
}

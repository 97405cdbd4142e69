//! The rule catalogue, one file per rule, grouped by category.

pub mod entry_points;
pub mod meta;

use crate::Rule;

/// Every file-level rule, in catalogue order.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut rules: Vec<Box<dyn Rule>> = Vec::new();
    rules.extend(entry_points::rules());
    rules
}

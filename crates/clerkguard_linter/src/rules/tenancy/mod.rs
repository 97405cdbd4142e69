//! Rules of the `tenancy` family (see rules.md).

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}

//! Rules of the `metadata` family (see rules.md).

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}

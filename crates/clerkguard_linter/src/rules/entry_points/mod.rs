//! Section A: entry points and what they must check.

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}

//! Rules of the `webhooks` family (see rules.md).

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}

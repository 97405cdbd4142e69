//! Advisories and deprecations keyed on the installed `@clerk/nextjs` (see rules.md B and D).

mod auth_option_drops_check;
mod deprecated_clerk_api;
mod table;
mod vulnerable_clerk_version;

pub use auth_option_drops_check::AuthOptionDropsCheck;
pub use deprecated_clerk_api::DeprecatedClerkApi;
pub use vulnerable_clerk_version::VulnerableClerkVersion;

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(VulnerableClerkVersion), Box::new(DeprecatedClerkApi), Box::new(AuthOptionDropsCheck)]
}

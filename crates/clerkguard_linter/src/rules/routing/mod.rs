//! Rules of the `routing` family (see rules.md, section B): the middleware file, its matcher,
//! its route lists, and what they mean for each route.

mod common;
mod matcher_negative_lookahead;
mod middleware_bypass_cve_2025_29927;
mod middleware_not_loaded;
mod middleware_only_protection;
mod public_pattern_too_broad;
mod route_outside_matcher;
mod route_pattern_matches_nothing;
mod route_pattern_missing_subpaths;
mod webhook_route_protected;

pub use common::{route_guards_itself, route_protection_summary};
pub use matcher_negative_lookahead::MatcherNegativeLookahead;
pub use middleware_bypass_cve_2025_29927::MiddlewareBypassCve202529927;
pub use middleware_not_loaded::MiddlewareNotLoaded;
pub use middleware_not_loaded::middleware_source;
pub use middleware_only_protection::MiddlewareOnlyProtection;
pub use public_pattern_too_broad::PublicPatternTooBroad;
pub use route_outside_matcher::RouteOutsideMatcher;
pub use route_pattern_matches_nothing::RoutePatternMatchesNothing;
pub use route_pattern_missing_subpaths::RoutePatternMissingSubpaths;
pub use webhook_route_protected::WebhookRouteProtected;

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(RouteOutsideMatcher),
        Box::new(MiddlewareNotLoaded),
        Box::new(RoutePatternMissingSubpaths),
        Box::new(RoutePatternMatchesNothing),
        Box::new(PublicPatternTooBroad),
        Box::new(MiddlewareOnlyProtection),
        Box::new(MiddlewareBypassCve202529927),
        Box::new(WebhookRouteProtected),
        Box::new(MatcherNegativeLookahead),
    ]
}

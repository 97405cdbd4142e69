//! Which routes the middleware protects (filled in by the route-protection work).

use super::ProjectIndex;

/// The middleware model evaluated against the route table.
#[derive(Debug, Default)]
pub struct RoutingModel {}

pub fn build(_index: &ProjectIndex) -> RoutingModel {
    RoutingModel::default()
}

//! Data models and their tenant/owner columns (filled in by the tenancy work).

use super::ProjectIndex;

#[derive(Debug, Default)]
pub struct DataSchema {}

pub fn build(_index: &ProjectIndex) -> DataSchema {
    DataSchema::default()
}

//! Section E: user and organization metadata (see rules.md).

mod metadata_from_user_input;
mod metadata_write_from_client;
mod sensitive_data_in_public_metadata;
mod shapes;
mod unsafe_metadata_authorization;

pub use metadata_from_user_input::MetadataFromUserInput;
pub use metadata_write_from_client::MetadataWriteFromClient;
pub use sensitive_data_in_public_metadata::SensitiveDataInPublicMetadata;
pub use unsafe_metadata_authorization::UnsafeMetadataAuthorization;

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(MetadataWriteFromClient),
        Box::new(MetadataFromUserInput),
        Box::new(UnsafeMetadataAuthorization),
        Box::new(SensitiveDataInPublicMetadata),
    ]
}

/// Whether the file's text names metadata at all (`publicMetadata`, `unsafeMetadata`,
/// `public_metadata`, ...): the metadata rules' test before a walk. Both spellings contain
/// `etadata`, looked for first: most files have neither.
fn mentions_metadata(ctx: &crate::FileContext<'_>) -> bool {
    ctx.mentions("etadata") && (ctx.mentions("Metadata") || ctx.mentions("_metadata"))
}

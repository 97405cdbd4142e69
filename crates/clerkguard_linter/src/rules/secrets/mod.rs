//! Section E: secrets and keys (see rules.md).

mod dev_keys_in_production;
mod env_reads;
mod hardcoded_clerk_secret;
mod missing_encryption_key;
mod secret_key_in_client;
pub mod values;

pub use dev_keys_in_production::DevKeysInProduction;
pub use hardcoded_clerk_secret::HardcodedClerkSecret;
pub use missing_encryption_key::MissingEncryptionKey;
pub use secret_key_in_client::SecretKeyInClient;

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(SecretKeyInClient),
        Box::new(HardcodedClerkSecret),
        Box::new(DevKeysInProduction),
        Box::new(MissingEncryptionKey),
    ]
}

//! Section C: Clerk webhooks (see rules.md).

mod boilerplate;
mod handler;
mod webhook_body_reserialized;
mod webhook_secret_mismatch;
mod webhook_unverified;
mod webhook_without_idempotency;

pub use webhook_body_reserialized::WebhookBodyReserialized;
pub use webhook_secret_mismatch::WebhookSecretMismatch;
pub use webhook_unverified::WebhookUnverified;
pub use webhook_without_idempotency::WebhookWithoutIdempotency;

use crate::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(WebhookUnverified),
        Box::new(WebhookBodyReserialized),
        Box::new(WebhookSecretMismatch),
        Box::new(WebhookWithoutIdempotency),
    ]
}

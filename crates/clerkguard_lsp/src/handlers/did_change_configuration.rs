use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeConfigurationParams};

use crate::session::Session;
use crate::settings::Settings;

/// Settings pushed by the client; an empty payload from a client that supports
/// `workspace/configuration` means "ask me".
pub async fn handle(session: &Arc<Session>, params: DidChangeConfigurationParams) {
    let changed = apply_settings(session, &params.settings)
        || (session.caps().configuration && pull_configuration(session).await);
    if changed {
        session.refresh_all().await;
    }
}

/// Asks the client for the `clerkguard` section. Returns whether settings changed.
pub async fn pull_configuration(session: &Arc<Session>) -> bool {
    let item = ConfigurationItem { scope_uri: None, section: Some("clerkguard".to_string()) };
    match session.client.configuration(vec![item]).await {
        Ok(values) => values.first().is_some_and(|v| apply_settings(session, v)),
        Err(e) => {
            session.log.warn(format!("workspace/configuration failed: {e}"));
            false
        }
    }
}

/// Applies a settings payload if it holds clerkguard settings. Returns whether they changed.
fn apply_settings(session: &Arc<Session>, value: &Value) -> bool {
    let (settings, warnings) = Settings::from_value(value);
    for warning in warnings {
        session.log.warn(warning);
    }
    match settings {
        Some(settings) if settings != session.settings() => {
            session.log.info(format!("settings changed: {settings:?}"));
            session.set_settings(settings);
            true
        }
        _ => false,
    }
}

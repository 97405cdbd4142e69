use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, InitializedParams, Registration,
};

use crate::session::Session;

/// Files whose changes on disk matter: sources, manifests and configuration.
pub const WATCHED_GLOBS: [&str; 5] =
    ["**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}", "**/package.json", "**/clerkguard.json", "**/tsconfig.json", "**/.env*"];

/// Runs in a task of its own: the requests to the client must not hold up message handling
/// if the client is slow to answer.
pub async fn handle(session: &Arc<Session>, _params: InitializedParams) {
    let session = session.clone();
    tokio::spawn(async move {
        let caps = session.caps();
        if caps.dynamic_watchers {
            register_watchers(&session).await;
        }
        if caps.configuration && super::did_change_configuration::pull_configuration(&session).await {
            session.refresh_all().await;
        } else {
            session.rescan_workspace().await;
        }
    });
}

async fn register_watchers(session: &Arc<Session>) {
    let watchers = WATCHED_GLOBS
        .iter()
        .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_string()), kind: None })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: "clerkguard-watched-files".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    if let Err(e) = session.client.register_capability(vec![registration]).await {
        session.log.warn(format!("could not register file watchers: {e}"));
    }
}

use std::sync::Arc;

use clerkguard_linter::rules::routing::route_protection_summary;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams, Command, Position, Range};

use crate::session::Session;

/// A lens on the first line of a route file: what protects the route (the middleware, and
/// whether the route checks the caller itself). The text comes from the analysis core.
pub async fn handle(session: &Arc<Session>, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let key = params.text_document.uri.as_str();
    let Some(path) = session.documents.get(key).map(|d| d.path.clone()) else { return Ok(None) };
    let workspace = session.workspace();
    let summary = match tokio::task::spawn_blocking(move || route_protection_summary(&workspace, &path)).await {
        Ok(summary) => summary,
        Err(e) => {
            session.log.error(format!("code lens failed: {e}"));
            None
        }
    };
    Ok(summary.map(|title| {
        vec![CodeLens {
            range: Range::new(Position::new(0, 0), Position::new(0, 0)),
            // No command to run: the lens is information (an empty command renders as text).
            command: Some(Command { title: format!("clerkguard: {title}"), command: String::new(), arguments: None }),
            data: None,
        }]
    }))
}

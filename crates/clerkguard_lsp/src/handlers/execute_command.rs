use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny};

use crate::capabilities::FIX_ALL_COMMAND;
use crate::session::Session;

/// `clerkguard.fixAll <uri>`: applies every safe fix of the document through
/// `workspace/applyEdit` (for editors without source actions). Returns whether it applied.
pub async fn handle(session: &Arc<Session>, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
    if params.command != FIX_ALL_COMMAND {
        return Err(Error::invalid_params(format!("unknown command `{}`", params.command)));
    }
    let uri = match params.arguments.first() {
        Some(Value::String(uri)) => uri.clone(),
        Some(Value::Object(o)) => match o.get("uri").and_then(Value::as_str) {
            Some(uri) => uri.to_string(),
            None => return Err(Error::invalid_params("expected a document URI")),
        },
        _ => return Err(Error::invalid_params("expected a document URI")),
    };
    if !session.documents.contains_key(&uri) {
        return Err(Error::invalid_params(format!("{uri} is not open")));
    }
    let Some(edit) = session.fix_all_edit(&uri).await else {
        return Ok(Some(Value::Bool(false)));
    };
    match session.client.apply_edit(edit).await {
        Ok(response) => Ok(Some(Value::Bool(response.applied))),
        Err(e) => {
            session.log.warn(format!("workspace/applyEdit failed: {e}"));
            Ok(Some(Value::Bool(false)))
        }
    }
}

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::session::Session;
use crate::settings::RunTrigger;

/// Applies the edits before the first `.await`, so changes are applied in arrival order.
pub async fn handle(session: &Arc<Session>, params: DidChangeTextDocumentParams) {
    let key = params.text_document.uri.as_str();
    let encoding = session.caps().encoding;
    {
        let Some(mut doc) = session.documents.get_mut(key) else {
            session.log.warn(format!("didChange for {key}, which is not open; ignored"));
            return;
        };
        doc.apply_changes(params.text_document.version, params.content_changes, encoding);
    }
    if session.settings().run == RunTrigger::OnType {
        session.schedule_analysis(key);
    }
}

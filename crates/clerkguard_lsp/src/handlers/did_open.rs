use std::sync::Arc;

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::document::Document;
use crate::session::Session;

pub async fn handle(session: &Arc<Session>, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let key = item.uri.as_str().to_string();
    let (path, on_disk) = session.document_path(&item.uri, &item.language_id);
    if !on_disk {
        session.log.debug(format!("{key} is not a file; analysing it as {}", path.display()));
    }
    // A new document: versions restart, and the result of any disk lint is superseded.
    session.publisher.reset(&item.uri, false);
    let doc = Document::new(item.uri, path, on_disk, item.version, &item.text);
    session.documents.insert(key.clone(), doc);
    session.schedule_analysis(&key);
}

use std::sync::Arc;

use clerkguard_linter::Workspace;
use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::session::Session;
use crate::settings::RunTrigger;

pub async fn handle(session: &Arc<Session>, params: DidSaveTextDocumentParams) {
    let key = params.text_document.uri.as_str();
    let Some((path, on_disk)) = session.documents.get(key).map(|d| (d.path.clone(), d.on_disk)) else {
        return;
    };
    if Workspace::is_analyzable(&path) {
        if session.settings().run == RunTrigger::OnSave {
            session.schedule_analysis(key);
        }
        return;
    }
    // package.json, clerkguard.json, …: the saved file changes how others are analysed.
    if on_disk {
        super::did_change_watched_files::disk_changed(session, vec![path]).await;
    }
}

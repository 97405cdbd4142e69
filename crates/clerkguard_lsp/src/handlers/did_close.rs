use std::sync::Arc;

use clerkguard_linter::Workspace;
use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::session::Session;
use crate::settings::DiagnosticScope;

/// In workspace scope the file keeps its diagnostics, now from disk; in open-files scope they
/// are cleared.
pub async fn handle(session: &Arc<Session>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let Some((_, doc)) = session.documents.remove(uri.as_str()) else {
        session.log.debug(format!("didClose for {}, which is not open; ignored", uri.as_str()));
        return;
    };
    let settings = session.settings();
    let keep = settings.enable && settings.scope == DiagnosticScope::Workspace && doc.on_disk;
    session.publisher.reset(&uri, !keep);
    let mut relint = Vec::new();
    if doc.on_disk {
        let workspace = session.workspace();
        let (overlay, path) = (doc.overlay.clone(), doc.path.clone());
        let dependents = tokio::task::spawn_blocking(move || {
            let mut overlay = overlay.lock().unwrap_or_else(|p| p.into_inner());
            overlay.closed = true;
            if overlay.version.take().is_some() { workspace.set_overlay(&path, None) } else { Vec::new() }
        })
        .await;
        match dependents {
            Ok(dependents) => relint.extend(dependents),
            Err(e) => session.log.error(format!("closing {} failed: {e}", uri.as_str())),
        }
        if keep && Workspace::is_analyzable(&doc.path) {
            relint.push(doc.path.clone());
        }
    }
    relint.sort();
    relint.dedup();
    session.relint_paths(relint).await;
}

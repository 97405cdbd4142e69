use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeWorkspaceFoldersParams;

use super::initialize::folder_path;
use crate::session::Session;

pub async fn handle(session: &Arc<Session>, params: DidChangeWorkspaceFoldersParams) {
    let removed: Vec<_> = params.event.removed.iter().filter_map(|f| folder_path(&f.uri)).collect();
    let mut roots: Vec<_> = session.roots().into_iter().filter(|r| !removed.contains(r)).collect();
    for added in params.event.added.iter().filter_map(|f| folder_path(&f.uri)) {
        if !roots.contains(&added) {
            roots.push(added);
        }
    }
    session.log.info(format!("workspace folders changed: {} folder(s)", roots.len()));
    session.set_roots(roots);
    // Findings of closed files may belong to a removed folder: clear them, then scan again.
    session.publisher.clear_where(|key| !session.documents.contains_key(key));
    session.refresh_all().await;
}

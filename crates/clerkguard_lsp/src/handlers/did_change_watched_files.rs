use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{DidChangeWatchedFilesParams, FileChangeType};

use crate::diagnostics::uri_for_path;
use crate::session::{Session, normalize_path};

pub async fn handle(session: &Arc<Session>, params: DidChangeWatchedFilesParams) {
    let mut changed = Vec::new();
    for event in params.changes {
        if !event.uri.scheme().as_str().eq_ignore_ascii_case("file") {
            continue;
        }
        let Some(path) = event.uri.to_file_path().map(|p| normalize_path(&p)) else { continue };
        if event.typ == FileChangeType::DELETED && !session.is_open_path(&path) {
            // Its findings go with it.
            if let Some(uri) = uri_for_path(&path) {
                session.publisher.reset(&uri, true);
            }
        }
        changed.push(path);
    }
    disk_changed(session, changed).await;
}

/// Tells the workspace about files changed on disk and re-lints the files affected (the
/// changed ones too, unless they are open: their buffer is what counts).
pub async fn disk_changed(session: &Arc<Session>, paths: Vec<PathBuf>) {
    if paths.is_empty() {
        return;
    }
    let workspace = session.workspace();
    let changed = paths.clone();
    let affected = tokio::task::spawn_blocking(move || {
        let mut affected = Vec::new();
        for path in &changed {
            affected.extend(workspace.file_changed(path));
            if path.is_file() {
                affected.push(path.clone());
            }
        }
        affected
    })
    .await;
    match affected {
        Ok(mut affected) => {
            let open = session.open_paths();
            affected.retain(|p| !(paths.contains(p) && open.contains_key(p)));
            affected.sort();
            affected.dedup();
            session.relint_paths(affected).await;
        }
        Err(e) => session.log.error(format!("processing file changes failed: {e}")),
    }
}

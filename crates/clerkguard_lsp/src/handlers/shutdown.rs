use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;

use crate::session::Session;

pub async fn handle(session: &Arc<Session>) -> Result<()> {
    session.shutdown_requested.store(true, Ordering::SeqCst);
    // Stop any workspace scan; its results would go nowhere.
    session.scan_generation.fetch_add(1, Ordering::SeqCst);
    session.log.info("shutdown requested");
    Ok(())
}

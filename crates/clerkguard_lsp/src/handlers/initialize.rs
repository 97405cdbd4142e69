use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InitializeParams, InitializeResult, ServerInfo, Uri};

use crate::capabilities::{ClientCaps, server_capabilities};
use crate::session::{Session, normalize_path};
use crate::settings::Settings;

pub async fn handle(session: &Arc<Session>, params: InitializeParams) -> Result<InitializeResult> {
    let caps = ClientCaps::from_client(&params.capabilities);
    session.set_caps(caps.clone());
    if let Some(options) = &params.initialization_options {
        let (settings, warnings) = Settings::from_value(options);
        for warning in warnings {
            session.log.warn(warning);
        }
        if let Some(settings) = settings {
            session.set_settings(settings);
        }
    }
    let roots = workspace_roots(&params);
    session.log.info(format!("initialize: {} workspace folder(s), position encoding {:?}", roots.len(), caps.encoding));
    session.set_roots(roots);
    Ok(InitializeResult {
        capabilities: server_capabilities(&caps),
        server_info: Some(ServerInfo {
            name: "clerkguard".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    })
}

#[allow(deprecated)] // root_uri/root_path: clients without workspace folders still send them
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = params.workspace_folders.as_ref().filter(|f| !f.is_empty()) {
        return folders.iter().filter_map(|f| folder_path(&f.uri)).collect();
    }
    let root_path = params.root_path.as_ref().map(PathBuf::from);
    params.root_uri.as_ref().and_then(folder_path).or(root_path).into_iter().collect()
}

pub fn folder_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| normalize_path(&p))
}

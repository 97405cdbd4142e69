//! The `LanguageServer` implementation: every method hands off to its handler.

use std::sync::Arc;

use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, CodeLens, CodeLensParams, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, ExecuteCommandParams,
    InitializeParams, InitializeResult, InitializedParams, LSPAny,
};

use crate::handlers;
use crate::session::Session;
use crate::transport::InvalidMessage;

pub struct Backend {
    session: Arc<Session>,
}

impl Backend {
    pub fn new(session: Arc<Session>) -> Self {
        Self { session }
    }

    /// Answers a malformed incoming message (see [`crate::transport`]) with its JSON-RPC error.
    pub async fn invalid_message(&self, params: InvalidMessage) -> Result<()> {
        self.session.log.warn(format!("malformed message from the client: {}", params.message));
        Err(Error { code: ErrorCode::from(params.code), message: params.message.into(), data: None })
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::initialize::handle(&self.session, params).await
    }

    async fn initialized(&self, params: InitializedParams) {
        handlers::initialized::handle(&self.session, params).await;
    }

    async fn shutdown(&self) -> Result<()> {
        handlers::shutdown::handle(&self.session).await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::did_open::handle(&self.session, params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::did_change::handle(&self.session, params).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        handlers::did_save::handle(&self.session, params).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::did_close::handle(&self.session, params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::did_change_configuration::handle(&self.session, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::did_change_watched_files::handle(&self.session, params).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        handlers::did_change_workspace_folders::handle(&self.session, params).await;
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::handle(&self.session, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        handlers::code_lens::handle(&self.session, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        handlers::execute_command::handle(&self.session, params).await
    }
}

//! What the client can do (read once from `initialize`) and what the server offers in return.

use clerkguard_linter::PositionEncoding;
use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    ExecuteCommandOptions, OneOf, PositionEncodingKind, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};

/// The code action kind of "apply every safe fix in this file".
pub const FIX_ALL_KIND: &str = "source.fixAll.clerkguard";
/// `workspace/executeCommand` name of the fix-all command (arguments: the document URI).
pub const FIX_ALL_COMMAND: &str = "clerkguard.fixAll";

/// The client capabilities the server acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientCaps {
    pub encoding: PositionEncoding,
    pub related_information: bool,
    pub work_done_progress: bool,
    pub dynamic_watchers: bool,
    pub document_changes: bool,
    pub configuration: bool,
}

impl ClientCaps {
    pub fn from_client(caps: &ClientCapabilities) -> Self {
        let offered = caps.general.as_ref().and_then(|g| g.position_encodings.as_deref()).unwrap_or_default();
        let encoding = if offered.contains(&PositionEncodingKind::UTF8) {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        };
        let workspace = caps.workspace.as_ref();
        Self {
            encoding,
            related_information: caps
                .text_document
                .as_ref()
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false),
            work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            dynamic_watchers: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        }
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

pub fn server_capabilities(caps: &ClientCaps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(caps.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(FIX_ALL_KIND),
                CodeActionKind::SOURCE_FIX_ALL,
            ]),
            work_done_progress_options: Default::default(),
            resolve_provider: Some(false),
        })),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![FIX_ALL_COMMAND.to_string()],
            work_done_progress_options: Default::default(),
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn caps(value: serde_json::Value) -> ClientCaps {
        ClientCaps::from_client(&serde_json::from_value(value).unwrap())
    }

    #[test]
    fn neovim_011_negotiates_utf8() {
        let c = caps(json!({
            "general": { "positionEncodings": ["utf-8", "utf-16", "utf-32"] },
            "window": { "workDoneProgress": true },
            "workspace": { "configuration": true, "didChangeWatchedFiles": { "dynamicRegistration": false } },
            "textDocument": { "publishDiagnostics": { "relatedInformation": true } }
        }));
        assert_eq!(c.encoding, PositionEncoding::Utf8);
        assert!(c.work_done_progress && c.configuration && c.related_information);
        assert!(!c.dynamic_watchers);
    }

    #[test]
    fn eglot_defaults_to_utf16() {
        let c = caps(json!({
            "workspace": { "configuration": true, "didChangeWatchedFiles": { "dynamicRegistration": true },
                           "workspaceEdit": { "documentChanges": true } },
            "textDocument": { "publishDiagnostics": { "relatedInformation": false } }
        }));
        assert_eq!(c.encoding, PositionEncoding::Utf16);
        assert!(c.dynamic_watchers && c.document_changes);
        assert!(!c.work_done_progress && !c.related_information);
    }
}

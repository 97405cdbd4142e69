//! One handler per request or notification. Handlers translate LSP messages into session
//! operations; they hold no analysis logic.

pub mod code_action;
pub mod code_lens;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod execute_command;
pub mod initialize;
pub mod initialized;
pub mod shutdown;

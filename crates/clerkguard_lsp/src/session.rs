//! The server's state: client capabilities, settings, open documents, the analysis workspace.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, RwLock};

use clerkguard_linter::{RuleLevel, Workspace};
use dashmap::DashMap;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use crate::capabilities::ClientCaps;
use crate::document::Document;
use crate::logging::{LogLevel, Logger};
use crate::output::Outgoing;
use crate::publish::Publisher;
use crate::settings::Settings;

pub struct Session {
    pub client: Client,
    pub log: Logger,
    pub publisher: Publisher,
    /// Open documents by URI string.
    pub documents: DashMap<String, Document>,
    caps: RwLock<ClientCaps>,
    settings: RwLock<Settings>,
    roots: RwLock<Vec<PathBuf>>,
    workspace: RwLock<Arc<Workspace>>,
    /// Set by `shutdown`; decides the exit code.
    pub shutdown_requested: Arc<AtomicBool>,
    /// Bumped by every workspace scan; an older scan stops when it sees a newer number.
    pub scan_generation: AtomicU64,
    pub progress_tokens: AtomicU64,
}

impl Session {
    pub fn new(client: Client, outgoing: Outgoing, log_level: LogLevel, shutdown_requested: Arc<AtomicBool>) -> Self {
        Self {
            log: Logger::new(log_level, client.clone()),
            publisher: Publisher::new(outgoing),
            client,
            documents: DashMap::new(),
            caps: RwLock::default(),
            settings: RwLock::default(),
            roots: RwLock::default(),
            workspace: RwLock::new(Arc::new(Workspace::new(Vec::new()))),
            shutdown_requested,
            scan_generation: AtomicU64::new(0),
            progress_tokens: AtomicU64::new(0),
        }
    }

    pub fn caps(&self) -> ClientCaps {
        read(&self.caps).clone()
    }

    pub fn set_caps(&self, caps: ClientCaps) {
        *write(&self.caps) = caps;
    }

    pub fn settings(&self) -> Settings {
        read(&self.settings).clone()
    }

    pub fn workspace(&self) -> Arc<Workspace> {
        read(&self.workspace).clone()
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        read(&self.roots).clone()
    }

    /// Replaces the workspace folders: a fresh analysis workspace with the current settings.
    /// Open documents get their overlays again with their next analysis.
    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        let workspace = Workspace::new(roots.clone());
        *write(&self.roots) = roots;
        self.configure(&workspace, &self.settings());
        *write(&self.workspace) = Arc::new(workspace);
        for mut doc in self.documents.iter_mut() {
            doc.overlay = Arc::default();
        }
    }

    /// Stores new settings and hands the analysis-relevant ones to the workspace.
    pub fn set_settings(&self, settings: Settings) {
        self.configure(&self.workspace(), &settings);
        *write(&self.settings) = settings;
    }

    fn configure(&self, workspace: &Workspace, settings: &Settings) {
        let overrides: std::collections::BTreeMap<String, RuleLevel> = settings.rules.clone();
        workspace.set_rule_overrides(overrides);
        let config_path = settings.config_path.as_ref().map(|p| match (p.is_relative(), self.roots().first()) {
            (true, Some(root)) => root.join(p),
            _ => p.clone(),
        });
        workspace.set_config_path(config_path);
    }

    pub fn doc_version(&self, key: &str) -> Option<i32> {
        self.documents.get(key).map(|d| d.version)
    }

    /// Open documents by path.
    pub fn open_paths(&self) -> HashMap<PathBuf, String> {
        self.documents.iter().map(|d| (d.path.clone(), d.key().clone())).collect()
    }

    pub fn is_open_path(&self, path: &Path) -> bool {
        self.documents.iter().any(|d| d.path == path)
    }

    /// The file path a document is analysed as, and whether it is a real file. Non-file URIs
    /// (`untitled:` buffers and the like) get a synthetic path in the first workspace folder,
    /// with an extension from the URI or the language id.
    pub fn document_path(&self, uri: &Uri, language_id: &str) -> (PathBuf, bool) {
        if uri.scheme().as_str().eq_ignore_ascii_case("file")
            && let Some(path) = uri.to_file_path()
        {
            return (normalize_path(&path), true);
        }
        let raw = uri.as_str();
        let known_ext = Path::new(uri.path().as_str())
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| matches!(*e, "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs" | "mts" | "cts"));
        let ext = known_ext.unwrap_or(match language_id {
            "typescriptreact" => "tsx",
            "typescript" => "ts",
            "javascriptreact" => "jsx",
            _ => "js",
        });
        let stem: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).take(80).collect();
        let base = self.roots().first().cloned().unwrap_or_else(std::env::temp_dir);
        (base.join(format!(".clerkguard-buffer-{stem}.{ext}")), false)
    }
}

/// The canonical form of a path, as the workspace scan reports it (symlinks resolved); for a
/// file that does not exist yet, its canonical directory joined with its name.
pub fn normalize_path(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent().and_then(|p| p.canonicalize().ok()), path.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => path.to_path_buf(),
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

//! A small in-process LSP client: Content-Length framing over `tokio::io::duplex`, requests
//! with ids, collected notifications, and automatic answers to server→client requests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerkguard_lsp::{LogLevel, ServerOptions};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub const TIMEOUT: Duration = Duration::from_secs(15);
pub const PACKAGE_JSON: &str = r#"{"dependencies":{"@clerk/nextjs":"^6.30.0","next":"15.2.4"}}"#;

pub struct TestClient {
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages received and not consumed yet, in arrival order.
    inbox: Vec<Value>,
    /// Every `textDocument/publishDiagnostics` ever received, in arrival order.
    pub published: Vec<Value>,
    next_id: i64,
    pub server: Option<JoinHandle<i32>>,
    /// What the client answers to `workspace/configuration` (one item).
    pub configuration: Arc<Mutex<Value>>,
}

impl TestClient {
    pub fn start() -> Self {
        let (client_side, server_side) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_side);
        let options = ServerOptions { log_level: Some(LogLevel::from_env().unwrap_or(LogLevel::Error)) };
        let server = tokio::spawn(clerkguard_lsp::serve(server_read, server_write, options));
        let (client_read, client_write) = tokio::io::split(client_side);
        let writer = Arc::new(tokio::sync::Mutex::new(client_write));
        let (tx, incoming) = mpsc::unbounded_channel();
        let configuration = Arc::new(Mutex::new(Value::Null));
        tokio::spawn(read_loop(BufReader::new(client_read), tx, writer.clone(), configuration.clone()));
        Self {
            writer,
            incoming,
            inbox: Vec::new(),
            published: Vec::new(),
            next_id: 1,
            server: Some(server),
            configuration,
        }
    }

    pub async fn send_raw(&self, body: &str) {
        write_frame(&self.writer, body).await;
    }

    /// Writes bytes as they are, without framing.
    pub async fn send_unframed(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().await;
        let _ = writer.write_all(bytes).await;
        let _ = writer.flush().await;
    }

    pub async fn notify(&self, method: &str, params: Value) {
        self.send_raw(&json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string()).await;
    }

    /// Sends a request and waits for its response (the whole response object).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send_raw(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string()).await;
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none()).await
    }

    /// Waits for a message matching `pred` (looking at unconsumed messages first) and takes it.
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(TIMEOUT, pred).await.expect("timed out waiting for a message")
    }

    pub async fn try_wait_for(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return Some(self.inbox.remove(i));
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let message = tokio::time::timeout_at(deadline, self.incoming.recv()).await.ok()??;
            self.note(&message);
            if pred(&message) {
                return Some(message);
            }
            self.inbox.push(message);
        }
    }

    /// Receives whatever arrives within `duration`.
    pub async fn collect_for(&mut self, duration: Duration) {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.incoming.recv()).await {
            self.note(&message);
            self.inbox.push(message);
        }
    }

    fn note(&mut self, message: &Value) {
        if message["method"] == "textDocument/publishDiagnostics" {
            self.published.push(message["params"].clone());
        }
    }

    /// Waits for a publishDiagnostics for `uri` whose params satisfy `pred`; returns the params.
    pub async fn diagnostics_where(&mut self, uri: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let message = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && pred(&m["params"])
            })
            .await;
        message["params"].clone()
    }

    /// The next publishDiagnostics for `uri` with exactly this version.
    pub async fn diagnostics_for_version(&mut self, uri: &str, version: i64) -> Value {
        self.diagnostics_where(uri, |p| p["version"] == version).await
    }

    pub async fn initialize(&mut self, root: Option<&Path>, capabilities: Value, options: Value) -> Value {
        let folders = root.map(|r| json!([{ "uri": file_uri(r), "name": "root" }])).unwrap_or(Value::Null);
        let response = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root.map(file_uri),
                    "capabilities": capabilities,
                    "initializationOptions": options,
                    "workspaceFolders": folders,
                }),
            )
            .await;
        assert!(response.get("result").is_some(), "initialize failed: {response}");
        self.notify("initialized", json!({})).await;
        response["result"].clone()
    }

    pub async fn open(&self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language_id, "version": version, "text": text } }),
        )
        .await;
    }

    pub async fn change(&self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }

    /// Sends shutdown then exit and returns the server's exit code.
    pub async fn shutdown_and_exit(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null).await;
        assert!(response.get("error").is_none(), "shutdown failed: {response}");
        self.notify("exit", Value::Null).await;
        self.exit_code().await
    }

    pub async fn exit_code(&mut self) -> i32 {
        let server = self.server.take().expect("server already awaited");
        tokio::time::timeout(TIMEOUT, server).await.expect("server did not exit").expect("server task panicked")
    }
}

async fn write_frame(writer: &tokio::sync::Mutex<WriteHalf<DuplexStream>>, body: &str) {
    let mut writer = writer.lock().await;
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    // The server may have exited already; tests assert on what they receive instead.
    let _ = writer.write_all(frame.as_bytes()).await;
    let _ = writer.flush().await;
}

async fn read_loop(
    mut reader: BufReader<tokio::io::ReadHalf<DuplexStream>>,
    tx: mpsc::UnboundedSender<Value>,
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    configuration: Arc<Mutex<Value>>,
) {
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length:") {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else { return };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let Ok(message) = serde_json::from_slice::<Value>(&body) else { return };
        if let (Some(id), Some(method)) = (message.get("id"), message.get("method").and_then(Value::as_str)) {
            let result = match method {
                "workspace/configuration" => json!([configuration.lock().unwrap().clone()]),
                "workspace/applyEdit" => json!({ "applied": true }),
                _ => Value::Null,
            };
            let response = json!({ "jsonrpc": "2.0", "id": id, "result": result });
            write_frame(&writer, &response.to_string()).await;
        }
        if tx.send(message).is_err() {
            return;
        }
    }
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A temporary Next.js + Clerk project with the given files (relative path, content).
pub fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("package.json"), PACKAGE_JSON).unwrap();
    for (rel, content) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    (dir, root)
}

/// Client capabilities: `encoding` offered first, plus the usual extras.
pub fn capabilities(utf8: bool) -> Value {
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    json!({
        "general": { "positionEncodings": encodings },
        "window": { "workDoneProgress": true },
        "workspace": {
            "configuration": false,
            "workspaceEdit": { "documentChanges": true },
            "didChangeWatchedFiles": { "dynamicRegistration": true }
        },
        "textDocument": { "publishDiagnostics": { "relatedInformation": true } }
    })
}

/// The rule ids of a publishDiagnostics params object.
pub fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// Byte offset of an LSP position in `text` (`utf8` columns or UTF-16 columns).
pub fn offset_of(text: &str, position: &Value, utf8: bool) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').map(|i| i + 1).unwrap_or(text.len() - start);
    }
    let line_text = &text[start..start + text[start..].find('\n').unwrap_or(text.len() - start)];
    let mut units = 0;
    for (i, ch) in line_text.char_indices() {
        if units >= character {
            return start + i;
        }
        units += if utf8 { ch.len_utf8() } else { ch.len_utf16() };
    }
    start + line_text.len()
}

/// Applies LSP text edits (all for `text`) and returns the new text.
pub fn apply_text_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"], utf8),
                offset_of(text, &e["range"]["end"], utf8),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|(s, e, _)| (*s, *e));
    let mut out = String::new();
    let mut cursor = 0;
    for (s, e, new) in spans {
        out.push_str(&text[cursor..s]);
        out.push_str(&new);
        cursor = e;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The text edits of a WorkspaceEdit for `uri`, in either form.
pub fn edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes
            .iter()
            .filter(|c| c["textDocument"]["uri"] == uri)
            .flat_map(|c| c["edits"].as_array().cloned().unwrap_or_default())
            .collect();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// A full-document replacement change.
pub fn full_change(text: &str) -> Value {
    json!([{ "text": text }])
}

pub fn range(sl: u32, sc: u32, el: u32, ec: u32) -> Value {
    json!({ "start": { "line": sl, "character": sc }, "end": { "line": el, "character": ec } })
}

//! A minimal blocking LSP client over a child process's stdio: framing, requests, and automatic
//! replies to the server's own requests. Just enough for the latency harness.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A message from the server and when it arrived.
pub struct Incoming {
    pub at: Instant,
    pub msg: Value,
}

pub struct LspProcess {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Incoming>,
    next_id: i64,
}

impl LspProcess {
    /// Starts `command` (split on whitespace) with stdio piped; stderr is discarded.
    pub fn spawn(command: &str) -> std::io::Result<Self> {
        let mut parts = command.split_whitespace();
        let program = parts.next().ok_or_else(|| std::io::Error::other("empty server command"))?;
        let mut child = Command::new(program)
            .args(parts)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some((at, msg)) = read_frame(&mut reader) {
                if tx.send(Incoming { at, msg }).is_err() {
                    break;
                }
            }
        });
        Ok(Self { child, stdin, rx, next_id: 1 })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        // One write per message, as editors send them (`write!` on the unbuffered pipe made
        // four: the server woke for the header's first words and waited for the rest).
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        // A server that died shows up as a timeout on the next wait.
        let _ = self.stdin.write_all(frame.as_bytes());
        let _ = self.stdin.flush();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    pub fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// The next message from the server, answering its requests on the way (they are returned
    /// too). `None` after `timeout` or when the server closed its output.
    pub fn recv(&mut self, timeout: Duration) -> Option<Incoming> {
        match self.rx.recv_timeout(timeout) {
            Ok(incoming) => {
                self.answer_server_request(&incoming.msg);
                Some(incoming)
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for the response to request `id`, handing every other message to `other`.
    pub fn wait_response(&mut self, id: i64, timeout: Duration, mut other: impl FnMut(&Incoming)) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let incoming = self.recv(left)?;
            if incoming.msg.get("id").and_then(Value::as_i64) == Some(id) && incoming.msg.get("method").is_none() {
                return Some(incoming.msg);
            }
            other(&incoming);
        }
        None
    }

    fn answer_server_request(&mut self, msg: &Value) {
        let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str)) else { return };
        let result = match method {
            "workspace/configuration" => {
                let n = msg.pointer("/params/items").and_then(Value::as_array).map_or(1, Vec::len);
                Value::Array(vec![Value::Null; n])
            }
            _ => Value::Null,
        };
        let reply = json!({ "jsonrpc": "2.0", "id": id.clone(), "result": result });
        self.send(&reply);
    }

    /// Peak and current resident set size in kB, from /proc (Linux).
    pub fn memory_kb(&self) -> (Option<u64>, Option<u64>) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    /// `shutdown` then `exit`; kills the server if it does not exit within a few seconds.
    pub fn shutdown(mut self) {
        let id = self.request("shutdown", Value::Null);
        let _ = self.wait_response(id, Duration::from_secs(10), |_| {});
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next message, and when its last byte arrived (before it is parsed: how long a client
/// takes to parse it depends on the client, not on the server).
fn read_frame(reader: &mut impl BufRead) -> Option<(Instant, Value)> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    let at = Instant::now();
    serde_json::from_slice(&body).ok().map(|msg| (at, msg))
}

/// `file://` URI of an absolute path (ASCII paths, as the generated apps have).
pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

//! Input framing that survives malformed messages.
//!
//! tower-lsp-server 0.23 reads stdin through tokio-util's `FramedRead`, which ends the stream
//! after the first decode error: one invalid JSON body or bad `Content-Length` header would
//! stop the server. So the server reads the frames itself first and passes only well-formed
//! JSON-RPC messages on. A malformed message becomes a request to [`INVALID_MESSAGE_METHOD`]
//! (with the original id when it had a usable one, else `null`), which the server answers
//! with the JSON-RPC error (-32700 parse error or -32600 invalid request), as the
//! specification asks.

use std::io::Read;

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::runtime::Handle;

use crate::stdio::{self, Blocking};

/// The internal method a malformed message is turned into.
pub const INVALID_MESSAGE_METHOD: &str = "clerkguard/invalidMessage";
/// Bodies larger than this are refused (and skipped).
const MAX_BODY_BYTES: usize = 512 * 1024 * 1024;
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// The parameters of an [`INVALID_MESSAGE_METHOD`] request.
#[derive(Debug, Deserialize)]
pub struct InvalidMessage {
    pub code: i64,
    pub message: String,
}

/// What to do with one incoming frame.
#[derive(Debug, PartialEq)]
enum Verdict {
    Pass,
    /// Answer with this error code, under this id.
    Reject {
        code: i64,
        id: Value,
        reason: String,
    },
    /// An invalid response from the client: nothing to answer.
    Drop,
}

/// Starts forwarding well-formed frames from `input` in a task; returns the stream to serve
/// from.
pub fn sanitized<I>(input: I) -> DuplexStream
where
    I: AsyncRead + Unpin + Send + 'static,
{
    let (reader, writer) = pipe();
    tokio::spawn(forward(BufReader::new(input), writer));
    reader
}

/// Starts forwarding well-formed frames from the blocking reader `input`, on a thread of its
/// own (see `stdio.rs`); returns the stream to serve from.
pub fn sanitized_on_thread<R>(input: R, handle: Handle) -> std::io::Result<DuplexStream>
where
    R: Read + Unpin + Send + 'static,
{
    let (reader, writer) = pipe();
    stdio::on_thread("clerkguard-stdin", handle, forward(BufReader::new(Blocking(input)), writer))?;
    Ok(reader)
}

fn pipe() -> (DuplexStream, DuplexStream) {
    tokio::io::duplex(1 << 20)
}

async fn forward<I: AsyncRead + Unpin>(mut input: BufReader<I>, mut out: DuplexStream) {
    loop {
        let length = match read_headers(&mut input).await {
            None => return, // end of input
            Some(length) => length,
        };
        let verdict = match length {
            Some(n) if n <= MAX_BODY_BYTES => {
                let mut body = vec![0; n];
                if input.read_exact(&mut body).await.is_err() {
                    return;
                }
                match classify(&body) {
                    Verdict::Pass => {
                        if write_frame(&mut out, &body).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    other => other,
                }
            }
            Some(n) => Verdict::Reject {
                code: INVALID_REQUEST,
                id: Value::Null,
                reason: format!("message of {n} bytes is too large"),
            },
            None => Verdict::Reject {
                code: PARSE_ERROR,
                id: Value::Null,
                reason: "missing or invalid Content-Length header".to_string(),
            },
        };
        if let Verdict::Reject { code, id, reason } = verdict {
            let request = json!({
                "jsonrpc": "2.0",
                "id": id,
                "method": INVALID_MESSAGE_METHOD,
                "params": { "code": code, "message": reason },
            });
            if write_frame(&mut out, request.to_string().as_bytes()).await.is_err() {
                return;
            }
        }
    }
}

/// Reads one header block. `None` at the end of input; `Some(None)` when the block has no
/// usable `Content-Length`. A `Content-Length:` anywhere in a line counts, so the reader
/// resynchronises after garbage.
async fn read_headers<I: AsyncRead + Unpin>(input: &mut BufReader<I>) -> Option<Option<usize>> {
    let mut length: Option<Option<usize>> = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        match input.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if seen_header {
                return Some(length.flatten());
            }
            continue;
        }
        seen_header = true;
        let lower = line.to_ascii_lowercase();
        if let Some(at) = lower.rfind("content-length:") {
            length = Some(line[at + "content-length:".len()..].trim().parse().ok());
        }
    }
}

async fn write_frame(out: &mut DuplexStream, body: &[u8]) -> std::io::Result<()> {
    out.write_all(&crate::output::frame(body)).await?;
    out.flush().await
}

fn classify(body: &[u8]) -> Verdict {
    let reject = |code, id: Value, reason: &str| Verdict::Reject { code, id, reason: reason.to_string() };
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return reject(PARSE_ERROR, Value::Null, "the message is not valid JSON");
    };
    let Some(object) = value.as_object() else {
        return reject(INVALID_REQUEST, Value::Null, "the message is not a JSON object");
    };
    let id = object.get("id");
    let id_ok = id.is_none_or(|id| id.is_null() || id.is_string() || id.as_i64().is_some());
    let usable_id = id.filter(|_| id_ok).cloned().unwrap_or(Value::Null);
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return reject(INVALID_REQUEST, usable_id, "`jsonrpc` must be \"2.0\"");
    }
    if !id_ok {
        return reject(INVALID_REQUEST, Value::Null, "`id` must be an integer, a string or null");
    }
    match object.get("method") {
        Some(Value::String(_)) => Verdict::Pass,
        Some(_) => reject(INVALID_REQUEST, usable_id, "`method` must be a string"),
        None if object.contains_key("result") || object.contains_key("error") => {
            let error_ok = object.get("error").is_none_or(|e| {
                e.get("code").and_then(Value::as_i64).is_some() && e.get("message").is_some_and(Value::is_string)
            });
            if id.is_some() && error_ok { Verdict::Pass } else { Verdict::Drop }
        }
        None => reject(INVALID_REQUEST, usable_id, "the message has no `method`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_messages() {
        assert_eq!(classify(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#), Verdict::Pass);
        assert_eq!(classify(br#"{"jsonrpc":"2.0","id":1,"result":null}"#), Verdict::Pass);
        assert!(matches!(classify(b"{ nope"), Verdict::Reject { code: PARSE_ERROR, .. }));
        assert!(matches!(classify(&[0xff, 0xfe]), Verdict::Reject { code: PARSE_ERROR, .. }));
        assert!(matches!(
            classify(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#),
            Verdict::Reject { code: INVALID_REQUEST, id: Value::Number(_), .. }
        ));
        assert!(matches!(classify(br#"[1,2]"#), Verdict::Reject { code: INVALID_REQUEST, .. }));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            Verdict::Reject { id: Value::Null, .. }
        ));
        assert_eq!(classify(br#"{"jsonrpc":"2.0","error":{"code":"x"},"id":1}"#), Verdict::Drop);
    }

    #[tokio::test]
    async fn resynchronises_after_bad_headers() {
        let body = r#"{"jsonrpc":"2.0","method":"ok","x":1}"#;
        let input =
            format!("Content-Length: nope\r\n\r\n{{}}Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
        let mut out = sanitized(std::io::Cursor::new(input));
        let mut all = String::new();
        out.read_to_string(&mut all).await.unwrap();
        assert!(all.contains(INVALID_MESSAGE_METHOD), "{all}");
        assert!(all.ends_with(r#"{"jsonrpc":"2.0","method":"ok","x":1}"#), "{all}");
    }
}

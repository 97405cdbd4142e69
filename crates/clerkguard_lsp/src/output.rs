//! Output framing with a second, direct way in.
//!
//! tower-lsp-server serialises every message it sends through a `serde_json::Value`: a publish
//! of 125 diagnostics is built as ~3,000 small maps and strings, then written out and freed.
//! The publisher serialises its notifications itself, straight from the typed parameters
//! (see `publish.rs`), and needs a way to the client that keeps whole frames whole.
//!
//! So the server does not write to the client's stream directly. [`channel`] gives it a
//! [`FrameSplitter`], which cuts what tower writes into complete frames, and gives the
//! publisher an [`Outgoing`] handle. Both feed one queue, in the order frames were completed,
//! and [`write_frames`] is the only writer of the real output.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

const HEADER_END: &[u8] = b"\r\n\r\n";

/// The queue of complete frames, its two ways in, and the receiving end for [`write_frames`].
pub fn channel() -> (FrameSplitter, Outgoing, UnboundedReceiver<Vec<u8>>) {
    let (tx, rx) = unbounded_channel();
    (FrameSplitter { pending: Vec::new(), frames: tx.clone() }, Outgoing { frames: tx }, rx)
}

/// Sends notifications serialised directly from their parameters.
#[derive(Clone, Debug)]
pub struct Outgoing {
    frames: UnboundedSender<Vec<u8>>,
}

#[derive(Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a P,
}

impl Outgoing {
    /// Queues the notification `method` with `params`. Returns false when it cannot be
    /// serialised or the output is gone.
    pub fn notify<P: Serialize>(&self, method: &str, params: &P) -> bool {
        let body = match serde_json::to_vec(&Notification { jsonrpc: "2.0", method, params }) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!("cannot serialise a `{method}` notification: {e}");
                return false;
            }
        };
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.frames.send(frame).is_ok()
    }
}

/// What tower-lsp-server writes to: passes each complete `Content-Length` frame on as one
/// piece. Bytes that do not start a well-formed header are passed on as they are.
#[derive(Debug)]
pub struct FrameSplitter {
    pending: Vec<u8>,
    frames: UnboundedSender<Vec<u8>>,
}

impl FrameSplitter {
    fn pass_complete_frames(&mut self) {
        while let Some(length) = frame_length(&self.pending) {
            let Some(length) = length else {
                // Not a frame header: nothing to keep whole.
                let bytes = std::mem::take(&mut self.pending);
                let _ = self.frames.send(bytes);
                return;
            };
            if self.pending.len() < length {
                return;
            }
            let rest = self.pending.split_off(length);
            let frame = std::mem::replace(&mut self.pending, rest);
            let _ = self.frames.send(frame);
        }
    }
}

/// The whole length of the frame at the start of `bytes`: `None` while its header is not
/// complete, `Some(None)` when the header has no usable `Content-Length`.
fn frame_length(bytes: &[u8]) -> Option<Option<usize>> {
    if bytes.is_empty() {
        return None;
    }
    let Some(end) = bytes.windows(HEADER_END.len()).position(|w| w == HEADER_END) else {
        // A header is short; a long run without its end is not one.
        return if bytes.len() > 1024 { Some(None) } else { None };
    };
    let header = std::str::from_utf8(&bytes[..end]).ok();
    let body = header.and_then(|header| {
        header.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
        })
    });
    Some(body.map(|body| end + HEADER_END.len() + body))
}

impl AsyncWrite for FrameSplitter {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.frames.is_closed() {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::BrokenPipe, "the output writer stopped")));
        }
        this.pending.extend_from_slice(buf);
        this.pass_complete_frames();
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Writes queued frames to `output`, flushing whenever the queue is empty, until `stop` fires
/// (then it writes what is queued and returns) or every sender is gone. When writing fails it
/// closes the queue, so senders see the output is gone. It only stops between frames.
pub async fn write_frames<O: AsyncWrite + Unpin>(
    frames: &mut UnboundedReceiver<Vec<u8>>,
    output: &mut O,
    mut stop: oneshot::Receiver<()>,
) {
    let mut stopping = false;
    loop {
        let frame = if stopping {
            frames.try_recv().ok()
        } else {
            tokio::select! {
                biased;
                frame = frames.recv() => frame,
                _ = &mut stop => {
                    stopping = true;
                    continue;
                }
            }
        };
        let Some(frame) = frame else { break };
        let mut written = output.write_all(&frame).await;
        while let (Ok(()), Ok(frame)) = (&written, frames.try_recv()) {
            written = output.write_all(&frame).await;
        }
        if written.is_err() || output.flush().await.is_err() {
            frames.close();
            return;
        }
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn received(rx: &mut UnboundedReceiver<Vec<u8>>) -> Vec<String> {
        std::iter::from_fn(|| rx.try_recv().ok()).map(|f| String::from_utf8(f).unwrap()).collect()
    }

    #[tokio::test]
    async fn splits_writes_into_whole_frames() {
        let (mut splitter, _outgoing, mut rx) = channel();
        let mut bytes = frame(r#"{"a":1}"#);
        bytes.extend(frame(r#"{"b":"é"}"#));
        bytes.extend(frame("{}"));
        // Any cut of the stream gives the same frames.
        for cut in 0..bytes.len() {
            splitter.write_all(&bytes[..cut]).await.unwrap();
            splitter.write_all(&bytes[cut..]).await.unwrap();
            let frames = received(&mut rx);
            assert_eq!(
                frames,
                [
                    "Content-Length: 7\r\n\r\n{\"a\":1}",
                    "Content-Length: 10\r\n\r\n{\"b\":\"é\"}",
                    "Content-Length: 2\r\n\r\n{}"
                ],
                "cut at {cut}"
            );
        }
    }

    #[tokio::test]
    async fn passes_on_what_is_not_a_frame() {
        let (mut splitter, _outgoing, mut rx) = channel();
        splitter.write_all(b"Content-Type: x\r\n\r\n{}").await.unwrap();
        assert_eq!(received(&mut rx), ["Content-Type: x\r\n\r\n{}"]);
    }

    #[tokio::test]
    async fn direct_notifications_and_frames_share_one_order() {
        let (mut splitter, outgoing, mut rx) = channel();
        splitter.write_all(&frame(r#"{"first":1}"#)).await.unwrap();
        assert!(outgoing.notify("test/second", &serde_json::json!({ "n": 2 })));
        splitter.write_all(&frame(r#"{"third":3}"#)).await.unwrap();
        let mut out = Vec::new();
        let (stop, stopped) = oneshot::channel();
        stop.send(()).unwrap();
        write_frames(&mut rx, &mut out, stopped).await;
        let out = String::from_utf8(out).unwrap();
        let second = r#"{"jsonrpc":"2.0","method":"test/second","params":{"n":2}}"#;
        assert_eq!(
            out,
            format!(
                "Content-Length: 11\r\n\r\n{{\"first\":1}}Content-Length: {}\r\n\r\n{second}Content-Length: 11\r\n\r\n{{\"third\":3}}",
                second.len()
            )
        );
    }
}

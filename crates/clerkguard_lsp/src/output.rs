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

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use serde::Serialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, oneshot};

const HEADER_END: &[u8] = b"\r\n\r\n";

/// The queue of complete frames, its two ways in, and the receiving end for [`write_frames`].
pub fn channel() -> (FrameSplitter, Outgoing, FrameQueue) {
    let queue = FrameQueue { shared: Arc::default() };
    (FrameSplitter { pending: Vec::new(), queue: queue.clone() }, Outgoing { queue: queue.clone() }, queue)
}

/// Frames waiting for the writer. A frame queued with a key replaces a waiting frame with the
/// same key where it waits: a client that reads slowly (or not at all) gets the latest
/// diagnostics of each document, and the queue holds at most one publish per document however
/// many edits arrive meanwhile. Frames without a key (tower's responses and messages) are all
/// kept; there is one per request the client sent, or per message the server logs.
#[derive(Clone, Debug)]
pub struct FrameQueue {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<QueueState>,
    ready: Notify,
}

#[derive(Debug, Default)]
struct QueueState {
    frames: VecDeque<(Option<String>, Vec<u8>)>,
    /// The writer stopped (the output failed): nothing more is accepted.
    closed: bool,
}

impl FrameQueue {
    fn state(&self) -> MutexGuard<'_, QueueState> {
        // A panic while the lock was held leaves whole frames behind: the queue stays usable.
        self.shared.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `frame` (replacing a waiting frame with the same `key`). False when the writer
    /// has stopped.
    fn push(&self, key: Option<String>, frame: Vec<u8>) -> bool {
        let mut state = self.state();
        if state.closed {
            return false;
        }
        let waiting = key.as_ref().and_then(|key| state.frames.iter_mut().find(|(k, _)| k.as_ref() == Some(key)));
        match waiting {
            Some((_, bytes)) => *bytes = frame,
            None => state.frames.push_back((key, frame)),
        }
        drop(state);
        self.shared.ready.notify_one();
        true
    }

    fn pop(&self) -> Option<Vec<u8>> {
        self.state().frames.pop_front().map(|(_, frame)| frame)
    }

    fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        state.frames.clear();
    }

    fn is_closed(&self) -> bool {
        self.state().closed
    }

    /// How many frames wait.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.state().frames.len()
    }
}

/// Sends notifications serialised directly from their parameters.
#[derive(Clone, Debug)]
pub struct Outgoing {
    queue: FrameQueue,
}

#[derive(Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a P,
}

impl Outgoing {
    /// Queues `frame` (from [`notification_frame`]). With a `replaces` key, it takes the place
    /// of a frame with that key still waiting to be written (a newer publish of the same
    /// document). Returns false when the output is gone.
    pub fn send_frame(&self, frame: Vec<u8>, replaces: Option<String>) -> bool {
        self.queue.push(replaces, frame)
    }
}

/// The frame of the notification `method` with `params`; `None` (logged) when it cannot be
/// serialised.
pub fn notification_frame<P: Serialize>(method: &str, params: &P) -> Option<Vec<u8>> {
    match serde_json::to_vec(&Notification { jsonrpc: "2.0", method, params }) {
        Ok(body) => Some(frame(&body)),
        Err(e) => {
            tracing::error!("cannot serialise a `{method}` notification: {e}");
            None
        }
    }
}

/// `body` as one LSP frame: its `Content-Length` header, then the body.
pub(crate) fn frame(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// What tower-lsp-server writes to: passes each complete `Content-Length` frame on as one
/// piece. Bytes that do not start a well-formed header are passed on as they are.
#[derive(Debug)]
pub struct FrameSplitter {
    pending: Vec<u8>,
    queue: FrameQueue,
}

impl FrameSplitter {
    fn pass_complete_frames(&mut self) {
        while let Some(length) = frame_length(&self.pending) {
            let Some(length) = length else {
                // Not a frame header: nothing to keep whole.
                let bytes = std::mem::take(&mut self.pending);
                self.queue.push(None, bytes);
                return;
            };
            if self.pending.len() < length {
                return;
            }
            let rest = self.pending.split_off(length);
            let frame = std::mem::replace(&mut self.pending, rest);
            self.queue.push(None, frame);
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
        if this.queue.is_closed() {
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
/// (then it writes what is queued and returns). When writing fails it closes the queue, so
/// senders see the output is gone. It only stops between frames.
pub async fn write_frames<O: AsyncWrite + Unpin>(queue: &FrameQueue, output: &mut O, mut stop: oneshot::Receiver<()>) {
    let mut stopping = false;
    loop {
        if let Some(frame) = queue.pop() {
            if output.write_all(&frame).await.is_err() {
                queue.close();
                return;
            }
            continue;
        }
        if output.flush().await.is_err() {
            queue.close();
            return;
        }
        if stopping {
            return;
        }
        // A frame queued after the `pop` above left a permit: `notified` returns at once.
        tokio::select! {
            biased;
            _ = queue.shared.ready.notified() => {}
            _ = &mut stop => stopping = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        super::frame(body.as_bytes())
    }

    impl Outgoing {
        fn notify<P: Serialize>(&self, method: &str, params: &P, replaces: Option<String>) -> bool {
            self.send_frame(notification_frame(method, params).unwrap(), replaces)
        }
    }

    fn received(queue: &FrameQueue) -> Vec<String> {
        std::iter::from_fn(|| queue.pop()).map(|f| String::from_utf8(f).unwrap()).collect()
    }

    #[tokio::test]
    async fn splits_writes_into_whole_frames() {
        let (mut splitter, _outgoing, queue) = channel();
        let mut bytes = frame(r#"{"a":1}"#);
        bytes.extend(frame(r#"{"b":"é"}"#));
        bytes.extend(frame("{}"));
        // Any cut of the stream gives the same frames.
        for cut in 0..bytes.len() {
            splitter.write_all(&bytes[..cut]).await.unwrap();
            splitter.write_all(&bytes[cut..]).await.unwrap();
            let frames = received(&queue);
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
        let (mut splitter, _outgoing, queue) = channel();
        splitter.write_all(b"Content-Type: x\r\n\r\n{}").await.unwrap();
        assert_eq!(received(&queue), ["Content-Type: x\r\n\r\n{}"]);
    }

    #[tokio::test]
    async fn direct_notifications_and_frames_share_one_order() {
        let (mut splitter, outgoing, queue) = channel();
        splitter.write_all(&frame(r#"{"first":1}"#)).await.unwrap();
        assert!(outgoing.notify("test/second", &serde_json::json!({ "n": 2 }), None));
        splitter.write_all(&frame(r#"{"third":3}"#)).await.unwrap();
        let mut out = Vec::new();
        let (stop, stopped) = oneshot::channel();
        stop.send(()).unwrap();
        write_frames(&queue, &mut out, stopped).await;
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

    #[tokio::test]
    async fn a_keyed_notification_replaces_the_waiting_one_in_its_place() {
        let (mut splitter, outgoing, queue) = channel();
        assert!(outgoing.notify("publish", &"a1", Some("a".into())));
        splitter.write_all(&frame(r#"{"response":1}"#)).await.unwrap();
        assert!(outgoing.notify("publish", &"b1", Some("b".into())));
        assert!(outgoing.notify("publish", &"a2", Some("a".into())));
        assert!(outgoing.notify("log", &"x", None));
        assert!(outgoing.notify("log", &"x", None));
        let bodies: Vec<String> =
            received(&queue).iter().map(|f| f.split_once("\r\n\r\n").unwrap().1.to_string()).collect();
        assert_eq!(
            bodies,
            [
                r#"{"jsonrpc":"2.0","method":"publish","params":"a2"}"#,
                r#"{"response":1}"#,
                r#"{"jsonrpc":"2.0","method":"publish","params":"b1"}"#,
                r#"{"jsonrpc":"2.0","method":"log","params":"x"}"#,
                r#"{"jsonrpc":"2.0","method":"log","params":"x"}"#,
            ]
        );
    }

    #[tokio::test]
    async fn a_client_that_stops_reading_holds_one_publish_per_document() {
        let (_splitter, outgoing, queue) = channel();
        // The client's end is never read: the writer blocks once the pipe's buffer is full.
        let (mut server_end, _client_end) = tokio::io::duplex(256);
        let (stop, stopped) = oneshot::channel();
        let writer_queue = queue.clone();
        let writer = tokio::spawn(async move { write_frames(&writer_queue, &mut server_end, stopped).await });
        for n in 0..2_000 {
            let uri = format!("file:///doc{}.ts", n % 3);
            assert!(outgoing.notify("textDocument/publishDiagnostics", &n, Some(uri)));
            tokio::task::yield_now().await;
        }
        assert!(queue.len() <= 3, "{} frames wait", queue.len());
        drop(stop);
        writer.abort();
    }

    #[tokio::test]
    async fn senders_see_a_failed_output() {
        let (mut splitter, outgoing, queue) = channel();
        let (mut server_end, client_end) = tokio::io::duplex(64);
        drop(client_end);
        assert!(outgoing.notify("first", &1, None));
        let (_stop, stopped) = oneshot::channel();
        write_frames(&queue, &mut server_end, stopped).await;
        assert!(!outgoing.notify("second", &2, None));
        assert!(splitter.write_all(&frame("{}")).await.is_err());
    }
}

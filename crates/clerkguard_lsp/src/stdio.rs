//! Stdin and stdout on threads of their own.
//!
//! tokio's `stdin()` and `stdout()` hand every read and every write to its blocking pool, so a
//! keystroke's message and its diagnostics each cross one more thread than they need. Measured
//! on the latency harness's 3,000-line file: ~0.4 ms of a ~2.4 ms keystroke passed between the
//! publish being queued and its bytes being written.
//!
//! The stdio server reads and writes with plain blocking calls instead, each on a thread of its
//! own, running the same async framing code the in-process server runs (`transport::forward`,
//! `output::write_frames`) through [`Blocking`].

use std::io::{self, Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::runtime::Handle;

/// A blocking reader or writer seen as an async one: each poll does the blocking call and is
/// ready when it returns. Only for a thread that does nothing else (never a runtime worker).
pub struct Blocking<T>(pub T);

impl<R: Read + Unpin> AsyncRead for Blocking<R> {
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let reader = &mut self.get_mut().0;
        let read = loop {
            match reader.read(buf.initialize_unfilled()) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        Poll::Ready(read.map(|n| buf.advance(n)))
    }
}

impl<W: Write + Unpin> AsyncWrite for Blocking<W> {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().0.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Runs `task` to completion on a new thread named `name`, within the runtime of `handle`.
pub fn on_thread<F>(name: &str, handle: Handle, task: F) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    std::thread::Builder::new().name(name.to_string()).spawn(move || handle.block_on(task)).map(|_| ())
}

/// The process's standard output, written without a line buffer: a frame's header ends in a
/// newline, and `std::io::Stdout` would write the header and the body in two calls.
pub fn raw_stdout() -> Box<dyn Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(io::stdout())
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn blocking_io_reads_and_writes_through() {
        let mut reader = Blocking(io::Cursor::new(b"hello".to_vec()));
        let mut read = String::new();
        reader.read_to_string(&mut read).await.unwrap();
        assert_eq!(read, "hello");
        let mut writer = Blocking(Vec::new());
        writer.write_all(b"frame").await.unwrap();
        writer.flush().await.unwrap();
        assert_eq!(writer.0, b"frame");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_task_on_a_thread_runs_to_completion() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        on_thread("test", Handle::current(), async move {
            tx.send(std::thread::current().name().map(str::to_owned)).unwrap()
        })
        .unwrap();
        assert_eq!(rx.await.unwrap().as_deref(), Some("test"));
    }
}

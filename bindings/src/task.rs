//! Blocking core calls behind a future, for the `async` methods (Kotlin `suspend`, Swift `async`,
//! Python coroutines).
//!
//! The core is synchronous (SQLite, blocking HTTP). An async method runs its core call on a thread
//! of its own and the returned future waits for the result, so it needs no async runtime and
//! never blocks the caller's executor. Dropping the future before it finishes — uniffi drops it
//! when the Kotlin coroutine or the Python task is cancelled — raises the call's cancellation
//! flag. (uniffi 0.32's Swift runtime never drops a future early: Swift calls
//! `FieldProfile::cancel_sync`, which raises the same flag.) The core checks the flag between steps and then gives every record
//! still in flight back to the queue (see `gocua_core::Store::sync_once`), so nothing is lost.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::error::FieldKitError;

struct Slot<T> {
    result: Option<T>,
    waker: Option<Waker>,
}

/// The future of one blocking call on its own thread; see the module documentation.
pub(crate) struct Blocking<T> {
    slot: Arc<Mutex<Slot<T>>>,
    cancel: Arc<AtomicBool>,
    finished: bool,
}

/// Starts `work` on a new thread named `name`; `work` gets the cancellation flag, raised when the
/// returned future is dropped before it finishes.
pub(crate) fn spawn<T, F>(name: &str, work: F) -> Blocking<Result<T, FieldKitError>>
where
    T: Send + 'static,
    F: FnOnce(&AtomicBool) -> Result<T, FieldKitError> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let cancel = Arc::new(AtomicBool::new(false));
    let (thread_slot, thread_cancel) = (slot.clone(), cancel.clone());
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let result = work(&thread_cancel);
            let waker = {
                let mut s = thread_slot.lock().unwrap_or_else(|e| e.into_inner());
                s.result = Some(result);
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        });
    if let Err(e) = spawned {
        slot.lock().unwrap_or_else(|e| e.into_inner()).result = Some(Err(FieldKitError::internal(
            format!("cannot start a thread: {e}"),
        )));
    }
    Blocking {
        slot,
        cancel,
        finished: false,
    }
}

impl<T> Blocking<T> {
    /// The call's cancellation flag, for cancelling it without dropping the future (Swift's
    /// `Task` cancellation does not reach Rust in uniffi 0.32; see `FieldProfile::cancel_sync`).
    pub(crate) fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }
}

impl<T> Future for Blocking<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let taken = {
            let mut s = self.slot.lock().unwrap_or_else(|e| e.into_inner());
            match s.result.take() {
                Some(r) => Some(r),
                None => {
                    s.waker = Some(cx.waker().clone());
                    None
                }
            }
        };
        match taken {
            Some(r) => {
                self.finished = true;
                Poll::Ready(r)
            }
            None => Poll::Pending,
        }
    }
}

impl<T> Drop for Blocking<T> {
    fn drop(&mut self) {
        if !self.finished {
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::task::Wake;
    use std::time::Duration;

    struct Flag(AtomicBool);
    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(flag.clone());
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            while !flag.0.swap(false, Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    #[test]
    fn the_result_of_the_thread_is_the_output() {
        let out = block_on(spawn("test", |_| Ok(6 * 7)));
        assert_eq!(out.unwrap(), 42);
    }

    #[test]
    fn dropping_the_future_raises_the_flag_the_work_sees() {
        let (tx, rx) = mpsc::channel();
        let (started_tx, started_rx) = mpsc::channel();
        let fut = spawn("test", move |cancel| {
            started_tx.send(()).unwrap();
            while !cancel.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            tx.send("saw the flag").unwrap();
            Ok(())
        });
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        drop(fut);
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)).unwrap(),
            "saw the flag"
        );
    }
}

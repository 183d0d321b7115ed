//! A TCP proxy on 127.0.0.1 that cuts connections: for each new connection a plan says whether to
//! pass it untouched or to cut it after a number of bytes in one direction (the request cut
//! mid-way, or the answer lost after the server did its work). A cut closes both sides at once,
//! as a phone losing its signal does.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What happens to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Passed through untouched.
    None,
    /// Cut after this many bytes from the phone to the server.
    Upstream(usize),
    /// Cut after this many bytes from the server to the phone.
    Downstream(usize),
}

#[derive(Debug, Default)]
pub struct Stats {
    pub connections: AtomicUsize,
    pub cut_upstream: AtomicUsize,
    pub cut_downstream: AtomicUsize,
    pub bytes_up: AtomicUsize,
    pub bytes_down: AtomicUsize,
}

impl Stats {
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    pub fn cut_upstream(&self) -> usize {
        self.cut_upstream.load(Ordering::SeqCst)
    }
    pub fn cut_downstream(&self) -> usize {
        self.cut_downstream.load(Ordering::SeqCst)
    }
}

type Plan = Box<dyn FnMut(usize) -> Cut + Send>;

pub struct FaultProxy {
    pub addr: SocketAddr,
    pub stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Listens on a free port of 127.0.0.1 and forwards to `upstream`; `plan(n)` decides the
    /// fate of the n-th connection (0-based).
    pub fn start(
        upstream: SocketAddr,
        plan: impl FnMut(usize) -> Cut + Send + 'static,
    ) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("proxy address");
        let stats = Arc::new(Stats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::new()));
        let mut plan: Plan = Box::new(plan);
        let accept = {
            let (stats, stop, open) = (stats.clone(), stop.clone(), open.clone());
            std::thread::Builder::new()
                .name("e2e-proxy".into())
                .spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        match listener.accept() {
                            Ok((client, _)) => {
                                let n = stats.connections.fetch_add(1, Ordering::SeqCst);
                                let cut = plan(n);
                                if let Err(e) = connect(client, upstream, cut, &stats, &open) {
                                    eprintln!("e2e proxy: connection {n}: {e}");
                                }
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                                std::thread::sleep(Duration::from_millis(2))
                            }
                            Err(e) => {
                                eprintln!("e2e proxy: accept: {e}");
                                std::thread::sleep(Duration::from_millis(10));
                            }
                        }
                    }
                })
                .expect("proxy thread")
        };
        FaultProxy {
            addr,
            stats,
            stop,
            open,
            accept: Some(accept),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        for s in self
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

fn connect(
    client: TcpStream,
    upstream: SocketAddr,
    cut: Cut,
    stats: &Arc<Stats>,
    open: &Mutex<Vec<TcpStream>>,
) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    let server = TcpStream::connect(upstream)?;
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    {
        let mut open = open.lock().unwrap_or_else(|e| e.into_inner());
        open.push(client.try_clone()?);
        open.push(server.try_clone()?);
    }
    let (up_budget, down_budget) = match cut {
        Cut::None => (None, None),
        Cut::Upstream(n) => (Some(n), None),
        Cut::Downstream(n) => (None, Some(n)),
    };
    // Each pump holds both sockets so a cut closes the whole connection.
    let pumps = [
        (client.try_clone()?, server.try_clone()?, up_budget, true),
        (server.try_clone()?, client.try_clone()?, down_budget, false),
    ];
    for (from, to, budget, upward) in pumps {
        let stats = stats.clone();
        std::thread::Builder::new()
            .name("e2e-proxy-pump".into())
            .spawn(move || pump(from, to, budget, upward, &stats))?;
    }
    Ok(())
}

fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    budget: Option<usize>,
    upward: bool,
    stats: &Stats,
) {
    let mut left = budget;
    let mut buf = [0u8; 8192];
    let cut_both = |from: &TcpStream, to: &TcpStream| {
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    };
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => {
                // Orderly end of this direction: pass it on.
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => n,
            Err(_) => {
                cut_both(&from, &to);
                return;
            }
        };
        let pass = left.map_or(n, |l| l.min(n));
        if pass > 0 && to.write_all(&buf[..pass]).is_err() {
            cut_both(&from, &to);
            return;
        }
        let counter = if upward {
            &stats.bytes_up
        } else {
            &stats.bytes_down
        };
        counter.fetch_add(pass, Ordering::SeqCst);
        if let Some(l) = left.as_mut() {
            *l -= pass;
            if *l == 0 {
                let cuts = if upward {
                    &stats.cut_upstream
                } else {
                    &stats.cut_downstream
                };
                cuts.fetch_add(1, Ordering::SeqCst);
                cut_both(&from, &to);
                return;
            }
        }
    }
}

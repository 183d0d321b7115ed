//! `gocua serve`: the phone API and the dashboard on one address until SIGTERM or Ctrl-C; then
//! requests in flight finish, the database is closed and the process exits 0.

use std::net::SocketAddr;
use std::process::ExitCode;

use crate::domain::open::open_database;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start the async runtime")
}

pub async fn serve(db: String, listen: SocketAddr) -> ExitCode {
    let metrics_listen = match crate::app::metrics::listen_from_env() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("gocua: {e}");
            return ExitCode::from(2);
        }
    };
    let opened = tokio::task::spawn_blocking(move || open_database(&db)).await;
    let db = match opened {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => {
            eprintln!("gocua: cannot open the database: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("gocua: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "gocua: serving on http://{listen} ({} backend)",
        db.backend_name()
    );
    let served =
        crate::app::serve_with_metrics(db.clone(), listen, metrics_listen, stop_signal()).await;
    // The server has let go of its handles; this last one closes the database, on the blocking
    // pool: PostgreSQL's blocking client owns a runtime of its own, which may not be dropped on
    // an async thread.
    let closed = tokio::task::spawn_blocking(move || drop(db)).await;
    if let Err(e) = served {
        eprintln!("gocua: {e}");
        return ExitCode::from(1);
    }
    if let Err(e) = closed {
        eprintln!("gocua: closing the database failed: {e}");
        return ExitCode::from(1);
    }
    println!("gocua: stopped");
    ExitCode::SUCCESS
}

/// Resolves on SIGTERM (how service managers and container platforms stop a process) or SIGINT
/// (Ctrl-C), saying which arrived.
pub async fn stop_signal() {
    // A signal that cannot be watched never arrives (rather than stopping the server at once).
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let name = tokio::select! {
        () = interrupt => "SIGINT",
        () = terminate => "SIGTERM",
    };
    println!("gocua: {name}: stopping (requests in flight finish first)");
}

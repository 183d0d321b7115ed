//! `gocua serve`: the phone API and the dashboard on one address until SIGTERM or Ctrl-C; then
//! requests in flight finish, the database is closed and the process exits 0.

use std::process::ExitCode;

use super::config::ServeConfig;
use crate::app::edge::Settings;
use crate::domain::open::open_database;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start the async runtime")
}

/// Serves with a checked configuration (cli/config.rs); the calendar is already set.
pub async fn serve(config: ServeConfig) -> ExitCode {
    let settings = Settings {
        trusted_proxies: config.trusted_proxies.clone(),
        public_url_https: config.public_url_is_https(),
    };
    let listen = config.listen;
    let db = config.database;
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
    tracing::info!(
        %listen,
        backend = db.backend_name(),
        trusted_proxies = settings.trusted_proxies.len(),
        "serving"
    );
    let served = crate::app::serve(db.clone(), listen, settings, stop_signal()).await;
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

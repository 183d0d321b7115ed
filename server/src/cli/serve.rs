//! `gocua serve`: the phone API and the dashboard on one address until SIGTERM or Ctrl-C; then
//! requests in flight finish, the database is closed and the process exits 0.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;

use super::config::ServeConfig;
use crate::app::edge::Settings;
use crate::domain::open::open_database;
use crate::domain::setup;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start the async runtime")
}

/// Whether log lines are JSON: then what `gocua serve` says about starting and stopping goes
/// through the log as well (one JSON object per line), not plain lines on standard output.
static JSON_LOGS: AtomicBool = AtomicBool::new(false);

/// A line about the server's life: on standard output (text logs) or as a log event.
fn say(line: &str) {
    if JSON_LOGS.load(Ordering::Relaxed) {
        tracing::info!("{line}");
    } else {
        println!("{line}");
    }
}

/// A line about a failure: on standard error (text logs) or as an error event.
fn say_error(line: &str) {
    if JSON_LOGS.load(Ordering::Relaxed) {
        tracing::error!("{line}");
    } else {
        eprintln!("{line}");
    }
}

/// Serves with a checked configuration (cli/config.rs); the calendar is already set.
pub async fn serve(config: ServeConfig) -> ExitCode {
    JSON_LOGS.store(
        config.log_format == super::config::LogFormat::Json,
        Ordering::Relaxed,
    );
    let settings = Settings {
        trusted_proxies: config.trusted_proxies.clone(),
        public_url_https: config.public_url_is_https(),
    };
    let listen = config.listen;
    let metrics_listen = config.metrics_listen;
    let db = config.database;
    let opened = tokio::task::spawn_blocking(move || open_database(&db)).await;
    let db = match opened {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => {
            say_error(&format!("gocua: cannot open the database: {e}"));
            return ExitCode::from(2);
        }
        Err(e) => {
            say_error(&format!("gocua: {e}"));
            return ExitCode::from(2);
        }
    };
    say(&format!(
        "gocua: serving on http://{listen} ({} backend)",
        db.backend_name()
    ));
    let base_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| super::first_run::base_url_for_listen(listen));
    offer_setup_link(&db, &base_url).await;
    let served =
        crate::app::serve(db.clone(), listen, settings, metrics_listen, stop_signal()).await;
    // The server has let go of its handles; this last one closes the database, on the blocking
    // pool: PostgreSQL's blocking client owns a runtime of its own, which may not be dropped on
    // an async thread.
    let closed = tokio::task::spawn_blocking(move || drop(db)).await;
    if let Err(e) = served {
        say_error(&format!("gocua: {e}"));
        return ExitCode::from(1);
    }
    if let Err(e) = closed {
        say_error(&format!("gocua: closing the database failed: {e}"));
        return ExitCode::from(1);
    }
    say("gocua: stopped");
    ExitCode::SUCCESS
}

/// On a database without any account: a new one-time set-up link, printed on standard output
/// whatever the log format (the secret belongs on the operator's console, not in a log
/// collector). With an account: nothing.
async fn offer_setup_link(db: &crate::db::Db, base_url: &str) {
    let db = db.clone();
    let issued = tokio::task::spawn_blocking(move || {
        db.tx(|sql| {
            if setup::accounts_exist(sql)? {
                return Ok(None);
            }
            setup::issue_setup_link(sql, Utc::now()).map(Some)
        })
    })
    .await;
    match issued {
        Ok(Ok(Some(link))) => println!("{}", super::first_run::line(base_url, &link)),
        Ok(Ok(None)) => {}
        Ok(Err(e)) => say_error(&format!(
            "gocua: no first-run set-up link: {}",
            e.message_en()
        )),
        Err(e) => say_error(&format!("gocua: no first-run set-up link: {e}")),
    }
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
    say(&format!(
        "gocua: {name}: stopping (requests in flight finish first)"
    ));
}

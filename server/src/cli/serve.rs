//! `gocua serve`: the phone API and the dashboard on one address until Ctrl-C.

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
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = crate::app::serve(db, listen, shutdown).await {
        eprintln!("gocua: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

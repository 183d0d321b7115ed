//! `gocua`: the server, its admin commands and the demo.

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gocua", version, about = "Gõ Cửa sync server and coordinator tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the phone API (and later the dashboard).
    Serve {
        /// SQLite file path, or a postgres:// URL.
        #[arg(long, default_value = "gocua.db")]
        db: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into())).init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { db, listen } => {
            let opened = tokio::task::spawn_blocking(move || gocua_server::db::Db::open(&db)).await;
            let db = match opened {
                Ok(Ok(db)) => db,
                Ok(Err(e)) => {
                    eprintln!("gocua: cannot open the database: {e}");
                    return std::process::ExitCode::from(2);
                }
                Err(e) => {
                    eprintln!("gocua: {e}");
                    return std::process::ExitCode::from(2);
                }
            };
            println!("gocua: serving on http://{listen} ({} backend)", db.backend_name());
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            if let Err(e) = gocua_server::serve(db, listen, shutdown).await {
                eprintln!("gocua: {e}");
                return std::process::ExitCode::from(1);
            }
            std::process::ExitCode::SUCCESS
        }
    }
}

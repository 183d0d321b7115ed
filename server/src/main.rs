//! `gocua`: the server, its admin commands and the demo. Parses the command line, sets the
//! deployment's calendar, and hands over to [`gocua_server::cli`].

use std::process::ExitCode;

use clap::Parser;
use gocua_server::cli::args::{Cli, Command};
#[cfg(feature = "demo")]
use gocua_server::cli::demo::{self, DemoOptions};
use gocua_server::cli::{admin, serve};
use gocua_server::domain::calendar;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // The deployment's calendar, before anything counts a day.
    match calendar::configure_from_env() {
        Ok(calendar) => tracing::debug!(zone = calendar.zone_name(), "calendar"),
        Err(e) => {
            eprintln!(
                "{}: {e}. Sửa biến môi trường {} (ví dụ Asia/Ho_Chi_Minh).",
                calendar::ZONE_VAR,
                calendar::ZONE_VAR
            );
            return ExitCode::from(2);
        }
    }
    match cli.command {
        Command::Serve { db, listen } => serve::runtime().block_on(serve::serve(db, listen)),
        Command::Admin(args) => admin::run(args),
        #[cfg(feature = "demo")]
        Command::Demo {
            listen,
            db,
            data,
            devices,
            visits,
            seed,
        } => {
            let opts = DemoOptions {
                listen,
                db,
                data_dir: data,
                devices: devices.into(),
                visits: visits as usize,
                seed,
                verbose: true,
            };
            serve::runtime().block_on(demo::run(opts))
        }
    }
}

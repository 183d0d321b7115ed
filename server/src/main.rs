//! `gocua`: the server, its admin commands and the demo. Parses the command line (for `serve`,
//! its whole configuration), sets up logging and the deployment's calendar, and hands over to
//! [`gocua_server::cli`].

use std::process::ExitCode;

use clap::Parser;
use gocua_server::cli::args::{Cli, Command};
use gocua_server::cli::config::{self, LogFormat};
#[cfg(feature = "demo")]
use gocua_server::cli::demo::{self, DemoOptions};
use gocua_server::cli::{admin, serve};
use gocua_server::domain::calendar;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Serve(args) = &cli.command {
        // Every setting is checked before anything starts: no database opened, nothing listening.
        let config = match config::load(args, &|name| std::env::var(name).ok()) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("gocua: cấu hình không hợp lệ / invalid configuration: {e}");
                return ExitCode::from(2);
            }
        };
        init_logging(config.log_format);
        let calendar = calendar::configure(config.calendar);
        tracing::debug!(zone = calendar.zone_name(), "calendar");
        return serve::runtime().block_on(serve::serve(config));
    }
    init_logging(LogFormat::Text);
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
        Command::Serve(_) => unreachable!("served above"),
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

/// Log lines on standard error, filtered by `RUST_LOG` (default `info`): text for a terminal or
/// the journal, or one JSON object per line for a log collector.
fn init_logging(format: LogFormat) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        // The request's span (request id, method, route) goes on every line logged inside it.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

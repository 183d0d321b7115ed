//! `gocua demo`: the whole system on one machine, with nothing else installed. An embedded SQLite
//! server on a real port, the real area list and starter catalogue, the provincial union of Vĩnh
//! Long (which since July 2025 includes the former Bến Tre province of letter 2094-CV/TĐTN-TCKT)
//! with its commune unions, teams, hamlets, members, a campaign modelled on plan
//! 241-KH/TĐTN-TCKT and targets for every indicator — then several simulated phones, each the real
//! device library with its own encrypted store, enrolled over HTTP with a one-time code, recording
//! a few days of door-to-door work offline and syncing it. Ends with the progress table counted
//! on the server.
//!
//! The phones themselves are `gocua-sim`'s; this module holds what the server does around them:
//! the options (here), the errors (`error.rs`), the reference data (`data.rs`), the province it
//! sets up (`province.rs`), the run (`run.rs`) and the command that runs it until Ctrl-C
//! (`command.rs`). Built only with the `demo` feature (on by
//! default), which is what links the device library into the server.
//!
//! [`run_demo`] does everything except waiting for Ctrl-C, so tests can run it.

mod command;
mod data;
mod error;
mod province;
mod run;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use command::run;
pub use data::{reference_data, ReferenceData, AREAS_FILE, SERVICES_FILE};
pub use error::DemoError;
/// What one simulated phone did.
pub use gocua_sim::PhoneReport as DeviceReport;
pub use province::{campaign_dates, DemoAccount, LEGAL_REFERENCE, PROVINCE_CODE};
pub use run::{run_demo, DemoSummary, RunningServer};

/// What `gocua demo` was asked for (its command-line options).
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Where to serve; port 0 picks a free one.
    pub listen: SocketAddr,
    /// SQLite path or postgres:// URL; `None` for a fresh SQLite file in a temporary directory.
    pub db: Option<String>,
    /// Directory holding the area list and catalogue (`--data`); `None` for the copy of the
    /// repository's `data/` built into the binary (see [`reference_data`]).
    pub data_dir: Option<PathBuf>,
    /// Simulated phones (at least 4).
    pub devices: usize,
    /// Visits recorded in total, over all phones.
    pub visits: usize,
    /// Seed of the simulated field work; `None` for a random one.
    pub seed: Option<u64>,
    /// Print what happens (the command does; tests may not).
    pub verbose: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: None,
            data_dir: None,
            devices: 6,
            visits: 300,
            seed: None,
            verbose: true,
        }
    }
}

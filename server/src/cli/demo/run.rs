//! Running the demo: listen, open (or create) the database, set up the province, serve, let the
//! simulated phones of `gocua-sim` enrol and sync, then count the progress on the server. The
//! server keeps serving after [`run_demo`] returns.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use gocua_protocol::Campaign;
use gocua_sim::PhoneReport;
use rand::Rng;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::data::{reference_data, ReferenceData, AREAS_FILE, SERVICES_FILE};
use super::province::{setup, DemoAccount, Setup};
use super::{DemoError, DemoOptions};
use crate::db::Db;
use crate::domain::coordination::{self, AdminError, ServerCounts};
use crate::domain::progress::TeamProgress;

/// The server the demo started; it keeps serving after [`run_demo`] returns.
pub struct RunningServer {
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Serves until `signal` resolves (e.g. Ctrl-C), then stops gracefully. Returns early with the
    /// error if the server fails.
    pub async fn stop_on(mut self, signal: impl Future<Output = ()>) -> std::io::Result<()> {
        tokio::select! {
            _ = signal => {
                if let Some(tx) = self.shutdown.take() {
                    let _ = tx.send(());
                }
                self.task.await.map_err(std::io::Error::other)?
            }
            result = &mut self.task => result.map_err(std::io::Error::other)?,
        }
    }

    pub async fn stop(self) -> std::io::Result<()> {
        self.stop_on(async {}).await
    }
}

/// What the demo did and where it serves.
pub struct DemoSummary {
    pub addr: SocketAddr,
    /// `http://ADDR/`.
    pub url: String,
    /// The database (path or URL).
    pub db: String,
    /// The `--data` directory the reference data came from; `None` for the built-in copy.
    pub data_dir: Option<PathBuf>,
    /// The seed of the simulated field work (`--seed`): the same seed replays the same work.
    pub seed: u64,
    pub campaign: Campaign,
    pub devices: Vec<PhoneReport>,
    pub progress: Vec<TeamProgress>,
    /// The progress table as printed.
    pub table: String,
    pub counts: ServerCounts,
    pub elapsed: std::time::Duration,
    pub server: RunningServer,
    /// Holds the temporary database directory (when no --db was given) while serving.
    pub db_dir: Option<tempfile::TempDir>,
    /// Dashboard accounts made for the demo.
    pub accounts: Vec<DemoAccount>,
}

fn date_vi(d: NaiveDate) -> String {
    crate::domain::format::date(d)
}

/// Runs the demo up to the progress table; the returned server keeps serving.
pub async fn run_demo(opts: DemoOptions) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    let verbose = opts.verbose;
    let ReferenceData {
        dir: data_dir,
        areas_csv,
        services_csv,
    } = reference_data(opts.data_dir.as_deref())?;
    let seed = opts.seed.unwrap_or_else(|| rand::rng().random());
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                DemoError::PortBusy(opts.listen)
            } else {
                DemoError::Listen {
                    addr: opts.listen,
                    source,
                }
            }
        })?;
    let addr = listener.local_addr().map_err(|source| DemoError::Listen {
        addr: opts.listen,
        source,
    })?;
    let url = format!("http://{addr}");

    let (db_target, db_dir) = match &opts.db {
        Some(db) => (db.clone(), None),
        None => {
            let dir = tempfile::Builder::new()
                .prefix("gocua-demo-")
                .tempdir()
                .map_err(|e| {
                    DemoError::Other(format!("cannot create a temporary directory: {e}"))
                })?;
            (
                dir.path().join("gocua-demo.db").display().to_string(),
                Some(dir),
            )
        }
    };
    if verbose {
        println!("Gõ Cửa – chạy thử / demo");
        if db_dir.is_some() {
            println!("  Cơ sở dữ liệu tạm, xoá khi dừng; dùng --db TỆP để giữ lại / temporary database, deleted on exit; pass --db FILE to keep it: {db_target}");
        } else {
            println!("  Cơ sở dữ liệu / database: {db_target}");
        }
        match &data_dir {
            Some(dir) => println!("  Danh mục địa bàn và dịch vụ / area list and catalogue: {}", dir.display()),
            None => println!("  Danh mục địa bàn và dịch vụ / area list and catalogue: {AREAS_FILE}, {SERVICES_FILE} (có sẵn trong gocua / built in)"),
        }
        println!("  Hạt giống / seed: {seed} (chạy lại với --seed {seed} để có cùng dữ liệu / run again with --seed {seed} for the same data)");
    }
    let setup_opts = opts.clone();
    let target = db_target.clone();
    let (db, setup) = tokio::task::spawn_blocking(move || -> Result<(Db, Setup), DemoError> {
        let db = crate::domain::open::open_database(&target)?;
        let setup = db.tx(|sql| setup(sql, &areas_csv, &services_csv, &setup_opts, seed))?;
        Ok((db, setup))
    })
    .await
    .map_err(|e| DemoError::Other(e.to_string()))??;
    let campaign = setup.campaign.clone();
    if verbose {
        let peak = campaign.peak_windows.first();
        println!(
            "  Kế hoạch / campaign: \"{}\" ({}), {} – {}{}, hạn báo cáo / report due {}",
            campaign.name,
            campaign.legal_reference,
            date_vi(campaign.starts_on),
            date_vi(campaign.ends_on),
            peak.map_or(String::new(), |p| format!(
                ", cao điểm / peak \"{}\" {} – {}",
                p.name,
                date_vi(p.starts_on),
                date_vi(p.ends_on)
            )),
            date_vi(campaign.report_deadline)
        );
        println!(
            "  Tỉnh Đoàn Vĩnh Long, {} đội, {} điện thoại, chỉ tiêu cho mọi chỉ số / {} teams, {} phones, targets for every indicator",
            setup.teams,
            setup.devices.len(),
            setup.teams,
            setup.devices.len()
        );
    }

    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(crate::app::serve_on(db.clone(), listener, async move {
        let _ = shutdown_rx.await;
    }));
    let server = RunningServer {
        shutdown: Some(shutdown_tx),
        task,
    };
    if verbose {
        println!("  Máy chủ đang chạy tại / server running at {url}/");
        println!("Điện thoại / phones:");
    }

    // The phones, one thread each, like real phones in the field.
    let plans = setup.devices.clone();
    // Phones use plain http only to loopback: listening on every address (0.0.0.0, ::), the
    // simulated phones reach the server at 127.0.0.1 / ::1.
    let device_url = if addr.ip().is_unspecified() {
        let loopback = match addr {
            std::net::SocketAddr::V4(_) => std::net::IpAddr::from(std::net::Ipv4Addr::LOCALHOST),
            std::net::SocketAddr::V6(_) => std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        };
        format!(
            "http://{}",
            std::net::SocketAddr::new(loopback, addr.port())
        )
    } else {
        url.clone()
    };
    let device_campaign = campaign.clone();
    let calendar = crate::domain::calendar::get();
    let devices = tokio::task::spawn_blocking(move || {
        gocua_sim::run_phones(&plans, &device_url, &device_campaign, calendar, verbose)
            .map_err(DemoError::from)
    })
    .await
    .map_err(|e| DemoError::Other(e.to_string()))?;
    let devices = match devices {
        Ok(d) => d,
        Err(e) => {
            let _ = server.stop().await;
            return Err(e);
        }
    };

    let campaign_id = campaign.id;
    let (progress, counts) = db
        .run(move |sql| -> Result<_, AdminError> {
            Ok((
                crate::domain::progress::campaign_progress(sql, campaign_id)?,
                coordination::server_counts(sql)?,
            ))
        })
        .await?;
    let table = crate::cli::print::progress_table(&progress);
    if verbose {
        println!();
        println!("Tiến độ theo đội và xã, phường, đếm trên máy chủ / progress by team and commune, counted on the server:");
        println!("{table}");
        println!(
            "Máy chủ đã nhận / the server holds: {} hộ / households, {} lượt đến hộ / visits, {} lượt hỗ trợ dịch vụ / assists, {} buổi tuyên truyền / sessions, {} phản ánh / feedback, {} thiết bị / devices.",
            counts.households, counts.visits, counts.assists, counts.sessions, counts.feedback, counts.devices
        );
        println!("Trang quản lý cho cán bộ Đoàn / coordinators' dashboard: {url}/ — API tại / at {url}/v1/ (ví dụ / e.g. {url}/v1/health)");
        for a in &setup.accounts {
            println!(
                "  Đăng nhập / sign in: {} / {}  ({}, {})",
                a.username,
                a.password,
                a.role.label(crate::domain::format::Lang::Vi),
                a.unit_name
            );
        }
        println!(
            "Quản trị / admin: gocua admin devices --db {db_target}   (chạy thử mất / demo took {:.1} s)",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(DemoSummary {
        addr,
        url: format!("{url}/"),
        db: db_target,
        data_dir,
        seed,
        campaign,
        devices,
        progress,
        table,
        counts,
        elapsed: started.elapsed(),
        server,
        db_dir,
        accounts: setup.accounts,
    })
}

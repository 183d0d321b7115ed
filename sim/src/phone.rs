//! One simulated phone, start to finish: the real device library with its own encrypted store,
//! enrolled over HTTP with a one-time code as the app does, a first sync for the team's reference
//! data, a few days of field work offline ([`crate::days`]), then a sync back on wifi. Syncs go
//! through the core's own retrying driver ([`Store::sync_with_retry`]), like the app's.
//!
//! [`run_phones`] runs several at once, one thread each, like phones in the field.

use std::fmt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::Utc;
use gocua_core::protocol::calendar::Calendar;
use gocua_core::protocol::Campaign;
use gocua_core::{
    Backoff, HttpTransport, QueueStatus, Store, StoreKey, SyncProgress, SyncReport, SystemClock,
    TransportError,
};
use uuid::Uuid;

use crate::days::record_field_days;
use crate::plan::PhonePlan;

/// Records per push.
const BATCH: usize = 60;
/// Tries of an enrolment or a sync pass while the network or the server asks to wait (429, 503).
const ATTEMPTS: u32 = 6;
/// What the phones say they are when they enrol.
pub const APP_VERSION: &str = concat!("gocua-demo/", env!("CARGO_PKG_VERSION"));

/// What one simulated phone did.
#[derive(Debug, Clone)]
pub struct PhoneReport {
    pub label: String,
    pub device_id: Uuid,
    pub team: String,
    pub volunteer: String,
    pub households: u32,
    pub visits: u32,
    pub sessions: u32,
    pub feedback: u32,
    /// The last sync.
    pub sync: SyncReport,
    /// The phone's queue after its last sync.
    pub queue: QueueStatus,
}

/// Why the phones could not finish.
#[derive(Debug, Clone)]
pub enum PhoneError {
    /// The device library refused or failed, in both languages, on the phone named `device`.
    Device {
        device: String,
        vi: String,
        en: String,
    },
    /// Something around the phones failed (a temporary directory, a panicked thread).
    Other(String),
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Device { device, en, .. } => write!(f, "{device}: {en}"),
            PhoneError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PhoneError {}

fn device_error(label: &str, e: &gocua_core::Error) -> PhoneError {
    PhoneError::Device {
        device: label.to_owned(),
        vi: e.message_vi(),
        en: format!("{} ({e})", e.message_en()),
    }
}

/// Runs every plan's phone at once, each in its own thread with its store in a temporary
/// directory, against the server at `url`; the reports in the plans' order.
pub fn run_phones(
    plans: &[PhonePlan],
    url: &str,
    campaign: &Campaign,
    calendar: Calendar,
    verbose: bool,
) -> Result<Vec<PhoneReport>, PhoneError> {
    let dir = tempfile::Builder::new()
        .prefix("gocua-demo-phones-")
        .tempdir()
        .map_err(|e| PhoneError::Other(format!("cannot create a temporary directory: {e}")))?;
    std::thread::scope(|scope| {
        let handles: Vec<_> = plans
            .iter()
            .map(|plan| {
                let dir = dir.path();
                scope.spawn(move || simulate(plan, url, campaign, dir, calendar, verbose))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(PhoneError::Other("a simulated phone panicked".into())))
            })
            .collect()
    })
}

/// One phone: enrol, download reference data, work offline for a few days, then sync. Its
/// store is `phone-INDEX.db` in `dir`. With `verbose` it says what it does on standard output.
pub fn simulate(
    plan: &PhonePlan,
    url: &str,
    campaign: &Campaign,
    dir: &Path,
    calendar: Calendar,
    verbose: bool,
) -> Result<PhoneReport, PhoneError> {
    let label = format!("Điện thoại {} ({})", plan.index, plan.label);
    let store_err = |e: gocua_core::Error| device_error(&label, &e);
    let key = StoreKey::generate();
    let store = Store::open(
        dir.join(format!("phone-{}.db", plan.index)),
        &key,
        Arc::new(SystemClock),
    )
    .map_err(store_err)?;
    // Enrol as the app does: the code buys a token, kept in the encrypted store with the profile.
    let enrolled = enrol(&store, url, plan).map_err(store_err)?;
    let transport = store.http_transport().map_err(store_err)?;
    // First sync on the commune office's wifi: the team's areas, catalogue, campaign, targets.
    sync(&store, &transport, &label, false)?;
    if verbose {
        println!("  ✓ {label}: đã đăng ký vào \"{}\" và tải danh mục / enrolled and downloaded reference data", enrolled.team_name);
    }

    // Then days in the hamlets without signal: everything waits in the encrypted queue.
    let tally =
        record_field_days(&store, plan, campaign, calendar, Utc::now()).map_err(store_err)?;
    let waiting = store.queue_status().map_err(store_err)?.pending;
    if verbose {
        println!(
            "  ✎ {label}: ghi ngoại tuyến {} hộ, {} lượt đến hộ, {} buổi tuyên truyền, {} phản ánh; {waiting} bản ghi chờ gửi / recorded offline, {waiting} queued",
            tally.households, tally.visits, tally.sessions, tally.feedback
        );
    }

    // Back on wifi.
    let report = sync(&store, &transport, &label, verbose)?;
    let queue = store.queue_status().map_err(store_err)?;
    if verbose {
        println!(
            "  ✓ {label}: máy chủ nhận {} / accepted {}, từ chối / rejected {}, còn chờ / pending {}",
            report.accepted, report.accepted, report.rejected, queue.pending
        );
        for e in store.rejected_entries().map_err(store_err)? {
            if let Some(r) = e.reason {
                println!(
                    "    ✗ {} {}: {} / {}",
                    e.kind, e.record_id, r.message_vi, r.message_en
                );
            }
        }
    }
    Ok(PhoneReport {
        label: plan.label.clone(),
        device_id: store.device_id(),
        team: plan.team.clone(),
        volunteer: enrolled.volunteer_name,
        households: tally.households,
        visits: tally.visits,
        sessions: tally.sessions,
        feedback: tally.feedback,
        sync: report,
        queue,
    })
}

/// [`Store::enrol`], tried again after the core's [`Backoff`] while the failure is transient
/// (the core has no retrying enrolment of its own; the app leaves that to the volunteer).
fn enrol(
    store: &Store,
    url: &str,
    plan: &PhonePlan,
) -> gocua_core::Result<gocua_core::protocol::EnrolResponse> {
    let mut backoff = Backoff::default();
    let mut rng = rand::rng();
    loop {
        match store.enrol(url, &plan.code, &plan.label, APP_VERSION) {
            Err(gocua_core::Error::Transport(t))
                if t.is_transient() && backoff.attempt() + 1 < ATTEMPTS =>
            {
                let asked = match &t {
                    TransportError::Unavailable { retry_after, .. } => *retry_after,
                    _ => None,
                };
                std::thread::sleep(backoff.next_delay(&mut rng, asked));
            }
            other => return other,
        }
    }
}

/// A sync pass through the core's retrying driver; with `verbose`, its progress.
fn sync(
    store: &Store,
    transport: &HttpTransport,
    label: &str,
    verbose: bool,
) -> Result<SyncReport, PhoneError> {
    let progress = |p: SyncProgress| {
        if verbose && p.total > 0 && p.sent > 0 {
            println!("  ⇅ {label}: đã gửi / sent {}/{}", p.sent, p.total);
        }
    };
    store
        .sync_with_retry(
            transport,
            BATCH,
            ATTEMPTS,
            &progress,
            &AtomicBool::new(false),
        )
        .map_err(|e| device_error(label, &e))
}

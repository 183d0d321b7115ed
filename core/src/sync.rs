//! One sync pass: push the queue in batches, then pull reference data. Retrying with backoff is
//! the caller's; this pass stops at the first transport error, leaving everything unsent safely
//! pending. Given a [`Recheck`], it also asks the sync policy again before each batch (the phone
//! may have left wifi, lost its connection, run low on battery) and stops cleanly when the answer
//! is "wait".

use std::sync::atomic::{AtomicBool, Ordering};

use gocua_protocol::{PullRequest, PushRequest, PROTOCOL_VERSION};

use crate::error::{Error, Result};
use crate::outbox::{observe_generation, LastSync};
use crate::policy::{decide, NetworkFacts, SyncDecision, SyncTrigger, SyncWaitReason};
use crate::store::{get_meta, set_meta, Store};
use crate::transport::Transport;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncProgress {
    pub sent: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncReport {
    pub sent: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub pulled: bool,
    /// Set when the pass stopped early because the policy, asked again between batches, said to
    /// wait: everything not yet sent is still pending (nothing was in flight).
    pub stopped: Option<SyncStop>,
}

/// Why a sync stopped before the end: the policy's reason and its message for the volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStop {
    pub reason: SyncWaitReason,
    pub message_vi: String,
    pub message_en: String,
}

/// What the sync policy needs to decide again between batches: the platform's facts as they are
/// at that moment (`facts` is called each time), and the request's fixed part.
pub struct Recheck<'a> {
    pub facts: &'a (dyn Fn() -> NetworkFacts + 'a),
    pub trigger: SyncTrigger,
    pub wifi_only: bool,
    /// "Gửi bằng dữ liệu di động lần này" (see [`crate::policy::decide`]).
    pub mobile_data_once: bool,
}

impl Recheck<'_> {
    /// `Some` when the policy now says to wait.
    fn stop(&self) -> Option<SyncStop> {
        match decide(
            &(self.facts)(),
            self.trigger,
            self.wifi_only,
            self.mobile_data_once,
        ) {
            SyncDecision::Now => None,
            SyncDecision::Wait {
                reason,
                message_vi,
                message_en,
            } => Some(SyncStop {
                reason,
                message_vi,
                message_en,
            }),
        }
    }
}

pub const DEFAULT_BATCH_SIZE: usize = 200;

impl Store {
    /// Pushes every pending entry, `batch_size` at a time, then pulls reference data. Calls
    /// `progress` after each batch; checks `cancel` between batches (an in-flight batch is
    /// released back to pending, never lost).
    pub fn sync_once(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.sync_once_checked(transport, batch_size, progress, cancel, None)
    }

    /// [`Store::sync_once`] that, given `recheck`, also asks the sync policy before each batch
    /// and before the pull; when it says to wait, the pass ends `Ok` with
    /// [`SyncReport::stopped`] set (recorded as the outcome `stopped`, with the policy's reason
    /// as the code). The check falls between batches, so nothing is in flight at that moment:
    /// whatever was not sent stays pending and goes, once, with the next sync.
    pub fn sync_once_checked(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
        recheck: Option<&Recheck<'_>>,
    ) -> Result<SyncReport> {
        let _running = self
            .sync_lock
            .try_lock()
            .map_err(|_| Error::SyncInProgress)?;
        let result = self.sync_inner(transport, batch_size.max(1), progress, cancel, recheck);
        let (outcome, error) = match &result {
            Ok(r) if r.stopped.is_some() => ("stopped", None),
            Ok(r) if r.rejected > 0 => ("partial", None),
            Ok(_) => ("ok", None),
            Err(Error::Cancelled) => ("cancelled", None),
            Err(e) => ("failed", Some(e)),
        };
        let report = result.as_ref().ok().cloned().unwrap_or_default();
        // Why it ended early, if it did: the policy's reason for a stop, else the error's.
        let (error_code, message_vi, message_en) = match (&report.stopped, error) {
            (Some(stop), _) => (
                Some(stop.reason.as_str().to_owned()),
                Some(stop.message_vi.clone()),
                Some(stop.message_en.clone()),
            ),
            (None, Some(e)) => (
                Some(e.code().to_owned()),
                Some(e.message_vi()),
                Some(e.message_en()),
            ),
            (None, None) => (None, None, None),
        };
        let last = LastSync {
            finished_at: self.clock.now(),
            outcome: outcome.to_owned(),
            sent: report.sent,
            accepted: report.accepted,
            rejected: report.rejected,
            error_code,
            message_vi,
            message_en,
        };
        self.record_sync_outcome(&last, None)?;
        result
    }

    fn sync_inner(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
        recheck: Option<&Recheck<'_>>,
    ) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let mut total = self.queue_status()?.pending;
        progress(SyncProgress { sent: 0, total });
        // A pull that finds the server restored (a new generation) re-queues what was
        // acknowledged before; those records are pushed in a second round of this pass.
        for round in 0..2 {
            let requeued = self.push_and_pull(
                transport,
                batch_size,
                progress,
                cancel,
                recheck,
                &mut report,
                &mut total,
            )?;
            if requeued == 0 || round == 1 || report.stopped.is_some() {
                break;
            }
            total = report.sent + self.queue_status()?.pending;
        }
        Ok(report)
    }

    /// Pushes the queue and pulls once; returns how many entries the pull's generation
    /// re-queued (0 when `recheck` stopped it, with `report.stopped` set).
    #[allow(clippy::too_many_arguments)]
    fn push_and_pull(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
        recheck: Option<&Recheck<'_>>,
        report: &mut SyncReport,
        total: &mut u32,
    ) -> Result<u32> {
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            if let Some(stop) = recheck.and_then(Recheck::stop) {
                report.stopped = Some(stop);
                return Ok(0);
            }
            let changes = self.take_batch(batch_size)?;
            if changes.is_empty() {
                break;
            }
            let request = PushRequest {
                protocol_version: PROTOCOL_VERSION,
                device_id: self.device_id(),
                changes,
            };
            let response = match transport.push(&request) {
                Ok(r) => r,
                Err(e) => {
                    self.release_in_flight()?;
                    return Err(e.into());
                }
            };
            let (accepted, rejected, requeued) =
                self.settle_batch_of(&response.results, response.generation.as_deref())?;
            *total += requeued;
            self.write(|tx| {
                self.observe_hlc(tx, response.server_hlc)?;
                set_meta(tx, "last_server_time", &response.server_time.to_rfc3339())
            })?;
            report.sent += request.changes.len() as u32;
            report.accepted += accepted;
            report.rejected += rejected;
            progress(SyncProgress {
                sent: report.sent.min((*total).max(report.sent)),
                total: (*total).max(report.sent),
            });
        }
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        if let Some(stop) = recheck.and_then(Recheck::stop) {
            report.stopped = Some(stop);
            return Ok(0);
        }
        let cursor = self.read(|c| get_meta(c, "pull_cursor"))?;
        let mut pulled = transport.pull(&PullRequest {
            protocol_version: PROTOCOL_VERSION,
            device_id: self.device_id(),
            cursor: cursor.clone(),
        })?;
        let now = self.clock.now();
        let requeued =
            self.write(|tx| observe_generation(tx, pulled.generation.as_deref(), now))?;
        if requeued > 0 && cursor.is_some() {
            // The answer was made against a cursor of the old database: ask for everything.
            if cancel.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            pulled = transport.pull(&PullRequest {
                protocol_version: PROTOCOL_VERSION,
                device_id: self.device_id(),
                cursor: None,
            })?;
        }
        self.apply_reference_data(&pulled.reference, pulled.full)?;
        self.write(|tx| {
            let server_stamp = gocua_protocol::Hlc {
                wall_ms: pulled.server_time.timestamp_millis(),
                counter: 0,
                node: 0,
            };
            self.observe_hlc(tx, server_stamp)?;
            set_meta(tx, "pull_cursor", &pulled.cursor)?;
            set_meta(tx, "last_server_time", &pulled.server_time.to_rfc3339())
        })?;
        report.pulled = true;
        Ok(requeued)
    }
}

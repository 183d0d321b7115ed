//! A sync the core keeps deciding: the app hands over what the sync policy needs (trigger, "wifi
//! only", the volunteer's "Gửi bằng dữ liệu di động lần này") and a [`NetworkWatch`] the core asks
//! between batches; and "records need your attention", for the notification after a background
//! sync.

use gocua_core::policy;
use gocua_core::protocol::format::Lang;

use crate::{FieldProfile, NetworkFacts, Result, SyncListener, SyncReportView, BATCH_SIZE};

/// The platform's network and battery, asked again by the core before each batch of a sync.
/// Called on the sync's own thread: answer from what the platform knows at that moment
/// (Android `ConnectivityManager` / `BatteryManager`), without blocking for long.
#[uniffi::export(callback_interface)]
pub trait NetworkWatch: Send + Sync {
    fn current(&self) -> NetworkFacts;
}

/// What asked for a sync, as the sync policy (`decide_sync`) weighs it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncRequest {
    pub trigger: policy::SyncTrigger,
    /// The volunteer's "wifi only" setting.
    pub wifi_only: bool,
    /// "Gửi bằng dữ liệu di động lần này": the volunteer, pressing "Gửi ngay", chose to send over
    /// mobile data this once. Only counts with `SyncTrigger.USER_FORCED`.
    #[uniffi(default = false)]
    pub mobile_data_once: bool,
}

pub(crate) fn core_facts(facts: &NetworkFacts) -> policy::NetworkFacts {
    policy::NetworkFacts {
        connected: facts.connected,
        unmetered: facts.unmetered,
        battery_percent: facts.battery_percent,
        charging: facts.charging,
        power_saver: facts.power_saver,
    }
}

/// "Records need your attention", in the chosen language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttentionView {
    pub title: String,
    pub body: String,
    /// Records waiting to be sent for more than a day (24 hours).
    pub waiting_over_day: u32,
    /// Records the server refused (to fix or send again from the queue).
    pub refused: u32,
}

#[uniffi::export]
impl FieldProfile {
    /// `sync`, with the sync policy asked again by the core before every batch: `watch` gives the
    /// facts as they are then. When the answer is "wait" (the phone left wifi with "wifi only"
    /// on, lost its connection, ran low on battery), the sync stops after the batch in flight was
    /// answered: it returns normally with `stopped` set to the reason (and its message), the
    /// last sync's outcome is `STOPPED`, and every record not yet sent waits in the queue for the
    /// next sync (nothing lost, nothing sent twice). It also stops before the first batch if the
    /// policy says to wait already. Cancelling works as for `sync`.
    #[uniffi::method(default(listener = None, max_attempts = 3))]
    pub async fn sync_watched(
        &self,
        request: SyncRequest,
        watch: Box<dyn NetworkWatch>,
        listener: Option<Box<dyn SyncListener>>,
        max_attempts: u32,
    ) -> Result<SyncReportView> {
        self.one_network_call("gocua-sync", move |store, cancel| {
            let transport = store.http_transport()?;
            let facts = || core_facts(&watch.current());
            let recheck = gocua_core::Recheck {
                facts: &facts,
                trigger: request.trigger,
                wifi_only: request.wifi_only,
                mobile_data_once: request.mobile_data_once,
            };
            let report = store.sync_with_backoff_checked(
                &transport,
                BATCH_SIZE,
                max_attempts.max(1),
                gocua_core::Backoff::default(),
                &|p: gocua_core::SyncProgress| {
                    if let Some(l) = &listener {
                        l.on_progress(p.sent, p.total)
                    }
                },
                cancel,
                Some(&recheck),
            )?;
            Ok(SyncReportView::from(&report))
        })
        .await
    }

    /// What needs the volunteer's attention now, in `lang`: records waiting more than a day
    /// (24 hours on the phone's clock) and records the server refused; `None` when nothing does.
    /// For the notification after a background sync; when to show it is the app's choice.
    pub fn attention(&self, lang: Lang) -> Result<Option<AttentionView>> {
        Ok(self.store()?.attention()?.map(|a| {
            let (title, body) = match lang {
                Lang::Vi => (a.title_vi, a.body_vi),
                Lang::En => (a.title_en, a.body_en),
            };
            AttentionView {
                title,
                body,
                waiting_over_day: a.waiting_over_day,
                refused: a.refused,
            }
        }))
    }
}

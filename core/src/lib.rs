//! Gõ Cửa's device library: the encrypted offline store, the upload queue and the sync seams that
//! both phone apps embed (through the uniffi facade in `bindings/`).
//!
//! ```no_run
//! use std::sync::Arc;
//! use gocua_core::{Store, StoreKey, SystemClock};
//! let key = StoreKey::generate(); // the app keeps it in Keystore / Keychain
//! let store = Store::open("/data/profile.db", &key, Arc::new(SystemClock)).unwrap();
//! println!("{:?}", store.queue_status().unwrap());
//! ```

// The sync policy's enums cross the phone FFI as uniffi types of this crate (namespace
// `gocua_core`), only when the phone bindings ask for them (feature `uniffi`).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

mod activities;
mod assignment_rows;
mod assignments;
mod attention;
mod backoff;
pub mod clock;
mod coverage;
mod db;
mod drafts;
mod enrolment;
pub mod error;
mod guides;
mod households;
pub mod http;
mod key;
mod millis;
mod outbox;
pub mod policy;
mod progress;
mod queue_items;
mod records;
mod reference;
mod reference_cache;
mod search;
mod store;
mod sync;
pub mod transport;
mod visits;

pub use activities::{FeedbackDraft, SessionDraft};
pub use assignments::WalkItem;
pub use attention::{Attention, WAITING_TOO_LONG};
pub use backoff::Backoff;
pub use clock::{Clock, ManualClock, SystemClock};
pub use coverage::Coverage;
pub use db::{open_raw, Durability, OpenOptions, SCHEMA_VERSION};
pub use drafts::{Draft, DraftForm};
pub use enrolment::discard_unreadable_store;
pub use error::{Error, Result};
pub use households::{ConsentDraft, HouseholdDraft};
pub use http::{enrol, HttpTransport};
pub use key::{StoreKey, KEY_LEN};
pub use outbox::{EntryState, LastSync, QueueEntry, QueueStatus, RejectReason};
pub use policy::{decide, NetworkFacts, SyncDecision, SyncTrigger};
pub use progress::{MyCounts, TargetProgress};
pub use queue_items::{QueueFilter, QueueItem, ServiceName};
pub use search::{FollowUp, HouseholdPage, HouseholdSummary};
pub use store::{ClockWarning, DeviceProfile, Store};
pub use sync::{Recheck, SyncProgress, SyncReport, SyncStop, DEFAULT_BATCH_SIZE};
pub use transport::{Transport, TransportError};
pub use visits::{AssistDraft, VisitDraft};

pub use gocua_protocol as protocol;

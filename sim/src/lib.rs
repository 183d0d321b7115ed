//! Simulated phones for Gõ Cửa: the real device library (`gocua-core`) driven as volunteers
//! would drive it, for the demo (`gocua demo`), the end-to-end tests, the benchmarks and the
//! examples. Nothing here is in the phone apps or the server's serving path.
//!
//! - [`names`]: Vietnamese names, streets, addresses, mobile numbers, handset models.
//! - [`plan`], [`phone`]: a phone told its enrolment code and hamlets enrols, works a few days
//!   offline ([`days`], drawing on [`fieldwork`] and [`schedule`]) and syncs through the core's
//!   own retrying driver; [`phone::run_phones`] runs several at once.
//! - [`device`]: the end-to-end tests' [`Device`], a phone with test helpers that panic on
//!   anything unexpected.
//!
//! A seed decides every draw of a simulated phone ([`draw`]): the same seed records the same field
//! work.

pub mod days;
pub mod device;
pub mod draw;
pub mod fieldwork;
pub mod names;
pub mod phone;
pub mod plan;
pub mod schedule;

pub use device::{Device, Recorded, RecordingTransport};
pub use phone::{run_phones, simulate, PhoneError, PhoneReport};
pub use plan::{PhonePlan, Place};

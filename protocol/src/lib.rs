//! Gõ Cửa's wire types and shared rules.
//!
//! Everything a phone uploads or downloads is defined here, together with the rules both sides
//! apply to it — validation, Vietnamese search folding, indicator arithmetic, the household merge
//! — so the phone and the server cannot disagree about them.

// The vocabularies cross the phone FFI as uniffi types of this crate (namespace `gocua_protocol`),
// only when the phone bindings ask for them (feature `uniffi`).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub mod assignment;
#[cfg(feature = "body")]
pub mod body;
pub mod calendar;
pub mod enrol_link;
pub mod enums;
pub mod fields;
pub mod format;
pub mod guide;
pub mod hlc;
#[cfg(feature = "import")]
pub mod import;
pub mod open_enum;
pub mod records;
pub mod reference;
pub mod reference_data;
pub mod tally;
pub mod text;
pub mod validation;
pub mod wire;

pub use assignment::{Assigner, Assignment, AssignmentTarget, Remaining};
pub use calendar::Calendar;
pub use enums::*;
pub use hlc::Hlc;
pub use records::*;
pub use reference::*;
pub use reference_data::ReferenceData;
pub use tally::{share_of_target, Share, Tally, TallyBuilder};
pub use validation::{ValidationCode, ValidationContext, ValidationError, ValidationErrors};
pub use wire::*;

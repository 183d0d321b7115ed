//! Where the tests record households: the seeded communes and hamlets as one value each, and a
//! phone's way to record a household at one of them.

use gocua_core::protocol::Household;

use crate::seed::*;
use crate::Device;

/// A commune and, when the household is in one, a hamlet of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub commune: &'static str,
    pub hamlet: Option<&'static str>,
}

impl Place {
    pub const fn at(commune: &'static str, hamlet: Option<&'static str>) -> Place {
        Place { commune, hamlet }
    }
}

/// Phường Bến Tre (team A), no hamlet.
pub const A1: Place = Place::at(COMMUNE_A1, None);
/// Phường Bến Tre (team A), Khu phố 1.
pub const A1_KP1: Place = Place::at(COMMUNE_A1, Some(HAMLET_A1_KP1));
/// Phường Bến Tre (team A), Khu phố 2.
pub const A1_KP2: Place = Place::at(COMMUNE_A1, Some(HAMLET_A1_KP2));
/// Phường Phú Khương (team A), Khu phố 3.
pub const A2_KP3: Place = Place::at(COMMUNE_A2, Some(HAMLET_A2_KP3));
/// Phường Phú Khương (team A), no hamlet.
pub const A2: Place = Place::at(COMMUNE_A2, None);
/// Xã Long Hồ (team B), Ấp Long Hoà.
pub const B1_AP1: Place = Place::at(COMMUNE_B1, Some(HAMLET_B1_AP1));

/// Recording a household at a [`Place`] on a phone.
pub trait HomeAt {
    /// A new household at `at` with head `head`, `address` and `members` people, recorded
    /// offline (not synced), as the phone stored it.
    fn home(&self, at: Place, head: &str, address: &str, members: u16) -> Household;
}

impl HomeAt for Device {
    fn home(&self, at: Place, head: &str, address: &str, members: u16) -> Household {
        self.household(at.commune, at.hamlet, head, address, members)
    }
}

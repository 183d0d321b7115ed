//! "Chưa đến" per hamlet, for the Households tab: every hamlet of the team's communes with how
//! many of its households the campaign running today has not reached, labelled here ("còn 12/40
//! hộ", the walk lists' words) so the apps only draw it.

use gocua_core::protocol::format::Lang;
use gocua_core::protocol::Remaining;

use crate::{FieldProfile, Result};

/// One hamlet and what is left of it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HamletLeftView {
    pub commune_code: String,
    pub hamlet_code: String,
    /// The hamlet's name.
    pub name: String,
    /// Its commune's name (hamlets of two communes may share a name).
    pub commune_name: String,
    /// Households of the hamlet, erased ones left out.
    pub households: u32,
    /// Those the campaign running today has not reached (any visit counts when none runs).
    pub not_visited: u32,
    /// "còn 12/40 hộ" / "12 of 40 households left", "đã đến hết 28 hộ", "chưa ghi hộ nào".
    pub left_label: String,
    /// Every known household reached.
    pub finished: bool,
}

#[uniffi::export]
impl FieldProfile {
    /// Each hamlet of the team's communes, in the reference data's order, with what is left of
    /// it in the campaign running today (the count beside `households_not_visited`). Offline.
    pub fn hamlets_left(&self, lang: Lang) -> Result<Vec<HamletLeftView>> {
        let store = self.store()?;
        let mut out = Vec::new();
        for commune_code in store.my_team()?.area_codes {
            let Some(commune) = store.area(&commune_code)? else {
                continue;
            };
            for hamlet in store.child_areas(&commune_code)? {
                let c = store.coverage(Some(&commune_code), Some(&hamlet.code))?;
                let left = Remaining::Hamlet {
                    left: c.not_visited,
                    known: c.households,
                };
                out.push(HamletLeftView {
                    commune_code: commune_code.clone(),
                    hamlet_code: hamlet.code,
                    name: hamlet.name,
                    commune_name: commune.name.clone(),
                    households: c.households,
                    not_visited: c.not_visited,
                    left_label: left.label(lang),
                    finished: left.finished(),
                });
            }
        }
        Ok(out)
    }
}

//! The areas picker of the team forms: the communes under the unit's area as checkboxes, grouped
//! (by district in a three-level list, else by kind: phường, xã, đặc khu), each commune's hamlets
//! folded under it; plus a box for other codes (a unit without an area has only the box). Plain
//! HTML: `<details>` folds, no script.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use gocua_protocol::{Area, AreaLevel};
use maud::{html, Markup};
use uuid::Uuid;

use super::Fields;
use crate::db::Sql;
use crate::domain::coordination as admin;
use crate::web::error::WebError;
use crate::web::i18n::Lang;
use crate::web::text::sort_key;

pub struct Commune {
    pub area: Area,
    pub hamlets: Vec<Area>,
}

pub struct Picker {
    /// The unit's area (code, name), when it has one.
    pub unit_area: Option<(String, String)>,
    /// (group title, communes), in order.
    pub groups: Vec<(String, Vec<Commune>)>,
    /// Codes ticked.
    pub checked: BTreeSet<String>,
    /// Codes not in the picker (typed, or areas the team had outside it), for the box.
    pub other: Vec<String>,
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

impl Picker {
    /// The picker for a team of `unit`, with `selected` ticked (codes outside it go to the box).
    pub fn load(sql: &mut dyn Sql, unit: Uuid, selected: &[String]) -> Result<Picker, WebError> {
        let unit_area = admin::unit_area(sql, unit)?;
        let areas = match &unit_area {
            Some((code, _)) => admin::areas_under(sql, code)?,
            None => Vec::new(),
        };
        let by_code: HashMap<&str, &Area> = areas.iter().map(|a| (a.code.as_str(), a)).collect();
        let mut hamlets: HashMap<&str, Vec<Area>> = HashMap::new();
        for a in areas.iter().filter(|a| a.level == AreaLevel::Hamlet) {
            if let Some(p) = &a.parent_code {
                hamlets.entry(p.as_str()).or_default().push(a.clone());
            }
        }
        let top = unit_area.as_ref().map(|(c, _)| c.as_str());
        let mut groups: BTreeMap<(String, String), Vec<Commune>> = BTreeMap::new();
        for a in areas.iter().filter(|a| a.level == AreaLevel::Commune) {
            // A commune's group: its district when it has one below the unit's area, else its kind.
            let parent = a
                .parent_code
                .as_deref()
                .filter(|p| Some(*p) != top)
                .and_then(|p| by_code.get(p));
            let title = match parent {
                Some(p) => p.name.clone(),
                None => capitalised(&a.division_type),
            };
            let mut own = hamlets.remove(a.code.as_str()).unwrap_or_default();
            own.sort_by_cached_key(|h| sort_key(&h.name));
            groups.entry(sort_key(&title)).or_default().push(Commune {
                area: a.clone(),
                hamlets: own,
            });
        }
        let groups: Vec<(String, Vec<Commune>)> = groups
            .into_iter()
            .map(|((_, title), mut communes)| {
                communes.sort_by_cached_key(|c| sort_key(&c.area.name));
                (title, communes)
            })
            .collect();
        let pickable: BTreeSet<&str> = groups
            .iter()
            .flat_map(|(_, cs)| cs.iter())
            .flat_map(|c| std::iter::once(&c.area).chain(c.hamlets.iter()))
            .map(|a| a.code.as_str())
            .collect();
        let mut checked = BTreeSet::new();
        let mut other = Vec::new();
        for code in selected {
            if pickable.contains(code.as_str()) {
                checked.insert(code.clone());
            } else if !other.contains(code) {
                other.push(code.clone());
            }
        }
        Ok(Picker {
            unit_area,
            groups,
            checked,
            other,
        })
    }

    /// The unit's own commune, when its area is one (a new team of a commune union starts there).
    pub fn own_commune(&self) -> Option<String> {
        let (code, _) = self.unit_area.as_ref()?;
        let single = self.groups.iter().flat_map(|(_, cs)| cs.iter()).count() == 1;
        self.groups
            .iter()
            .flat_map(|(_, cs)| cs.iter())
            .find(|c| &c.area.code == code)
            .filter(|_| single)
            .map(|c| c.area.code.clone())
    }

    pub fn render(&self, lang: Lang) -> Markup {
        let communes: usize = self.groups.iter().map(|(_, cs)| cs.len()).sum();
        let open_all = self.groups.len() == 1;
        html! {
            fieldset.areas {
                legend { (lang.pick("Địa bàn phụ trách", "Areas the team works in")) }
                @if let Some((_, name)) = &self.unit_area {
                    p.muted { (lang.pick_owned(
                        format!("Chọn xã, phường thuộc {name} mà đội phụ trách; nếu đội chỉ phụ trách một số thôn, ấp, khu phố thì mở xã và chọn từng thôn."),
                        format!("Tick the communes within {name} the team works in; if it covers only some hamlets, open the commune and tick them."))) }
                } @else {
                    p.muted { (lang.pick(
                        "Đơn vị này chưa gắn địa bàn: nhập mã địa bàn (mã xã, phường theo danh mục) vào ô dưới.",
                        "This unit has no area: type the area codes (communes' official codes) in the box below.")) }
                }
                @if communes == 0 && self.unit_area.is_some() {
                    p.notice { (lang.pick("Chưa có xã, phường nào dưới địa bàn này trong danh mục.", "The area list has no commune under this area.")) }
                }
                @for (title, list) in &self.groups {
                    @let ticked = list.iter().filter(|c| self.checked.contains(&c.area.code) || c.hamlets.iter().any(|h| self.checked.contains(&h.code))).count();
                    details.area-group open[open_all || ticked > 0] {
                        summary {
                            (title) " "
                            span.muted { "(" (list.len()) @if ticked > 0 { (lang.pick_owned(format!(", đã chọn {ticked}"), format!(", {ticked} ticked"))) } ")" }
                        }
                        ul.area-list {
                            @for c in list {
                                li {
                                    label.check {
                                        input type="checkbox" name="areas" value=(c.area.code) checked[self.checked.contains(&c.area.code)];
                                        (c.area.name)
                                    }
                                    @if !c.hamlets.is_empty() {
                                        @let some = c.hamlets.iter().any(|h| self.checked.contains(&h.code));
                                        details.hamlets open[some] {
                                            summary { (lang.pick_owned(format!("{} thôn, ấp, khu phố", c.hamlets.len()), format!("{} hamlet(s)", c.hamlets.len()))) }
                                            ul {
                                                @for h in &c.hamlets {
                                                    li { label.check {
                                                        input type="checkbox" name="areas" value=(h.code) checked[self.checked.contains(&h.code)];
                                                        (h.name)
                                                    } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                label {
                    (lang.pick("Mã địa bàn khác (cách nhau bởi dấu phẩy)", "Other area codes (comma separated)"))
                    input type="text" name="area_codes" value=(self.other.join(", ")) inputmode="text" autocomplete="off";
                }
            }
        }
    }
}

/// The codes a posted form chose: the ticked boxes and the typed ones.
pub fn posted(fields: &Fields) -> Vec<String> {
    let mut codes = fields.all("areas");
    codes.extend(
        fields
            .get("area_codes")
            .split([',', ';', ' ', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
    );
    codes
}

//! A volunteer's day, offline: enrol a profile from the real area list and starter catalogue,
//! record households (people and streets from `gocua_sim::names`), visits, a session and feedback
//! into an encrypted store, then show the queue and the day's counts. No server is involved.
//! Run: `cargo run -p gocua-sim --example field_day [DB_PATH]`.

use std::fs::File;
use std::sync::Arc;

use chrono::{Duration, Utc};
use gocua_core::protocol::import::{areas, services};
use gocua_core::protocol::text::fold;
use gocua_core::protocol::*;
use gocua_core::*;
use gocua_sim::fieldwork::knock;
use gocua_sim::names::{person_name, street_line};
use rand::rngs::StdRng;
use rand::SeedableRng;
use uuid::Uuid;

/// A file of the repository's `data/`.
fn data_file(name: &str) -> File {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data")
        .join(name);
    File::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("gocua-field-day.db"));
    let _ = std::fs::remove_file(&path);
    let key = StoreKey::generate();
    let store = Store::open(&path, &key, Arc::new(SystemClock))?;

    let all_areas = areas::parse_areas(data_file("vn-admin-units-2025-07.csv"))
        .map_err(|e| format!("{} area errors", e.len()))?;
    let catalogue = services::parse_services(data_file("services-starter.csv"))
        .map_err(|e| format!("{} service errors", e.len()))?;
    // Vĩnh Long (86), which since July 2025 includes the former Bến Tre province.
    let mut scope: Vec<Area> = all_areas
        .into_iter()
        .filter(|a| a.code == "86" || a.parent_code.as_deref() == Some("86"))
        .collect();
    let communes: Vec<String> = scope
        .iter()
        .filter(|a| a.name.contains("Bến Tre") || a.name.contains("Phú Tân"))
        .map(|a| a.code.clone())
        .collect();
    for (i, name) in ["Khu phố 1", "Khu phố 2", "Ấp Mỹ Hóa"].iter().enumerate() {
        scope.push(Area {
            code: format!("{}-H{}", communes[0], i + 1),
            name: (*name).into(),
            level: AreaLevel::Hamlet,
            division_type: "khu phố".into(),
            parent_code: Some(communes[0].clone()),
        });
    }
    let team = Team {
        id: Uuid::now_v7(),
        name: "Đội TNTN hỗ trợ DVC trực tuyến Phường Bến Tre".into(),
        org_unit_id: Uuid::now_v7(),
        area_codes: communes.clone(),
        members: vec![],
    };
    let today = Utc::now().date_naive();
    let campaign = Campaign {
        id: Uuid::now_v7(),
        name: "Đi từng ngõ, gõ từng nhà".into(),
        legal_reference: "241-KH/TĐTN-TCKT".into(),
        starts_on: today - Duration::days(10),
        ends_on: today + Duration::days(80),
        peak_windows: vec![],
        report_deadline: today + Duration::days(20),
    };
    store.apply_reference_data(
        &ReferenceData {
            areas: scope,
            teams: vec![team.clone()],
            services: catalogue,
            campaigns: vec![campaign],
            ..Default::default()
        },
        true,
    )?;
    store.set_profile(&DeviceProfile {
        volunteer_id: Uuid::now_v7(),
        volunteer_name: "Lê Thị Hoa".into(),
        team_id: team.id,
    })?;

    // The same five households every run.
    let mut rng = StdRng::seed_from_u64(2094);
    let names: Vec<String> = (0..5).map(|_| person_name(&mut rng)).collect();
    for (i, name) in names.iter().enumerate() {
        let h = store.create_household(&HouseholdDraft {
            draft_key: None,
            commune_code: communes[0].clone(),
            hamlet_code: Some(format!("{}-H{}", communes[0], i % 3 + 1)),
            address_line: street_line(&mut rng),
            head_name: name.clone(),
            phone: None,
            members: 3 + i as u16,
            consent: None,
        })?;
        let met = i != 3;
        store.record_visit(&VisitDraft {
            follow_up_on: (!met).then(|| today + Duration::days(2)),
            assists: if met {
                vec![AssistDraft {
                    service_key: "birth_registration".into(),
                    level_43: Some(Level43::Level4),
                    level_42: Some(Level42::ToanTrinh),
                    result: AssistResult::Submitted,
                    dossier_code: Some(format!("H29.88-{i:04}")),
                    not_finished_reason: None,
                }]
            } else {
                vec![]
            },
            ..knock(h.id, met)
        })?;
    }
    store.record_session(&SessionDraft {
        draft_key: None,
        campaign_id: None,
        kind: SessionKind::CommunityMeeting,
        area_code: format!("{}-H1", communes[0]),
        place: "Nhà văn hoá khu phố 1".into(),
        held_on: today,
        attendees: 35,
        materials: vec!["Tờ rơi VNeID".into()],
        note: None,
    })?;
    store.record_feedback(&FeedbackDraft {
        draft_key: None,
        source: FeedbackSource::General,
        category: FeedbackCategory::Devices,
        text: "Nhiều người cao tuổi chưa có điện thoại thông minh".into(),
        area_code: None,
    })?;

    let errors = store.create_household(&HouseholdDraft {
        draft_key: None,
        commune_code: "00070".into(),
        hamlet_code: None,
        address_line: String::new(),
        head_name: "Hộ ở Hà Nội".into(),
        phone: Some("0912345678".into()),
        members: 2,
        consent: None,
    });
    if let Err(e) = errors {
        println!("Từ chối đúng / rightly refused: {}", e.message_vi());
    }
    // Typed without diacritics, as on a phone keyboard in a hurry.
    let query = fold(&names[0]);
    let found = store.search_households(&query, None, None, 10)?;
    println!(
        "Tìm \"{query}\" → {:?}",
        found.iter().map(|h| &h.head_name).collect::<Vec<_>>()
    );
    let q = store.queue_status()?;
    println!(
        "Hàng chờ / queue: {} chờ gửi, {} bị từ chối",
        q.pending, q.rejected
    );
    let c = store.my_counts()?;
    println!("Hôm nay / today: {} lượt đến hộ, {} hộ gặp được, {} hồ sơ DVC, {} buổi tuyên truyền, {} người được tiếp cận", c.today.visits, c.today.households_visited, c.today.services_supported, c.today.sessions, c.today.people_reached);
    println!(
        "Hẹn quay lại / follow-ups due by {}: {}",
        today + Duration::days(2),
        store.follow_ups_due(today + Duration::days(2))?.len()
    );
    println!("Dữ liệu mã hoá tại / encrypted store at {}", path.display());
    Ok(())
}

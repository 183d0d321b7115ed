//! Shared fixtures for the core's integration tests: a store on a temporary file with a fixed
//! clock and a small, realistic slice of reference data (Vĩnh Long, formerly Bến Tre).
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gocua_core::protocol::*;
use gocua_core::*;
use tempfile::TempDir;
use uuid::Uuid;

pub const PROVINCE: &str = "86";
pub const COMMUNE: &str = "28789"; // Phường Bến Tre
pub const OTHER_COMMUNE: &str = "28756"; // a commune of the team too
pub const FOREIGN_COMMUNE: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội: not the team's
pub const HAMLET_A: &str = "28789-KP1";
pub const HAMLET_B: &str = "28789-KP2";

pub fn team_id() -> Uuid {
    Uuid::parse_str("0190f000-0000-7000-8000-000000000001").unwrap()
}
pub fn volunteer_id() -> Uuid {
    Uuid::parse_str("0190f000-0000-7000-8000-0000000000a1").unwrap()
}
pub fn campaign_id() -> Uuid {
    Uuid::parse_str("0190f000-0000-7000-8000-0000000000c1").unwrap()
}

/// 10 March 2026, 09:00 in Vietnam (UTC+7): inside Youth Month.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()
}

fn area(code: &str, name: &str, level: AreaLevel, division: &str, parent: Option<&str>) -> Area {
    Area {
        code: code.into(),
        name: name.into(),
        level,
        division_type: division.into(),
        parent_code: parent.map(Into::into),
    }
}

fn service(
    key: &str,
    code: Option<&str>,
    name_vi: &str,
    kind: ServiceKind,
    l42: Option<Level42>,
    l43: Option<Level43>,
) -> Service {
    Service {
        key: key.into(),
        code: code.map(Into::into),
        code_verified: code.is_some(),
        name_vi: name_vi.into(),
        name_en: key.replace('_', " "),
        authority: "UBND cấp xã".into(),
        kind,
        level_42: l42,
        level_43: l43,
        active: true,
    }
}

pub fn reference_data() -> ReferenceData {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    ReferenceData {
        areas: vec![
            area(PROVINCE, "Vĩnh Long", AreaLevel::Province, "tỉnh", None),
            area(
                COMMUNE,
                "Phường Bến Tre",
                AreaLevel::Commune,
                "phường",
                Some(PROVINCE),
            ),
            area(
                OTHER_COMMUNE,
                "Xã Phú Túc",
                AreaLevel::Commune,
                "xã",
                Some(PROVINCE),
            ),
            area(
                "01",
                "Thành phố Hà Nội",
                AreaLevel::Province,
                "thành phố trung ương",
                None,
            ),
            area(
                FOREIGN_COMMUNE,
                "Phường Hoàn Kiếm",
                AreaLevel::Commune,
                "phường",
                Some("01"),
            ),
            area(
                HAMLET_A,
                "Khu phố 1",
                AreaLevel::Hamlet,
                "khu phố",
                Some(COMMUNE),
            ),
            area(
                HAMLET_B,
                "Khu phố 2",
                AreaLevel::Hamlet,
                "khu phố",
                Some(COMMUNE),
            ),
        ],
        org_units: vec![],
        teams: vec![Team {
            id: team_id(),
            name: "Đội TNTN Phường Bến Tre".into(),
            org_unit_id: Uuid::now_v7(),
            area_codes: vec![COMMUNE.into(), OTHER_COMMUNE.into()],
            members: vec![TeamMember {
                id: volunteer_id(),
                name: "Lê Thị Hoa".into(),
                role: MemberRole::Member,
            }],
        }],
        services: vec![
            service(
                "birth_registration",
                Some("1.001193"),
                "Thủ tục đăng ký khai sinh",
                ServiceKind::Procedure,
                Some(Level42::ToanTrinh),
                Some(Level43::Level4),
            ),
            service(
                "permanent_residence",
                Some("1.004222"),
                "Đăng ký thường trú",
                ServiceKind::Procedure,
                Some(Level42::ToanTrinh),
                Some(Level43::Level4),
            ),
            service(
                "judicial_record",
                None,
                "Cấp phiếu lý lịch tư pháp",
                ServiceKind::Procedure,
                Some(Level42::MotPhan),
                Some(Level43::Level3),
            ),
            service(
                "vneid_level2_activation",
                None,
                "Kích hoạt tài khoản định danh điện tử VNeID mức độ 2",
                ServiceKind::VneidActivation,
                None,
                None,
            ),
        ],
        campaigns: vec![Campaign {
            id: campaign_id(),
            name: "Ra quân hỗ trợ dịch vụ công trực tuyến 2026".into(),
            legal_reference: "241-KH/TĐTN-TCKT".into(),
            starts_on: d(3, 1),
            ends_on: d(6, 30),
            peak_windows: vec![PeakWindow {
                name: "Tháng Thanh niên".into(),
                starts_on: d(3, 1),
                ends_on: d(3, 31),
            }],
            report_deadline: d(3, 31),
        }],
        targets: vec![
            Target {
                id: Uuid::now_v7(),
                campaign_id: campaign_id(),
                team_id: Some(team_id()),
                org_unit_id: None,
                indicator: Indicator::HouseholdsVisited,
                value: 200,
                starts_on: d(3, 1),
                ends_on: d(6, 30),
            },
            Target {
                id: Uuid::now_v7(),
                campaign_id: campaign_id(),
                team_id: Some(team_id()),
                org_unit_id: None,
                indicator: Indicator::ServicesSupported,
                value: 100,
                starts_on: d(3, 1),
                ends_on: d(6, 30),
            },
        ],
        achievements: vec![],
        time_zone: None,
        assignments: vec![],
        guides: vec![sample_guide()],
    }
}

/// The guide of `birth_registration` in [`reference_data`], still to be checked.
pub fn sample_guide() -> gocua_core::protocol::guide::ServiceGuide {
    gocua_core::protocol::guide::ServiceGuide {
        service_key: "birth_registration".into(),
        body: "## Đăng ký khai sinh\n\n1. Mang **giấy chứng sinh**\n2. Mở VNeID\n   - mức 2\n\nXem [Cổng](https://dichvucong.gov.vn).".into(),
        needs_check: true,
        updated_at: Utc.with_ymd_and_hms(2026, 3, 1, 18, 30, 0).unwrap(),
    }
}

pub struct Fixture {
    pub dir: TempDir,
    pub key: StoreKey,
    pub clock: Arc<ManualClock>,
    pub store: Store,
}

impl Fixture {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("profile.db")
    }

    pub fn reopen(&self) -> Store {
        Store::open(self.path(), &self.key, self.clock.clone()).expect("reopen")
    }

    /// The queue entry of record `id`, which must be in the queue.
    pub fn entry(&self, kind: &RecordKind, id: Uuid) -> QueueEntry {
        self.store.queue_entry(kind, id).unwrap().unwrap()
    }

    /// A household of [`household_draft`] headed by `name`, created on this store.
    pub fn household(&self, name: &str) -> Household {
        self.store.create_household(&household_draft(name)).unwrap()
    }
}

/// A fresh, enrolled store with reference data loaded.
pub fn fixture() -> Fixture {
    fixture_with_clock(start_time(), 7 * 60)
}

/// [`fixture`] on a phone whose clock reads `now` and whose own zone is `offset_minutes` from UTC.
pub fn fixture_with_clock(now: DateTime<Utc>, offset_minutes: i16) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let clock = Arc::new(ManualClock::new(now, offset_minutes));
    let store = Store::open(dir.path().join("profile.db"), &key, clock.clone()).unwrap();
    store.apply_reference_data(&reference_data(), true).unwrap();
    store
        .set_profile(&DeviceProfile {
            volunteer_id: volunteer_id(),
            volunteer_name: "Lê Thị Hoa".into(),
            team_id: team_id(),
        })
        .unwrap();
    Fixture {
        dir,
        key,
        clock,
        store,
    }
}

pub fn household_draft(name: &str) -> HouseholdDraft {
    HouseholdDraft {
        draft_key: None,
        commune_code: COMMUNE.into(),
        hamlet_code: Some(HAMLET_A.into()),
        address_line: "Số 12, đường Đồng Khởi".into(),
        head_name: name.into(),
        phone: None,
        members: 4,
        consent: None,
    }
}

pub fn visit_draft(household_id: Uuid) -> VisitDraft {
    VisitDraft {
        draft_key: None,
        household_id,
        campaign_id: None,
        started_at: None,
        ended_at: None,
        outcome: VisitOutcome::Met,
        people_reached: 3,
        gps: Some(GeoPoint {
            lat: 10.2415,
            lon: 106.3759,
            accuracy_m: 12.0,
        }),
        note: Some("Hướng dẫn cài VNeID cho con trai".into()),
        follow_up_on: None,
        assists: vec![
            AssistDraft {
                service_key: "birth_registration".into(),
                level_43: None,
                level_42: None,
                result: AssistResult::Submitted,
                dossier_code: Some("H29.88-260310-0001".into()),
                not_finished_reason: None,
            },
            AssistDraft {
                service_key: "vneid_level2_activation".into(),
                level_43: None,
                level_42: None,
                result: AssistResult::NotFinished,
                dossier_code: None,
                not_finished_reason: Some(NotFinishedReason::NoChipIdCard),
            },
        ],
        consent: None,
    }
}

/// The server's "accepted" on one change (no reason needed).
pub fn accepted(change: &Change) -> RecordResult {
    RecordResult::plain(change.id(), change.kind(), RecordStatus::Accepted)
}

/// The server's refusal of one change: its code, the reason in both languages and the field.
pub fn refused(change: &Change, code: &str, reason: (&str, &str), field: &str) -> RecordResult {
    RecordResult {
        code: Some(code.into()),
        message_vi: Some(reason.0.into()),
        message_en: Some(reason.1.into()),
        field: Some(field.into()),
        ..RecordResult::plain(change.id(), change.kind(), RecordStatus::Rejected)
    }
}

/// Takes the whole queue as one batch and settles it with `status` for every record, as a
/// server that answered that; returns the batch.
pub fn settle_all(store: &Store, status: RecordStatus) -> Vec<Change> {
    let batch = store.take_batch(1_000).unwrap();
    let results: Vec<RecordResult> = batch
        .iter()
        .map(|c| RecordResult::plain(c.id(), c.kind(), status.clone()))
        .collect();
    store.settle_batch(&results).unwrap();
    batch
}

/// A push's answer carrying `results`, with the server's clock at `now`.
pub fn push_answer(results: Vec<RecordResult>, now: DateTime<Utc>) -> PushResponse {
    PushResponse {
        results,
        server_time: now,
        server_hlc: Hlc {
            wall_ms: now.timestamp_millis(),
            ..Hlc::ZERO
        },
        generation: None,
    }
}

/// A pull's answer: all of `reference`, at `now`.
pub fn pull_answer(reference: ReferenceData, now: DateTime<Utc>) -> PullResponse {
    PullResponse {
        reference,
        cursor: "c1".into(),
        full: true,
        server_time: now,
        generation: None,
    }
}

/// A store in `dir` that was never enrolled: no profile, no reference data.
pub fn blank_store(dir: &TempDir) -> Store {
    Store::open(
        dir.path().join("p.db"),
        &StoreKey::generate(),
        Arc::new(SystemClock),
    )
    .unwrap()
}

/// The ids a paged search for `query` lists, `page_size` at a time, page after page; fails when
/// the pages list more than `at_most` (paging that does not end).
pub fn search_all_pages(store: &Store, query: &str, page_size: u32, at_most: usize) -> Vec<Uuid> {
    let (mut ids, mut after) = (Vec::new(), None::<String>);
    loop {
        let page = store
            .search_households_page(query, None, None, page_size, after.as_deref())
            .unwrap();
        ids.extend(page.items.iter().map(|h| h.id));
        assert!(ids.len() <= at_most, "paging ends");
        match page.next {
            Some(n) => after = Some(n),
            None => return ids,
        }
    }
}

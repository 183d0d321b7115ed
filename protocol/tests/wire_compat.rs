//! The wire format: what an older phone does with values from a newer server (and the reverse),
//! round trips of the sync messages, and the hybrid clock's text form.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

use gocua_protocol::*;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid")
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A visit as a newer phone would send it: an outcome and an assist result this version does not
/// know, and a reason this version does not know either.
fn visit_from_the_future() -> Value {
    json!({
        "kind": "visit",
        "record": {
            "id": "0190a1b2-0000-7000-8000-000000000001",
            "household_id": "0190a1b2-0000-7000-8000-000000000002",
            "volunteer_id": "0190a1b2-0000-7000-8000-000000000003",
            "team_id": "0190a1b2-0000-7000-8000-000000000004",
            "revision": 1,
            "started_at": "2025-03-08T02:30:00Z",
            "ended_at": "2025-03-08T02:45:00Z",
            "outcome": "met_by_video_call",
            "people_reached": 2,
            "gps": { "lat": 10.2415, "lon": 106.3759, "accuracy_m": 12.5 },
            "note": "Hộ ông Ba, ấp Phú Hưng",
            "follow_up_on": "2025-03-15",
            "assists": [
                {
                    "id": "0190a1b2-0000-7000-8000-000000000005",
                    "service_key": "birth_registration",
                    "level_42": "toan_trinh",
                    "result": "scheduled_at_one_stop_shop",
                    "not_finished_reason": "power_cut"
                },
                {
                    "id": "0190a1b2-0000-7000-8000-000000000006",
                    "service_key": "vneid_level2_activation",
                    "level_43": "5",
                    "result": "completed_online"
                }
            ],
            "recorded": { "utc": "2025-03-08T02:45:10Z", "offset_minutes": 420 },
            "hlc": "1741401910000-0-1f"
        }
    })
}

#[test]
fn unknown_enum_values_survive_a_round_trip() {
    let original = visit_from_the_future();
    let change: Change =
        serde_json::from_value(original.clone()).expect("a newer visit still parses");
    let Change::Visit(visit) = &change else {
        panic!("not a visit: {change:?}")
    };

    assert_eq!(
        visit.outcome,
        VisitOutcome::Unknown("met_by_video_call".into())
    );
    assert!(!visit.outcome.is_known());
    assert_eq!(
        visit.assists[0].result,
        AssistResult::Unknown("scheduled_at_one_stop_shop".into())
    );
    assert_eq!(
        visit.assists[0].not_finished_reason,
        Some(NotFinishedReason::Unknown("power_cut".into()))
    );
    assert_eq!(visit.assists[0].level_42, Some(Level42::ToanTrinh));
    assert_eq!(
        visit.assists[1].level_43,
        Some(Level43::Unknown("5".into()))
    );
    assert_eq!(visit.assists[1].result, AssistResult::CompletedOnline);
    assert_eq!(
        visit.hlc,
        Hlc {
            wall_ms: 1_741_401_910_000,
            counter: 0,
            node: 0x1f
        }
    );
    assert_eq!(change.kind(), RecordKind::Visit);
    assert_eq!(
        change.id(),
        "0190a1b2-0000-7000-8000-000000000001"
            .parse::<Uuid>()
            .unwrap()
    );

    // Written back exactly as received: same JSON, the unknown strings verbatim.
    let written = serde_json::to_value(&change).unwrap();
    assert_eq!(written, original);
    let text = serde_json::to_string(&change).unwrap();
    assert!(text.contains("\"outcome\":\"met_by_video_call\""), "{text}");
    assert!(
        text.contains("\"result\":\"scheduled_at_one_stop_shop\""),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Change>(&text).unwrap(), change);

    // An unknown value is a validation problem, not a parse failure: the server can answer with a
    // precise rejection instead of dropping the whole upload.
    let ctx = validation::ValidationContext::at(at(2025, 3, 8, 3, 0));
    let errors = validation::validate_visit(visit, &ctx).expect_err("unknown outcome");
    assert!(
        errors.has("outcome", ValidationCode::UnknownValue),
        "{errors}"
    );
    assert!(
        errors.has("assists[0].result", ValidationCode::UnknownValue),
        "{errors}"
    );
}

#[test]
fn change_is_tagged_with_kind_and_record() {
    let json = serde_json::to_value(Change::Feedback(feedback())).unwrap();
    assert_eq!(json["kind"], "feedback");
    assert_eq!(json["record"]["category"], "portal_issues");
    assert_eq!(
        json["record"]["source"],
        json!({ "type": "visit", "id": id(21).to_string() })
    );
    assert_eq!(json["record"]["hlc"], "1741401910000-3-1f");

    let unknown_kind = json!({ "kind": "photo", "record": {} });
    assert!(
        serde_json::from_value::<Change>(unknown_kind).is_err(),
        "an unknown record kind is an error, not a guess"
    );
}

fn household() -> Household {
    let stamp = Hlc {
        wall_ms: 1_741_401_900_000,
        counter: 0,
        node: 0x1f,
    };
    Household {
        id: id(1),
        commune_code: "28789".into(),
        hamlet_code: Some("28789-01".into()),
        address_line: "Số 12, ấp Phú Hưng".into(),
        head_name: "Nguyễn Văn Ba".into(),
        phone: Some("0912 345 678".into()),
        members: 4,
        consent: Some(Consent {
            given: true,
            method: ConsentMethod::Verbal,
            recorded_at: at(2025, 3, 8, 2, 30),
            recorded_by: id(3),
        }),
        erased: false,
        created_by: id(3),
        team_id: id(4),
        created: DeviceTime {
            utc: at(2025, 3, 8, 2, 30),
            offset_minutes: 420,
        },
        clocks: HouseholdClocks {
            members: Hlc {
                counter: 2,
                ..stamp
            },
            ..HouseholdClocks::all(stamp)
        },
    }
}

fn visit() -> Visit {
    Visit {
        id: id(21),
        household_id: id(1),
        volunteer_id: id(3),
        team_id: id(4),
        campaign_id: Some(id(30)),
        revision: 2,
        supersedes: Some(id(20)),
        started_at: at(2025, 3, 8, 2, 30),
        ended_at: None,
        outcome: VisitOutcome::Met,
        people_reached: 3,
        gps: None,
        note: None,
        follow_up_on: Some(date(2025, 3, 20)),
        assists: vec![Assist {
            id: id(22),
            service_key: "birth_bundle_under6".into(),
            level_43: Some(Level43::Level4),
            level_42: Some(Level42::ToanTrinh),
            result: AssistResult::Submitted,
            dossier_code: Some("G22.86-250308-0001".into()),
            not_finished_reason: None,
        }],
        recorded: DeviceTime {
            utc: at(2025, 3, 8, 2, 45),
            offset_minutes: 420,
        },
        hlc: Hlc {
            wall_ms: 1_741_401_910_000,
            counter: 1,
            node: 0x1f,
        },
    }
}

fn session() -> OutreachSession {
    OutreachSession {
        id: id(40),
        team_id: id(4),
        volunteer_id: id(3),
        campaign_id: None,
        kind: SessionKind::CommunityMeeting,
        area_code: "28789-01".into(),
        place: "Nhà văn hoá ấp Phú Hưng".into(),
        held_on: date(2025, 3, 9),
        attendees: 35,
        materials: vec!["Tờ rơi VNeID".into()],
        note: Some("Họp tổ nhân dân tự quản".into()),
        recorded: DeviceTime {
            utc: at(2025, 3, 9, 12, 0),
            offset_minutes: 420,
        },
        hlc: Hlc {
            wall_ms: 1_741_521_600_000,
            counter: 0,
            node: 0x1f,
        },
    }
}

fn feedback() -> Feedback {
    Feedback {
        id: id(50),
        team_id: id(4),
        volunteer_id: id(3),
        source: FeedbackSource::Visit(id(21)),
        category: FeedbackCategory::PortalIssues,
        text: "Cổng DVC báo lỗi khi thanh toán lệ phí.".into(),
        area_code: Some("28789".into()),
        recorded: DeviceTime {
            utc: at(2025, 3, 8, 2, 50),
            offset_minutes: 420,
        },
        hlc: Hlc {
            wall_ms: 1_741_401_910_000,
            counter: 3,
            node: 0x1f,
        },
    }
}

fn round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn push_request_round_trips() {
    let request = PushRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: id(99),
        changes: vec![
            Change::Household(household()),
            Change::Visit(visit()),
            Change::OutreachSession(session()),
            Change::Feedback(Feedback {
                source: FeedbackSource::General,
                ..feedback()
            }),
        ],
    };
    assert_eq!(round_trip(&request), request);
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["protocol_version"], 1);
    let kinds: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["household", "visit", "outreach_session", "feedback"]
    );
    assert_eq!(
        json["changes"][0]["record"]["clocks"]["members"],
        "1741401900000-2-1f"
    );
    assert_eq!(
        json["changes"][3]["record"]["source"],
        json!({ "type": "general" })
    );
    // Absent optional fields are left out rather than written as null.
    assert!(json["changes"][1]["record"].get("gps").is_none());
}

#[test]
fn push_response_round_trips() {
    let response = PushResponse {
        results: vec![
            RecordResult {
                id: id(1),
                kind: RecordKind::Household,
                status: RecordStatus::Accepted,
                code: None,
                message_vi: None,
                message_en: None,
                field: None,
            },
            RecordResult {
                id: id(21),
                kind: RecordKind::Visit,
                status: RecordStatus::Rejected,
                code: Some("outside_team_area".into()),
                message_vi: Some("Địa bàn này không thuộc phạm vi phụ trách của đội.".into()),
                message_en: Some("This area is outside your team's areas.".into()),
                field: Some("area_code".into()),
            },
            RecordResult {
                id: id(40),
                kind: RecordKind::Unknown("photo".into()),
                status: RecordStatus::Unknown("quarantined".into()),
                code: None,
                message_vi: None,
                message_en: None,
                field: None,
            },
        ],
        server_time: at(2025, 3, 8, 9, 0),
        server_hlc: Hlc {
            wall_ms: 1_741_424_400_000,
            counter: 7,
            node: 0,
        },
        generation: None,
    };
    assert_eq!(round_trip(&response), response);
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(json["results"][1]["status"], "rejected");
    assert_eq!(json["results"][2]["status"], "quarantined");
    assert_eq!(json["server_hlc"], "1741424400000-7-0");
    assert!(json["results"][0].get("code").is_none());
}

#[test]
fn pull_round_trips_with_reference_data() {
    let services = vec![Service {
        key: "birth_registration".into(),
        code: Some("1.001193".into()),
        code_verified: true,
        name_vi: "Thủ tục đăng ký khai sinh".into(),
        name_en: "Birth registration".into(),
        authority: "UBND cấp xã".into(),
        kind: ServiceKind::Procedure,
        level_42: Some(Level42::ToanTrinh),
        level_43: None,
        active: true,
    }];
    let response = PullResponse {
        reference: ReferenceData {
            areas: vec![
                Area {
                    code: "86".into(),
                    name: "Vĩnh Long".into(),
                    level: AreaLevel::Province,
                    division_type: "tỉnh".into(),
                    parent_code: None,
                },
                Area {
                    code: "28789-01".into(),
                    name: "Ấp Phú Hưng".into(),
                    level: AreaLevel::Hamlet,
                    division_type: "ấp".into(),
                    parent_code: Some("28789".into()),
                },
            ],
            org_units: vec![OrgUnit {
                id: id(60),
                name: "Đoàn phường Bến Tre".into(),
                kind: OrgUnitKind::CommuneUnion,
                parent_id: Some(id(61)),
                area_code: Some("28789".into()),
            }],
            teams: vec![Team {
                id: id(4),
                name: "Tổ công nghệ số cộng đồng ấp Phú Hưng".into(),
                org_unit_id: id(60),
                area_codes: vec!["28789-01".into()],
                members: vec![TeamMember {
                    id: id(3),
                    name: "Lê Thị Cúc".into(),
                    role: MemberRole::Leader,
                }],
            }],
            services,
            campaigns: vec![Campaign {
                id: id(30),
                name: "Tháng Thanh niên 2025".into(),
                legal_reference: "241-KH/TĐTN-TCKT".into(),
                starts_on: date(2025, 3, 1),
                ends_on: date(2025, 3, 31),
                peak_windows: vec![PeakWindow {
                    name: "Ngày thứ Bảy tình nguyện".into(),
                    starts_on: date(2025, 3, 8),
                    ends_on: date(2025, 3, 9),
                }],
                report_deadline: date(2025, 3, 31),
            }],
            targets: vec![Target {
                id: id(70),
                campaign_id: id(30),
                team_id: Some(id(4)),
                org_unit_id: None,
                indicator: Indicator::VneidActivations,
                value: 120,
                starts_on: date(2025, 3, 1),
                ends_on: date(2025, 3, 31),
            }],
            achievements: vec![TargetAchievement {
                target_id: id(70),
                achieved: 57,
                as_of: at(2025, 3, 8, 9, 0),
            }],
            time_zone: Some("Asia/Ho_Chi_Minh".into()),
            assignments: vec![],
            guides: vec![gocua_protocol::guide::ServiceGuide {
                service_key: "birth_registration".into(),
                body: "## Khai sinh\n\n- Giấy chứng sinh".into(),
                needs_check: true,
                updated_at: at(2025, 3, 8, 9, 0),
            }],
        },
        cursor: "c-000123".into(),
        full: true,
        server_time: at(2025, 3, 8, 9, 0),
        generation: None,
    };
    assert_eq!(round_trip(&response), response);

    // An old server's answer without newer parts still parses (every list defaults to empty).
    let minimal: PullResponse =
        serde_json::from_value(json!({ "reference": {}, "cursor": "", "full": false, "server_time": "2025-03-08T09:00:00Z" }))
            .unwrap();
    assert!(minimal.reference.areas.is_empty() && minimal.reference.achievements.is_empty());
    assert!(minimal.reference.guides.is_empty());

    let request = PullRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: id(99),
        cursor: Some("c-000123".into()),
    };
    assert_eq!(round_trip(&request), request);
}

#[test]
fn hlc_text_form() {
    let h = Hlc {
        wall_ms: 1_732_500_000_123,
        counter: 4,
        node: 0xdead_beef,
    };
    assert_eq!(h.to_string(), "1732500000123-4-deadbeef");
    assert_eq!(
        serde_json::to_string(&h).unwrap(),
        "\"1732500000123-4-deadbeef\""
    );
    assert_eq!(
        serde_json::from_str::<Hlc>("\"1732500000123-4-deadbeef\"").unwrap(),
        h
    );
    assert_eq!(Hlc::ZERO.to_string(), "0-0-0");
    for bad in ["", "1-2", "1-2-zz", "a-2-3", "1-2-3-4", "1--3", "\"\""] {
        assert!(bad.parse::<Hlc>().is_err(), "{bad:?} should not parse");
    }
    assert!(serde_json::from_str::<Hlc>("12").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hlc_text_round_trips(wall_ms in any::<i64>(), counter in any::<u32>(), node in any::<u32>()) {
        let h = Hlc { wall_ms, counter, node };
        prop_assert_eq!(h.to_string().parse::<Hlc>(), Ok(h));
        let json = serde_json::to_string(&h).unwrap();
        prop_assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), h);
    }

    #[test]
    fn hlc_text_never_panics(s in "\\PC{0,40}|[0-9-]{0,30}|-?[0-9]{1,20}-[0-9]{1,11}-[0-9a-fA-F]{1,9}") {
        let _ = s.parse::<Hlc>();
    }
}

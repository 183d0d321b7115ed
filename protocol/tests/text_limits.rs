//! Limits on what text and lists a record may hold (issue 14, item 11): hidden and control
//! characters are refused in every text field, line breaks only outside notes and feedback; a
//! session lists at most `MAX_MATERIALS_PER_SESSION` materials. One rule, used by the phone and
//! the server alike.

use chrono::NaiveDate;
use uuid::Uuid;

use gocua_protocol::validation::{
    forbidden_char, validate_feedback, validate_household, validate_session, validate_visit,
    ValidationContext, ValidationErrors, MAX_MATERIALS_PER_SESSION,
};
use gocua_protocol::*;

mod common;
use common::{now, recorded};

fn household(name: &str, address: &str) -> Household {
    Household {
        id: Uuid::now_v7(),
        commune_code: "28789".into(),
        hamlet_code: None,
        address_line: address.into(),
        head_name: name.into(),
        phone: None,
        members: 3,
        consent: None,
        erased: false,
        created_by: Uuid::now_v7(),
        team_id: Uuid::now_v7(),
        created: recorded(),
        clocks: HouseholdClocks::default(),
    }
}

fn session(place: &str, materials: Vec<String>, note: Option<&str>) -> OutreachSession {
    OutreachSession {
        id: Uuid::now_v7(),
        team_id: Uuid::now_v7(),
        volunteer_id: Uuid::now_v7(),
        campaign_id: None,
        kind: SessionKind::CommunityMeeting,
        area_code: "28789".into(),
        place: place.into(),
        held_on: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        attendees: 30,
        materials,
        note: note.map(Into::into),
        recorded: recorded(),
        hlc: Hlc::ZERO,
    }
}

fn visit(note: &str) -> Visit {
    Visit {
        started_at: now(),
        note: Some(note.into()),
        ..common::visit()
    }
}

fn feedback(text: &str) -> Feedback {
    Feedback {
        id: Uuid::now_v7(),
        team_id: Uuid::now_v7(),
        volunteer_id: Uuid::now_v7(),
        source: FeedbackSource::General,
        category: FeedbackCategory::PortalIssues,
        text: text.into(),
        area_code: None,
        recorded: recorded(),
        hlc: Hlc::ZERO,
    }
}

fn ctx() -> ValidationContext<'static> {
    ValidationContext::at(now())
}

fn only(errors: Result<(), ValidationErrors>) -> (String, ValidationCode) {
    let errors = errors.expect_err("refused");
    assert_eq!(errors.0.len(), 1, "exactly one problem: {errors}");
    let e = &errors.0[0];
    assert!(!e.message_vi.is_empty() && !e.message_en.is_empty());
    (e.field.clone(), e.code)
}

/// Every character the rule is about, by name.
const HIDDEN: &[(char, &str)] = &[
    ('\u{0}', "NUL"),
    ('\u{1b}', "ESC"),
    ('\u{7f}', "DEL"),
    ('\u{85}', "NEL (C1 control)"),
    ('\u{202A}', "LRE"),
    ('\u{202B}', "RLE"),
    ('\u{202C}', "PDF"),
    ('\u{202D}', "LRO"),
    ('\u{202E}', "RLO"),
    ('\u{2066}', "LRI"),
    ('\u{2067}', "RLI"),
    ('\u{2068}', "FSI"),
    ('\u{2069}', "PDI"),
    ('\u{200E}', "LRM"),
    ('\u{200F}', "RLM"),
    ('\u{061C}', "ALM"),
];

#[test]
fn hidden_and_control_characters_are_refused_in_names_and_addresses() {
    for (c, name) in HIDDEN {
        let spoofed = format!("Nguyễn Văn{c} Hùng");
        assert_eq!(
            only(validate_household(
                &household(&spoofed, "12 Hùng Vương"),
                &ctx()
            )),
            ("head_name".into(), ValidationCode::InvalidCharacter),
            "{name} in a name"
        );
        assert_eq!(
            only(validate_household(
                &household("Nguyễn Văn Hùng", &spoofed),
                &ctx()
            )),
            ("address_line".into(), ValidationCode::InvalidCharacter),
            "{name} in an address"
        );
        assert_eq!(
            only(validate_session(
                &session("Nhà văn hoá", vec!["Tờ rơi".into(), spoofed.clone()], None),
                &ctx()
            )),
            ("materials[1]".into(), ValidationCode::InvalidCharacter),
            "{name} in a material's name"
        );
        assert_eq!(
            only(validate_visit(&visit(&spoofed), &ctx())),
            ("note".into(), ValidationCode::InvalidCharacter),
            "{name} in a note"
        );
        assert_eq!(
            only(validate_feedback(&feedback(&spoofed), &ctx())),
            ("text".into(), ValidationCode::InvalidCharacter),
            "{name} in feedback"
        );
    }
    // A name of nothing but a NUL is not "empty" either: it is refused for the character.
    assert_eq!(
        only(validate_household(&household("\u{0}", ""), &ctx())),
        ("head_name".into(), ValidationCode::InvalidCharacter)
    );
}

#[test]
fn line_breaks_belong_to_notes_and_feedback_only() {
    for c in ['\n', '\r', '\t', '\u{2028}', '\u{2029}'] {
        assert!(forbidden_char(c, false), "{c:?} in a one-line field");
        assert!(!forbidden_char(c, true), "{c:?} in a note");
    }
    assert_eq!(
        only(validate_household(
            &household("Nguyễn\nVăn Hùng", ""),
            &ctx()
        )),
        ("head_name".into(), ValidationCode::InvalidCharacter)
    );
    assert_eq!(
        only(validate_session(
            &session("Nhà\tvăn hoá", vec![], None),
            &ctx()
        )),
        ("place".into(), ValidationCode::InvalidCharacter)
    );
    validate_visit(&visit("Hẹn quay lại.\nMang theo CCCD."), &ctx())
        .expect("a note may span lines");
    validate_feedback(&feedback("Cổng lỗi.\r\n\tThanh toán không được."), &ctx())
        .expect("feedback may span lines");
    validate_session(
        &session("Nhà văn hoá", vec![], Some("Dòng 1\nDòng 2")),
        &ctx(),
    )
    .expect("a session's note may span lines");
}

#[test]
fn ordinary_vietnamese_text_passes() {
    for name in [
        "Nguyễn Thị Hoà",
        "Đặng Văn Ất",
        "Trương Thị Ngọc Ánh (bà Tư)",
        "H'Hen Niê",
        "Lê-Nguyễn Quỳnh",
        "👵 bà Năm",
    ] {
        validate_household(&household(name, "Ấp Phú Hưng, tổ 3 – số 12/4"), &ctx())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // Zero-width joiners inside emoji are formatting, not direction controls.
    assert!(!forbidden_char('\u{200D}', false));
    assert!(!forbidden_char(' ', false));
    assert!(!forbidden_char('\u{a0}', false));
}

#[test]
fn a_session_lists_a_bounded_number_of_materials() {
    let at_limit = vec!["Tờ rơi VNeID".to_owned(); MAX_MATERIALS_PER_SESSION];
    validate_session(&session("Nhà văn hoá", at_limit, None), &ctx()).expect("at the limit");
    for n in [MAX_MATERIALS_PER_SESSION + 1, 200_000] {
        let many = vec!["Tờ rơi VNeID".to_owned(); n];
        let errors = validate_session(&session("Nhà văn hoá", many, None), &ctx())
            .expect_err("too many materials");
        // One problem for the list, not one per entry.
        assert_eq!(errors.0.len(), 1, "{errors}");
        let e = errors.first();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("materials", ValidationCode::TooManyItems)
        );
        assert_eq!(e.code.as_str(), "too_many_items");
        assert!(e.message_vi.contains("tài liệu"), "{}", e.message_vi);
        assert!(e
            .message_en
            .contains(&MAX_MATERIALS_PER_SESSION.to_string()));
    }
}

#[test]
fn the_new_codes_travel_as_snake_case() {
    for (code, text) in [
        (ValidationCode::TooManyItems, "too_many_items"),
        (ValidationCode::InvalidCharacter, "invalid_character"),
    ] {
        assert_eq!(code.as_str(), text);
        assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(text));
    }
}

//! Every field a validation problem can name has a real label in both languages
//! (`gocua_protocol::fields`), and the form rules validation uses are the ones the apps call.

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use gocua_protocol::validation::{
    validate_feedback, validate_household, validate_session, validate_visit, ValidationContext,
    ValidationErrors,
};
use gocua_protocol::*;

mod common;
use common::{now, recorded};

fn area(code: &str, level: AreaLevel, parent: Option<&str>) -> Area {
    Area::bare(code, level, parent)
}

/// Birth registration, guided only: an assist with nothing else to give.
fn guided_birth_registration() -> Assist {
    Assist {
        id: Uuid::now_v7(),
        service_key: "birth_registration".into(),
        level_43: None,
        level_42: None,
        result: AssistResult::GuidedOnly,
        dossier_code: None,
        not_finished_reason: None,
    }
}

fn tree() -> AreaTree {
    let areas = [
        area("86", AreaLevel::Province, None),
        area("28789", AreaLevel::Commune, Some("86")),
        area("28756", AreaLevel::Commune, Some("86")),
        area("28789-KP1", AreaLevel::Hamlet, Some("28789")),
        area("28756-A1", AreaLevel::Hamlet, Some("28756")),
    ];
    AreaTree::new(areas.iter())
}

fn service() -> Service {
    Service {
        key: "birth_registration".into(),
        code: None,
        code_verified: false,
        name_vi: "Đăng ký khai sinh".into(),
        name_en: "Birth registration".into(),
        authority: "UBND cấp xã".into(),
        kind: ServiceKind::Procedure,
        level_42: None,
        level_43: None,
        active: true,
    }
}

fn fields_of(result: Result<(), ValidationErrors>) -> Vec<String> {
    result
        .expect_err("the record is invalid")
        .0
        .into_iter()
        .map(|e| e.field)
        .collect()
}

fn household(commune: &str, hamlet: Option<&str>) -> Household {
    Household {
        id: Uuid::nil(),
        commune_code: commune.into(),
        hamlet_code: hamlet.map(Into::into),
        address_line: "x".repeat(500),
        head_name: " ".into(),
        phone: Some("not a phone".into()),
        members: 0,
        consent: Some(Consent {
            given: false,
            method: ConsentMethod::Unknown("telepathy".into()),
            recorded_at: now(),
            recorded_by: Uuid::nil(),
        }),
        erased: false,
        created_by: Uuid::nil(),
        team_id: Uuid::nil(),
        created: recorded(),
        clocks: HouseholdClocks::default(),
    }
}

fn bad_assist(id: Uuid) -> Assist {
    Assist {
        id,
        service_key: " ".into(),
        level_43: Some(Level43::Unknown("9".into())),
        level_42: Some(Level42::Unknown("all".into())),
        result: AssistResult::Unknown("teleported".into()),
        dossier_code: Some("mã hồ sơ!".into()),
        not_finished_reason: Some(NotFinishedReason::NoInternet),
    }
}

/// Every field name validation produced, from records built to break every rule.
fn produced_fields() -> BTreeSet<String> {
    let tree = tree();
    let services = [service()];
    let catalogue = catalogue_by_key(&services);
    let scope = vec!["28789".to_owned()];
    let ctx = ValidationContext {
        services: Some(&catalogue),
        areas: Some(&tree),
        team: Some((Uuid::now_v7(), &scope)),
        ..ValidationContext::at(now())
    };
    let mut fields = BTreeSet::new();

    fields.extend(fields_of(validate_household(&household("", None), &ctx)));
    fields.extend(fields_of(validate_household(
        &household("28789", Some("28756-A1")),
        &ctx,
    )));
    fields.extend(fields_of(validate_household(
        &household("28789", Some("nowhere")),
        &ctx,
    )));

    let same = Uuid::now_v7();
    let mut unknown_service = bad_assist(Uuid::now_v7());
    unknown_service.service_key = "teleportation".into();
    let visit = Visit {
        id: Uuid::nil(),
        household_id: Uuid::nil(),
        volunteer_id: Uuid::nil(),
        team_id: Uuid::nil(),
        campaign_id: None,
        revision: 0,
        supersedes: None,
        started_at: Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap(),
        ended_at: Some(Utc.with_ymd_and_hms(2018, 1, 1, 0, 0, 0).unwrap()),
        outcome: VisitOutcome::Unknown("abducted".into()),
        people_reached: 51,
        gps: Some(GeoPoint {
            lat: 100.0,
            lon: 0.0,
            accuracy_m: 1.0,
        }),
        note: Some("x".repeat(5_000)),
        follow_up_on: NaiveDate::from_ymd_opt(2018, 1, 1),
        assists: vec![
            bad_assist(Uuid::nil()),
            bad_assist(same),
            bad_assist(same),
            unknown_service,
        ],
        recorded: recorded(),
        hlc: Hlc::ZERO,
    };
    fields.extend(fields_of(validate_visit(&visit, &ctx)));

    let session = OutreachSession {
        id: Uuid::nil(),
        team_id: Uuid::nil(),
        volunteer_id: Uuid::nil(),
        campaign_id: None,
        kind: SessionKind::Unknown("rave".into()),
        area_code: " ".into(),
        place: " ".into(),
        held_on: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
        attendees: 1_000_000,
        materials: vec!["x".repeat(500)],
        note: Some("x".repeat(5_000)),
        recorded: recorded(),
        hlc: Hlc::ZERO,
    };
    fields.extend(fields_of(validate_session(&session, &ctx)));
    let crowded = OutreachSession {
        materials: vec!["Tờ rơi".into(); validation::MAX_MATERIALS_PER_SESSION + 1],
        ..session
    };
    fields.extend(fields_of(validate_session(&crowded, &ctx)));

    let feedback = Feedback {
        id: Uuid::nil(),
        team_id: Uuid::nil(),
        volunteer_id: Uuid::nil(),
        source: FeedbackSource::General,
        category: FeedbackCategory::Unknown("gossip".into()),
        text: " ".into(),
        area_code: Some("nowhere".into()),
        recorded: recorded(),
        hlc: Hlc::ZERO,
    };
    fields.extend(fields_of(validate_feedback(&feedback, &ctx)));
    fields
}

#[test]
fn every_field_validation_names_has_a_label() {
    let fields = produced_fields();
    // The battery above really reaches every kind of field.
    for expected in [
        "id",
        "created_by",
        "team_id",
        "commune_code",
        "hamlet_code",
        "head_name",
        "address_line",
        "members",
        "phone",
        "consent.method",
        "consent.recorded_by",
        "household_id",
        "volunteer_id",
        "revision",
        "outcome",
        "started_at",
        "ended_at",
        "people_reached",
        "assists",
        "gps",
        "note",
        "follow_up_on",
        "assists[0].id",
        "assists[2].id",
        "assists[0].service_key",
        "assists[3].service_key",
        "assists[0].level_43",
        "assists[0].level_42",
        "assists[0].result",
        "assists[0].not_finished_reason",
        "assists[1].dossier_code",
        "kind",
        "area_code",
        "place",
        "held_on",
        "attendees",
        "materials[0]",
        "materials",
        "category",
        "text",
    ] {
        assert!(
            fields.contains(expected),
            "{expected} not produced: {fields:?}"
        );
    }
    for field in &fields {
        assert!(fields::is_known(field), "{field} has no label");
        let (vi, en) = fields::label(field);
        assert_ne!(&vi, field);
        assert_ne!(&en, field);
    }
    // The app's own fields and the server's refusals.
    for field in ["code", "server_url", "device_id", "supersedes", "record_id"] {
        assert!(fields::is_known(field), "{field} has no label");
    }
}

#[test]
fn form_rules_are_the_ones_validation_applies() {
    let tree = tree();
    let services = [service()];
    let catalogue = catalogue_by_key(&services);
    let ctx = ValidationContext {
        services: Some(&catalogue),
        areas: Some(&tree),
        ..ValidationContext::at(now())
    };
    for outcome in VisitOutcome::KNOWN {
        for result in AssistResult::KNOWN {
            let assist = Assist {
                id: Uuid::now_v7(),
                service_key: "birth_registration".into(),
                level_43: None,
                level_42: None,
                result: result.clone(),
                dossier_code: result.needs_dossier_code().then(|| "H29-0001".to_owned()),
                not_finished_reason: result
                    .needs_reason()
                    .then_some(NotFinishedReason::NoInternet),
            };
            let visit = Visit {
                outcome: outcome.clone(),
                people_reached: outcome.default_people_reached(),
                assists: if outcome.allows_assists() {
                    vec![assist]
                } else {
                    vec![]
                },
                ..common::visit()
            };
            // A form that follows the rules is valid.
            assert_eq!(validate_visit(&visit, &ctx), Ok(()), "{outcome} {result}");
            // Breaking each rule is a problem on the field the rule is about.
            let mut wrong_people = visit.clone();
            wrong_people.people_reached = u16::from(!outcome.reaches_people());
            assert!(validate_visit(&wrong_people, &ctx)
                .unwrap_err()
                .0
                .iter()
                .any(|e| e.field == "people_reached"));
            if let Some(a) = visit.assists.first() {
                let mut no_code = visit.clone();
                no_code.assists[0].dossier_code = None;
                assert_eq!(
                    validate_visit(&no_code, &ctx).is_err(),
                    a.result.needs_dossier_code()
                );
                let mut flipped_reason = visit.clone();
                flipped_reason.assists[0].not_finished_reason = if a.result.needs_reason() {
                    None
                } else {
                    Some(NotFinishedReason::Other)
                };
                assert!(
                    validate_visit(&flipped_reason, &ctx)
                        .unwrap_err()
                        .has("assists[0].not_finished_reason", ValidationCode::Required)
                        || !a.result.needs_reason()
                );
            } else {
                let mut with_assist = visit.clone();
                with_assist.assists = vec![guided_birth_registration()];
                assert!(validate_visit(&with_assist, &ctx)
                    .unwrap_err()
                    .has("assists", ValidationCode::Inconsistent));
            }
        }
    }
    assert_eq!(VisitOutcome::Met.default_people_reached(), 1);
    assert_eq!(VisitOutcome::NotHome.default_people_reached(), 0);
    assert!(!VisitOutcome::Unknown("x".into()).reaches_people());
    assert!(AssistResult::Submitted.needs_dossier_code());
    assert!(!AssistResult::CompletedOnline.needs_dossier_code());
    assert!(AssistResult::NotFinished.needs_reason());
    assert!(!AssistResult::GuidedOnly.needs_reason());
}

#[test]
fn a_refused_service_is_named_never_shown_by_its_key() {
    let tree = tree();
    let mut withdrawn = service();
    withdrawn.active = false;
    for (services, vi_name) in [(vec![withdrawn], Some("Đăng ký khai sinh")), (vec![], None)] {
        let catalogue = catalogue_by_key(&services);
        let ctx = ValidationContext {
            services: Some(&catalogue),
            areas: Some(&tree),
            ..ValidationContext::at(now())
        };
        // Met, one person reached.
        let visit = Visit {
            assists: vec![guided_birth_registration()],
            ..common::visit()
        };
        let errors = validate_visit(&visit, &ctx).unwrap_err();
        let problem = errors
            .0
            .iter()
            .find(|p| p.field == "assists[0].service_key")
            .expect("the service is refused");
        assert_eq!(problem.code, ValidationCode::UnknownService);
        for message in [&problem.message_vi, &problem.message_en] {
            assert!(!message.contains("birth_registration"), "{message}");
        }
        if let Some(name) = vi_name {
            assert!(problem.message_vi.contains(name), "{}", problem.message_vi);
        }
    }
}

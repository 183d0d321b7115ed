//! Property tests of the shared rules: text folding and search, the household merge, validation.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use gocua_protocol::text::{fold, matches_query};
use gocua_protocol::validation::{
    validate_household, validate_visit, ValidationCode, ValidationContext,
};
use gocua_protocol::*;

// ---- text ----------------------------------------------------------------------------------

/// Characters that stress folding: Vietnamese letters in both cases, đ/Đ, combining marks on their
/// own, other scripts with tricky case mappings (İ lower-cases to i + combining dot), digits,
/// punctuation and all sorts of spaces.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(
            "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
                .chars()
                .collect::<Vec<_>>()
        ),
        prop::sample::select(vec![
            '\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{302}', '\u{306}', '\u{31b}', 'İ', 'ı', 'ß', 'ẞ',
            'ǅ', 'Σ', 'ς', 'Ω', 'K', 'Å', 'ﬁ', 'Ⅻ', '²', '١', '中', '\u{a0}', '\u{2003}', '\t', '\n', ' ', ' ', '-',
            ',', '.', '/', '\'', '"', '0', '7', '9', 'ð', 'Ɖ', '\u{feff}', '\u{200b}',
        ]),
        any::<char>(),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    vec(tricky_char(), 0..40).prop_map(|cs| cs.into_iter().collect())
}

/// (with diacritics, without) — written by hand, not derived from `fold`.
const SYLLABLES: &[(&str, &str)] = &[
    ("Nguyễn", "Nguyen"),
    ("Trần", "Tran"),
    ("Lê", "Le"),
    ("Phạm", "Pham"),
    ("Hoàng", "Hoang"),
    ("Huỳnh", "Huynh"),
    ("Vũ", "Vu"),
    ("Võ", "Vo"),
    ("Đặng", "Dang"),
    ("Bùi", "Bui"),
    ("Đỗ", "Do"),
    ("Hồ", "Ho"),
    ("Ngô", "Ngo"),
    ("Dương", "Duong"),
    ("Lý", "Ly"),
    ("Văn", "Van"),
    ("Thị", "Thi"),
    ("Hữu", "Huu"),
    ("Đức", "Duc"),
    ("Minh", "Minh"),
    ("Ánh", "Anh"),
    ("Hương", "Huong"),
    ("Thủy", "Thuy"),
    ("Ngọc", "Ngoc"),
    ("Quỳnh", "Quynh"),
    ("Tuấn", "Tuan"),
    ("Dũng", "Dung"),
    ("Bình", "Binh"),
    ("Cường", "Cuong"),
    ("Đào", "Dao"),
    ("Ả", "A"),
    ("Ơn", "On"),
    ("Ưu", "Uu"),
    ("Yến", "Yen"),
    ("Khánh", "Khanh"),
    ("Xuân", "Xuan"),
    ("Trường", "Truong"),
    ("Phượng", "Phuong"),
];

/// How a volunteer might type a syllable: as written, without marks, with wrong marks, in upper or
/// lower case, decomposed (NFD, as on some keyboards).
#[derive(Debug, Clone, Copy)]
enum Form {
    Exact,
    Stripped,
    WrongMarks,
    Upper,
    Lower,
    Decomposed,
}

const MARKS: &[char] = &[
    '\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{302}', '\u{306}', '\u{31b}',
];

fn typed(syllable: usize, form: Form, marks: &[usize]) -> String {
    let (with, without) = SYLLABLES[syllable];
    match form {
        Form::Exact => with.to_owned(),
        Form::Stripped => without.to_owned(),
        Form::WrongMarks => {
            // Adds random combining marks after the letters of the stripped form; đ stays "d".
            let mut out = String::new();
            for (i, c) in without.chars().enumerate() {
                out.push(c);
                if let Some(m) = marks.get(i) {
                    if m % 2 == 0 {
                        out.push(MARKS[m / 2 % MARKS.len()]);
                    }
                }
            }
            out.nfc().collect()
        }
        Form::Upper => with.to_uppercase(),
        Form::Lower => with.to_lowercase(),
        Form::Decomposed => with.nfd().collect(),
    }
}

fn form() -> impl Strategy<Value = Form> {
    prop::sample::select(vec![
        Form::Exact,
        Form::Stripped,
        Form::WrongMarks,
        Form::Upper,
        Form::Lower,
        Form::Decomposed,
    ])
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", "  ", " - ", ", ", "\t", "\u{a0}", "."])
}

/// A name of 1–5 syllables typed one way, and a query of some of its syllables typed another way
/// (possibly only a prefix of each).
fn name_and_query() -> impl Strategy<Value = (String, String)> {
    vec(
        (
            0..SYLLABLES.len(),
            form(),
            form(),
            vec(0usize..20, 8),
            separator(),
            1usize..8,
            any::<bool>(),
        ),
        1..6,
    )
    .prop_map(|parts| {
        let mut name = String::new();
        let mut query = String::new();
        for (syllable, name_form, query_form, marks, sep, prefix, in_query) in &parts {
            name.push_str(&typed(*syllable, *name_form, marks));
            name.push_str(sep);
            if *in_query || query.is_empty() {
                let q = typed(*syllable, *query_form, marks);
                // A prefix in characters of the NFC form, never cutting a letter from its marks.
                let q: String = q.nfc().take(*prefix).collect();
                query.push_str(&q);
                query.push(' ');
            }
        }
        (name, query)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fold_is_idempotent(s in tricky_string()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone(), "input {:?}", s);
    }

    #[test]
    fn fold_output_is_plain(s in tricky_string()) {
        let f = fold(&s);
        prop_assert!(!f.chars().any(is_combining_mark), "combining mark in {:?} from {:?}", f, s);
        prop_assert!(!f.contains('đ') && !f.contains('Đ'), "đ in {:?}", f);
        prop_assert_eq!(f.to_lowercase(), f.clone(), "upper case in output of {:?}", s);
        prop_assert!(!f.contains("  "), "double space in {:?}", f);
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' '), "outer space in {:?}", f);
        prop_assert!(f.chars().all(|c| c == ' ' || c.is_alphanumeric()), "punctuation in {:?}", f);
    }

    #[test]
    fn text_matches_itself(s in tricky_string()) {
        prop_assume!(s.chars().any(char::is_alphanumeric));
        prop_assert!(matches_query(&s, &s));
    }

    #[test]
    fn vietnamese_names_match_however_typed((name, query) in name_and_query()) {
        prop_assert!(matches_query(&name, &query), "name {:?} query {:?}", name, query);
    }
}

#[test]
fn a_missing_word_does_not_match() {
    assert!(!matches_query("Nguyễn Văn Ả", "nguyen thi"));
    assert!(!matches_query("Đặng Thị Đào", "dang thi dung"));
    assert!(matches_query("Đặng Thị Đào", "DANG THI DAO"));
}

// ---- household merge -----------------------------------------------------------------------

fn uuid_from(pool: &'static [u128]) -> impl Strategy<Value = Uuid> {
    prop::sample::select(pool).prop_map(Uuid::from_u128)
}

fn ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("valid timestamp")
}

/// Clocks of one device: few wall times and counters, so equal walls and counters are common;
/// the node is the device's own.
fn clock(node: u32) -> impl Strategy<Value = Hlc> {
    (0i64..4, 0u32..3).prop_map(move |(w, counter)| Hlc {
        wall_ms: 1_740_000_000_000 + w,
        counter,
        node,
    })
}

fn clocks(node: u32) -> impl Strategy<Value = HouseholdClocks> {
    (
        clock(node),
        clock(node),
        clock(node),
        clock(node),
        clock(node),
        clock(node),
        clock(node),
    )
        .prop_map(
            |(location, address_line, head_name, phone, members, consent, erased)| {
                HouseholdClocks {
                    location,
                    address_line,
                    head_name,
                    phone,
                    members,
                    consent,
                    erased,
                }
            },
        )
}

fn consent() -> impl Strategy<Value = Consent> {
    (
        any::<bool>(),
        prop::sample::select(vec![
            ConsentMethod::Verbal,
            ConsentMethod::Signed,
            ConsentMethod::Unknown("video".into()),
        ]),
        prop::sample::select(vec![1_740_000_000i64, 1_740_000_100]),
        uuid_from(&[1, 2]),
    )
        .prop_map(|(given, method, at, by)| Consent {
            given,
            method,
            recorded_at: ts(at),
            recorded_by: by,
        })
}

/// The state of one household (same id everywhere) as one device holds it. Field values come from
/// small pools so that sides often agree on some fields and differ on others.
fn household(node: u32) -> impl Strategy<Value = Household> {
    let place = (
        prop::sample::select(vec!["00070", "00073", "28789"]),
        option::of(prop::sample::select(vec!["28789-01", "28789-02"])),
        prop::sample::select(vec!["", "Tổ 3", "Số 12, ấp Phú Hưng"]),
    );
    let person = (
        prop::sample::select(vec!["Nguyễn Văn Ả", "Nguyen Van A", "Trần Thị Bình"]),
        option::of(prop::sample::select(vec!["0912345678", "0987 654 321"])),
        1u16..6,
        option::of(consent()),
    );
    let created = (
        uuid_from(&[1, 2]),
        uuid_from(&[10, 11]),
        prop::sample::select(vec![1_739_000_000i64, 1_739_000_001]),
        prop::sample::select(vec![420i16, 0]),
    );
    (
        place,
        person,
        created,
        prop::bool::weighted(0.2),
        clocks(node),
    )
        .prop_map(
            |(
                (commune, hamlet, address),
                (head, phone, members, consent),
                (by, team, at, offset),
                erased,
                clocks,
            )| {
                let mut h = Household {
                    id: Uuid::from_u128(42),
                    commune_code: commune.into(),
                    hamlet_code: hamlet.map(Into::into),
                    address_line: address.into(),
                    head_name: head.into(),
                    phone: phone.map(Into::into),
                    members,
                    consent,
                    erased,
                    created_by: by,
                    team_id: team,
                    created: DeviceTime {
                        utc: ts(at),
                        offset_minutes: offset,
                    },
                    clocks,
                };
                if erased {
                    // An erased household never holds personal data.
                    h.blank_personal_data();
                }
                h
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_commutative(a in household(1), b in household(2)) {
        prop_assert_eq!(a.merge(&b), b.merge(&a));
    }

    #[test]
    fn merge_is_associative(a in household(1), b in household(2), c in household(3)) {
        prop_assert_eq!(a.merge(&b).merge(&c), a.merge(&b.merge(&c)));
    }

    #[test]
    fn merge_is_idempotent(a in household(1), b in household(2)) {
        prop_assert_eq!(a.merge(&a), a.clone());
        let m = a.merge(&b);
        prop_assert_eq!(m.merge(&m), m.clone());
        // Receiving either side again changes nothing.
        prop_assert_eq!(m.merge(&a), m.clone());
        prop_assert_eq!(m.merge(&b), m.clone());
    }

    #[test]
    fn erasure_wins(a in household(1), b in household(2)) {
        let m = a.merge(&b);
        prop_assert_eq!(m.erased, a.erased || b.erased);
        if m.erased {
            prop_assert!(m.head_name.is_empty() && m.address_line.is_empty() && m.phone.is_none() && m.consent.is_none());
        }
    }

    #[test]
    fn merge_takes_the_newer_edit(a in household(1), b in household(2)) {
        let m = a.merge(&b);
        if m.erased {
            return Ok(());
        }
        let newer = if b.clocks.head_name > a.clocks.head_name { &b } else { &a };
        prop_assert_eq!(&m.head_name, &newer.head_name);
        prop_assert_eq!(m.clocks.head_name, a.clocks.head_name.max(b.clocks.head_name));
        let newer = if b.clocks.location > a.clocks.location { &b } else { &a };
        prop_assert_eq!((&m.commune_code, &m.hamlet_code), (&newer.commune_code, &newer.hamlet_code));
    }
}

// ---- validation ----------------------------------------------------------------------------

const TEAM: u128 = 0x7ea;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 15, 10, 0, 0)
        .single()
        .expect("valid")
}

fn service(key: &str, kind: ServiceKind, active: bool) -> Service {
    Service {
        key: key.into(),
        code: None,
        code_verified: false,
        name_vi: key.into(),
        name_en: key.into(),
        authority: String::new(),
        kind,
        level_42: None,
        level_43: None,
        active,
    }
}

fn catalogue() -> Vec<Service> {
    vec![
        service("birth_registration", ServiceKind::Procedure, true),
        service("permanent_residence", ServiceKind::Procedure, true),
        service(
            "vneid_level2_activation",
            ServiceKind::VneidActivation,
            true,
        ),
        service("utility_bill_payment", ServiceKind::OnlinePayment, true),
        service("retired_service", ServiceKind::Procedure, false),
    ]
}
const ACTIVE_KEYS: &[&str] = &[
    "birth_registration",
    "permanent_residence",
    "vneid_level2_activation",
    "utility_bill_payment",
];

fn areas() -> Vec<Area> {
    let area = Area::bare;
    vec![
        area("86", AreaLevel::Province, None),
        area("28789", AreaLevel::Commune, Some("86")),
        area("28790", AreaLevel::Commune, Some("86")),
        area("28789-01", AreaLevel::Hamlet, Some("28789")),
        area("28790-01", AreaLevel::Hamlet, Some("28790")),
    ]
}

/// Runs `check` with a bare context and with a full one (catalogue, area tree, team scope).
fn with_contexts(check: impl Fn(&ValidationContext<'_>)) {
    let services = catalogue();
    let by_key: BTreeMap<&str, &Service> = catalogue_by_key(&services);
    let areas = areas();
    let tree = AreaTree::new(&areas);
    let scope = vec!["28789".to_owned()];
    check(&ValidationContext::at(now()));
    check(&ValidationContext {
        now: now(),
        services: Some(&by_key),
        areas: Some(&tree),
        team: Some((Uuid::from_u128(TEAM), &scope)),
        calendar: Default::default(),
    });
}

fn any_uuid() -> impl Strategy<Value = Uuid> {
    prop_oneof![
        Just(Uuid::nil()),
        Just(Uuid::from_u128(TEAM)),
        any::<u128>().prop_map(Uuid::from_u128)
    ]
}

/// Any instant chrono can represent, with realistic ones more often.
fn any_time() -> impl Strategy<Value = DateTime<Utc>> {
    let min = DateTime::<Utc>::MIN_UTC.timestamp();
    let max = DateTime::<Utc>::MAX_UTC.timestamp();
    prop_oneof![
        (1_500_000_000i64..1_800_000_000, 0u32..1_000_000_000),
        (min..=max, 0u32..2_000_000_000),
    ]
    .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap_or_else(|| ts(s)))
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (738_000i32..741_000),
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce()),
    ]
    .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).expect("in range"))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        tricky_string(),
        any::<String>(),
        "[0-9 .+()-]{0,15}",
        vec(Just('x'), 0..2_100).prop_map(|v| v.into_iter().collect())
    ]
}

fn any_code() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "86", "28789", "28790", "28789-01", "28790-01", "", " "
        ])
        .prop_map(String::from),
        any_text()
    ]
}

fn open_value<T>(known: &'static [T], parse: fn(&str) -> T) -> impl Strategy<Value = T>
where
    T: Clone + std::fmt::Debug + 'static,
{
    prop_oneof![
        prop::sample::select(known),
        any_text().prop_map(move |s| parse(&s))
    ]
}

fn any_device_time() -> impl Strategy<Value = DeviceTime> {
    (any_time(), any::<i16>()).prop_map(|(utc, offset_minutes)| DeviceTime {
        utc,
        offset_minutes,
    })
}

fn any_hlc() -> impl Strategy<Value = Hlc> {
    (any::<i64>(), any::<u32>(), any::<u32>()).prop_map(|(wall_ms, counter, node)| Hlc {
        wall_ms,
        counter,
        node,
    })
}

fn any_assist() -> impl Strategy<Value = Assist> {
    (
        any_uuid(),
        prop_oneof![
            prop::sample::select(ACTIVE_KEYS).prop_map(String::from),
            Just("retired_service".to_owned()),
            any_text()
        ],
        option::of(open_value(Level43::KNOWN, Level43::parse)),
        option::of(open_value(Level42::KNOWN, Level42::parse)),
        open_value(AssistResult::KNOWN, AssistResult::parse),
        option::of(any_text()),
        option::of(open_value(
            NotFinishedReason::KNOWN,
            NotFinishedReason::parse,
        )),
    )
        .prop_map(
            |(id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)| {
                Assist {
                    id,
                    service_key,
                    level_43,
                    level_42,
                    result,
                    dossier_code,
                    not_finished_reason,
                }
            },
        )
}

fn any_gps() -> impl Strategy<Value = GeoPoint> {
    (
        any::<f64>(),
        any::<f64>(),
        any::<f32>(),
        -100.0f64..100.0,
        -200.0f64..200.0,
        -10.0f32..60_000.0,
    )
        .prop_map(|(lat, lon, acc, rlat, rlon, racc)| {
            if acc.is_sign_positive() {
                GeoPoint {
                    lat: rlat,
                    lon: rlon,
                    accuracy_m: racc,
                }
            } else {
                GeoPoint {
                    lat,
                    lon,
                    accuracy_m: acc,
                }
            }
        })
}

fn any_visit() -> impl Strategy<Value = Visit> {
    let ids = (
        any_uuid(),
        any_uuid(),
        any_uuid(),
        any_uuid(),
        option::of(any_uuid()),
    );
    let revision = (
        prop_oneof![Just(0u32), Just(1), Just(2), any::<u32>()],
        option::of(any_uuid()),
    );
    let times = (any_time(), option::of(any_time()), option::of(any_date()));
    let what = (
        open_value(VisitOutcome::KNOWN, VisitOutcome::parse),
        prop_oneof![0u16..=60, any::<u16>()],
        option::of(any_gps()),
        option::of(any_text()),
        vec(any_assist(), 0..24),
    );
    (ids, revision, times, what, any_device_time(), any_hlc()).prop_map(
        |(
            (id, household_id, volunteer_id, team_id, campaign_id),
            (revision, supersedes),
            (started_at, ended_at, follow_up_on),
            (outcome, people_reached, gps, note, assists),
            recorded,
            hlc,
        )| Visit {
            id,
            household_id,
            volunteer_id,
            team_id,
            campaign_id,
            revision,
            supersedes,
            started_at,
            ended_at,
            outcome,
            people_reached,
            gps,
            note,
            follow_up_on,
            assists,
            recorded,
            hlc,
        },
    )
}

fn any_household() -> impl Strategy<Value = Household> {
    let place = (
        any_uuid(),
        any_code(),
        option::of(any_code()),
        any_text(),
        any_text(),
    );
    let person = (
        option::of(prop_oneof!["0[0-9]{9}", any_text()]),
        any::<u16>(),
        option::of(
            (
                any::<bool>(),
                open_value(ConsentMethod::KNOWN, ConsentMethod::parse),
                any_time(),
                any_uuid(),
            )
                .prop_map(|(given, method, recorded_at, recorded_by)| Consent {
                    given,
                    method,
                    recorded_at,
                    recorded_by,
                }),
        ),
        any::<bool>(),
    );
    let made = (any_uuid(), any_uuid(), any_device_time(), any_hlc());
    (place, person, made).prop_map(
        |(
            (id, commune_code, hamlet_code, address_line, head_name),
            (phone, members, consent, erased),
            (created_by, team_id, created, stamp),
        )| {
            Household {
                id,
                commune_code,
                hamlet_code,
                address_line,
                head_name,
                phone,
                members,
                consent,
                erased,
                created_by,
                team_id,
                created,
                clocks: HouseholdClocks::all(stamp),
            }
        },
    )
}

/// A visit that meets every rule: met, 1–50 people, started in the last 30 days, assists of
/// active catalogue services with consistent results.
fn valid_visit() -> impl Strategy<Value = Visit> {
    let valid_assist = (
        1u128..,
        prop::sample::select(ACTIVE_KEYS),
        option::of(prop::sample::select(Level43::KNOWN)),
        option::of(prop::sample::select(Level42::KNOWN)),
        prop::sample::select(AssistResult::KNOWN),
        prop::sample::select(NotFinishedReason::KNOWN),
        option::of("[A-Za-z0-9][A-Za-z0-9./_-]{0,39}"),
        "[A-Za-z0-9][A-Za-z0-9./_-]{0,39}",
    )
        .prop_map(
            |(id, key, level_43, level_42, result, reason, maybe_code, code)| Assist {
                id: Uuid::from_u128(id),
                service_key: key.into(),
                level_43,
                level_42,
                not_finished_reason: (result == AssistResult::NotFinished).then_some(reason),
                dossier_code: if result == AssistResult::Submitted {
                    Some(code)
                } else {
                    maybe_code
                },
                result,
            },
        );
    (
        (1u128.., 1u128.., 1u128.., option::of(1u128..)),
        0i64..30 * 24 * 3600,
        option::of(0i64..12 * 3600),
        option::of(0i64..=365),
        1u16..=50,
        option::of((-90.0f64..=90.0, -180.0f64..=180.0, 0.0f32..=50_000.0)),
        option::of("\\PC{0,300}"),
        vec(valid_assist, 0..=5),
    )
        .prop_map(
            |(
                (id, household, volunteer, campaign),
                ago,
                duration,
                follow_up,
                people,
                gps,
                note,
                assists,
            )| {
                let started_at = now() - Duration::seconds(ago);
                Visit {
                    id: Uuid::from_u128(id),
                    household_id: Uuid::from_u128(household),
                    volunteer_id: Uuid::from_u128(volunteer),
                    team_id: Uuid::from_u128(TEAM),
                    campaign_id: campaign.map(Uuid::from_u128),
                    revision: 1,
                    supersedes: None,
                    started_at,
                    ended_at: duration.map(|d| started_at + Duration::seconds(d)),
                    outcome: VisitOutcome::Met,
                    people_reached: people,
                    gps: gps.map(|(lat, lon, accuracy_m)| GeoPoint {
                        lat,
                        lon,
                        accuracy_m,
                    }),
                    note,
                    follow_up_on: follow_up
                        .map(|d| Calendar::VIETNAM.day_of(started_at) + Duration::days(d)),
                    assists,
                    recorded: DeviceTime {
                        utc: started_at,
                        offset_minutes: 420,
                    },
                    hlc: Hlc {
                        wall_ms: started_at.timestamp_millis(),
                        counter: 0,
                        node: 1,
                    },
                }
            },
        )
}

/// A household that meets every rule, in the team's commune.
fn valid_household() -> impl Strategy<Value = Household> {
    (
        (1u128.., 1u128..),
        option::of(Just("28789-01")),
        // Any printable text on one line: no control or format characters (C) and no line or
        // paragraph separators (Zl, Zp), which validation refuses in a one-line field.
        "[^\\p{C}\\p{Zl}\\p{Zp}]{0,100}",
        "[\\p{L}][\\p{L} .'-]{0,60}",
        option::of("0[0-9]{9}"),
        1u16..=50,
        any_hlc(),
    )
        .prop_map(
            |((id, by), hamlet, address, head, phone, members, stamp)| Household {
                id: Uuid::from_u128(id),
                commune_code: "28789".into(),
                hamlet_code: hamlet.map(Into::into),
                address_line: address,
                head_name: head,
                consent: phone.is_some().then(|| Consent {
                    given: true,
                    method: ConsentMethod::Verbal,
                    recorded_at: now(),
                    recorded_by: Uuid::from_u128(by),
                }),
                phone,
                members,
                erased: false,
                created_by: Uuid::from_u128(by),
                team_id: Uuid::from_u128(TEAM),
                created: DeviceTime {
                    utc: now(),
                    offset_minutes: 420,
                },
                clocks: HouseholdClocks::all(stamp),
            },
        )
}

// Arbitrary visits are large (up to 23 assists, texts of thousands of characters): fewer cases.
proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn visit_validation_never_panics(v in any_visit()) {
        with_contexts(|ctx| {
            if let Err(errors) = validate_visit(&v, ctx) {
                assert!(!errors.0.is_empty());
                assert!(errors.0.iter().all(|e| !e.field.is_empty() && !e.message_vi.is_empty() && !e.message_en.is_empty()));
            }
        });
    }

    #[test]
    fn more_than_50_people_is_rejected(mut v in any_visit(), people in 51u16..) {
        v.people_reached = people;
        with_contexts(|ctx| {
            let errors = validate_visit(&v, ctx).expect_err("more than 50 people in one household");
            assert!(errors.has("people_reached", ValidationCode::OutOfRange), "{errors}");
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn household_validation_never_panics(h in any_household()) {
        with_contexts(|ctx| {
            if let Err(errors) = validate_household(&h, ctx) {
                assert!(!errors.0.is_empty());
            }
        });
    }

    #[test]
    fn valid_visit_is_accepted(v in valid_visit()) {
        with_contexts(|ctx| {
            if let Err(e) = validate_visit(&v, ctx) {
                panic!("valid visit rejected: {e}\n{v:#?}");
            }
        });
    }

    #[test]
    fn valid_household_is_accepted(h in valid_household()) {
        with_contexts(|ctx| {
            if let Err(e) = validate_household(&h, ctx) {
                panic!("valid household rejected: {e}\n{h:#?}");
            }
        });
    }

    #[test]
    fn valid_visit_with_too_many_people_is_rejected_for_that_alone(mut v in valid_visit(), people in 51u16..) {
        v.people_reached = people;
        with_contexts(|ctx| {
            let errors = validate_visit(&v, ctx).expect_err("more than 50 people");
            assert_eq!(errors.0.len(), 1, "{errors}");
            assert_eq!(errors.first().field.as_str(), "people_reached");
        });
    }
}

#[test]
fn unknown_or_inactive_service_is_rejected() {
    let services = catalogue();
    let by_key = catalogue_by_key(&services);
    let ctx = ValidationContext {
        now: now(),
        services: Some(&by_key),
        areas: None,
        team: None,
        calendar: Default::default(),
    };
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut v = valid_visit()
        .new_tree(&mut runner)
        .expect("a visit")
        .current();
    v.assists = vec![Assist {
        id: Uuid::from_u128(9),
        service_key: "retired_service".into(),
        level_43: None,
        level_42: None,
        result: AssistResult::GuidedOnly,
        dossier_code: None,
        not_finished_reason: None,
    }];
    let errors = validate_visit(&v, &ctx).expect_err("inactive service");
    assert!(
        errors.has("assists[0].service_key", ValidationCode::UnknownService),
        "{errors}"
    );
}

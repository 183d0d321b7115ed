//! The household merge (`Household::merge`, protocol/src/records.rs; docs/protocol.md §5
//! "Households: per-field merge by hybrid clock").
//!
//! Three phones' copies of one household are drawn from small pools of values and stamps, so
//! that equal stamps, equal values and erasures are common. Each phone stamps with its own node
//! (as real phones do), so two different edits never carry the same stamp; a phone's copy that
//! is erased holds no personal data (the phone blanks it).
//!
//! Checked, as the code documents: the merge never panics; it is commutative, associative and
//! idempotent; every clock of the result is the larger of the two and the result's fields are
//! those of the side whose stamp won; erasure is one-way and blanks the personal fields; merging
//! a result again with either side changes nothing; the result survives the wire (JSON) unchanged.
//! Also, for any two copies (even ones breaking the one-stamp-one-edit rule): no panic, and the
//! stored side wins a tie.
#![no_main]

use chrono::DateTime;
use gocua_protocol::*;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

fn pick<'p, T>(u: &mut Unstructured<'_>, pool: &'p [T]) -> Result<&'p T> {
    Ok(&pool[u.choose_index(pool.len())?])
}

/// A small text pool plus, now and then, any string the fuzzer makes.
fn text(u: &mut Unstructured<'_>, pool: &[&str]) -> Result<String> {
    if u.ratio(1, 8)? {
        return u.arbitrary::<String>();
    }
    Ok((*pick(u, pool)?).to_owned())
}

/// Phone `phone`'s stamps: few wall times and counters, the node identifying the phone (nodes of
/// different phones differ in their last two bits).
fn stamp(u: &mut Unstructured<'_>, phone: u32) -> Result<Hlc> {
    let wall_ms = if u.ratio(1, 16)? {
        u.arbitrary::<i64>()?
    } else {
        1_740_000_000_000 + i64::from(u.int_in_range(0u8..=3)?)
    };
    let counter = if u.ratio(1, 16)? {
        u.arbitrary::<u32>()?
    } else {
        u32::from(u.int_in_range(0u8..=2)?)
    };
    let node = (u.arbitrary::<u32>()? & !3) | phone;
    Ok(Hlc {
        wall_ms,
        counter,
        node,
    })
}

fn household(u: &mut Unstructured<'_>, phone: u32) -> Result<Household> {
    let mut clocks = HouseholdClocks::default();
    for c in [
        &mut clocks.location,
        &mut clocks.address_line,
        &mut clocks.head_name,
        &mut clocks.phone,
        &mut clocks.members,
        &mut clocks.consent,
        &mut clocks.erased,
    ] {
        *c = stamp(u, phone)?;
    }
    let consent = if u.arbitrary()? {
        Some(Consent {
            given: u.arbitrary()?,
            method: pick(
                u,
                &[
                    ConsentMethod::Verbal,
                    ConsentMethod::Signed,
                    ConsentMethod::Unknown("video".into()),
                ],
            )?
            .clone(),
            recorded_at: DateTime::from_timestamp(*pick(u, &[1_740_000_000i64, 1_740_000_100])?, 0)
                .expect("a time"),
            recorded_by: Uuid::from_u128(*pick(u, &[1u128, 2])?),
        })
    } else {
        None
    };
    let mut h = Household {
        id: Uuid::from_u128(42),
        commune_code: text(u, &["00070", "00073", "28789"])?,
        hamlet_code: if u.arbitrary()? {
            Some(text(u, &["28789-01", "28789-02"])?)
        } else {
            None
        },
        address_line: text(u, &["", "Tổ 3", "Số 12, ấp Phú Hưng"])?,
        head_name: text(u, &["Nguyễn Văn Ả", "Nguyen Van A", "Trần Thị Bình"])?,
        phone: if u.arbitrary()? {
            Some(text(u, &["0912345678", "0987 654 321"])?)
        } else {
            None
        },
        members: if u.ratio(1, 8)? {
            u.arbitrary()?
        } else {
            u.int_in_range(1..=5)?
        },
        consent,
        erased: u.ratio(1, 5)?,
        created_by: Uuid::from_u128(*pick(u, &[1u128, 2])?),
        team_id: Uuid::from_u128(*pick(u, &[10u128, 11])?),
        created: DeviceTime {
            utc: DateTime::from_timestamp(*pick(u, &[1_739_000_000i64, 1_739_000_001])?, 0)
                .expect("a time"),
            offset_minutes: *pick(u, &[420i16, 0, -720])?,
        },
        clocks,
    };
    if h.erased {
        h.blank_personal_data();
    }
    Ok(h)
}

/// The result's clocks are the larger of the two sides', group by group, and its values those of
/// the side each clock came from (erasure aside).
fn check_pair(a: &Household, b: &Household) {
    let m = a.merge(b);
    let (ca, cb, cm) = (&a.clocks, &b.clocks, &m.clocks);
    macro_rules! group {
        ($clock:ident, $($field:ident),+) => {{
            assert_eq!(cm.$clock, ca.$clock.max(cb.$clock), "clock {}", stringify!($clock));
            let from = if cb.$clock > ca.$clock { b } else { a };
            if !m.erased {
                $( assert_eq!(m.$field, from.$field, "field {}", stringify!($field)); )+
            }
        }};
    }
    group!(location, commune_code, hamlet_code);
    group!(address_line, address_line);
    group!(head_name, head_name);
    group!(phone, phone);
    group!(members, members);
    group!(consent, consent);
    assert_eq!(cm.erased, ca.erased.max(cb.erased));
    assert_eq!(m.erased, a.erased || b.erased, "erasure is one-way");
    if m.erased {
        assert!(m.head_name.is_empty() && m.address_line.is_empty());
        assert!(m.phone.is_none() && m.consent.is_none());
    }
    assert_eq!(m.id, a.id);
    let earliest = |h: &Household| {
        (
            h.created.utc,
            h.created.offset_minutes,
            h.created_by,
            h.team_id,
        )
    };
    assert_eq!(
        earliest(&m),
        earliest(a).min(earliest(b)),
        "the earliest creation wins"
    );
    // Absorbing: the result already holds everything of both sides.
    assert_eq!(
        m.merge(a),
        m,
        "merging the stored result with its first side changes nothing"
    );
    assert_eq!(
        m.merge(b),
        m,
        "merging the stored result with its second side changes nothing"
    );
    assert_eq!(m.merge(&m), m, "idempotent");
    // What the server stores and sends back is the same household.
    let wire = serde_json::to_string(&m).expect("a household serialises");
    let back: Household = serde_json::from_str(&wire).expect("and parses back");
    assert_eq!(back, m, "the merged household survives the wire");
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(a), Ok(b), Ok(c)) = (
        household(&mut u, 1),
        household(&mut u, 2),
        household(&mut u, 3),
    ) else {
        return;
    };
    assert_eq!(a.merge(&a), a, "idempotent");
    assert_eq!(a.merge(&b), b.merge(&a), "commutative");
    assert_eq!(a.merge(&b).merge(&c), a.merge(&b.merge(&c)), "associative");
    check_pair(&a, &b);
    check_pair(&b, &c);
    check_pair(&a.merge(&b), &c);

    // Two copies from the same phone that break "one stamp, one edit" (what a buggy or hostile
    // phone could send): no commutativity is promised, but no panic, and a tie keeps the stored
    // value.
    if let (Ok(x), Ok(y)) = (household(&mut u, 0), household(&mut u, 0)) {
        let m = x.merge(&y);
        if y.clocks.head_name <= x.clocks.head_name && !m.erased {
            assert_eq!(
                m.head_name, x.head_name,
                "a tie or an older stamp keeps the stored value"
            );
        }
        let _ = y.merge(&x);
    }
});

//! The guides' rules on a real (SQLite) database: an unknown service, the text's limits with
//! nothing stored, every change bumping the reference sequence, starter guides only where none.

use chrono::{TimeZone, Utc};

use super::*;
use crate::db::Sql;
use crate::domain::builtin_data;
use crate::domain::coordination::import_services;

/// Runs `test` in one transaction on a new database (SQLite, in a temporary directory) holding
/// the built-in service catalogue.
fn with_catalogue(test: impl FnOnce(&mut dyn Sql) -> AdminResult<()>) {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::domain::open::open_database(dir.path().join("t.db").to_str().unwrap()).unwrap();
    db.tx(|sql: &mut dyn Sql| {
        import_services(sql, builtin_data::services_csv(), false)?;
        Ok::<_, AdminError>(())
    })
    .unwrap();
    db.tx(test).unwrap();
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 3, 0, 0).unwrap()
}

#[test]
fn save_check_and_delete_bump_the_reference_sequence() {
    with_catalogue(|sql| {
        let s0 = refdata::current_seq(sql)?;
        let (before, after) = save_guide(
            sql,
            "certify_copy",
            "## Chứng thực\n\nMang bản chính.",
            false,
            Some("ha"),
            now(),
        )?;
        assert!(before.is_none());
        assert!(after.guide.needs_check);
        assert_eq!(after.updated_by.as_deref(), Some("ha"));
        assert_eq!(after.guide.updated_at, now());
        let s1 = refdata::current_seq(sql)?;
        assert!(s1 > s0);
        let checked = mark_checked(sql, "certify_copy", "lan", now())?;
        assert!(!checked.guide.needs_check);
        assert_eq!(checked.updated_by.as_deref(), Some("lan"));
        assert!(refdata::current_seq(sql)? > s1);
        // Saving again without "checked" asks for a check again.
        let (_, again) = save_guide(
            sql,
            "certify_copy",
            "Khác\r\n\r\n",
            false,
            Some("ha"),
            now(),
        )?;
        assert!(again.guide.needs_check);
        assert_eq!(again.guide.body, "Khác");
        let s2 = refdata::current_seq(sql)?;
        delete_guide(sql, "certify_copy")?;
        assert!(refdata::current_seq(sql)? > s2);
        assert!(get_guide(sql, "certify_copy")?.is_none());
        assert_eq!(
            delete_guide(sql, "certify_copy").unwrap_err().code(),
            "guide_missing"
        );
        Ok(())
    });
}

#[test]
fn refusals_have_codes_and_store_nothing() {
    with_catalogue(|sql| {
        let seq = refdata::current_seq(sql)?;
        let e = save_guide(sql, "no_such", "x", false, None, now()).unwrap_err();
        assert_eq!(e.code(), "unknown_service");
        let e = save_guide(sql, "certify_copy", " \n ", false, None, now()).unwrap_err();
        assert_eq!(e.code(), "guide_empty");
        let long = "a".repeat(gocua_protocol::guide::MAX_GUIDE_CHARS + 1);
        let e = save_guide(sql, "certify_copy", &long, false, None, now()).unwrap_err();
        assert_eq!(e.code(), "guide_too_long");
        assert!(e.message_vi().contains("tối đa"));
        assert_eq!(
            mark_checked(sql, "certify_copy", "x", now())
                .unwrap_err()
                .code(),
            "guide_missing"
        );
        assert!(list_guides(sql)?.is_empty());
        assert_eq!(refdata::current_seq(sql)?, seq);
        Ok(())
    });
}

#[test]
fn starter_guides_fill_only_services_without_one() {
    with_catalogue(|sql| {
        save_guide(
            sql,
            "permanent_residence",
            "Của tỉnh.",
            true,
            Some("ha"),
            now(),
        )?;
        let loaded = load_starter_guides(sql, now())?;
        assert_eq!(loaded.len(), builtin_guides::STARTER.len() - 1);
        assert!(!loaded.contains(&"permanent_residence".to_owned()));
        assert_eq!(
            get_guide(sql, "permanent_residence")?.unwrap().guide.body,
            "Của tỉnh."
        );
        let vneid = get_guide(sql, "vneid_level2_activation")?.unwrap();
        assert!(vneid.guide.needs_check);
        assert!(vneid.updated_by.is_none());
        assert!(load_starter_guides(sql, now())?.is_empty());
        let snapshot = refdata::team_snapshot(sql, uuid::Uuid::nil())?;
        assert_eq!(snapshot.guides.len(), builtin_guides::STARTER.len());
        Ok(())
    });
}

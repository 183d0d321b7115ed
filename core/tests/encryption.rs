//! Encryption at rest: the file is unreadable without the key, a wrong key is a clear error,
//! and re-keying works.

mod common;

use std::sync::Arc;

use common::*;
use gocua_core::*;

#[test]
fn file_on_disk_is_not_plain_sqlite_and_names_are_not_visible() {
    let f = fixture();
    let h = f.household("Nguyễn Văn Tâm");
    f.store.record_visit(&visit_draft(h.id)).unwrap();
    drop(f.store);
    let bytes = std::fs::read(f.dir.path().join("profile.db")).unwrap();
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "the file must be encrypted"
    );
    let needle = "Nguyễn Văn Tâm".as_bytes();
    assert!(
        !bytes.windows(needle.len()).any(|w| w == needle),
        "names must not appear in clear"
    );
}

#[test]
fn wrong_key_is_a_clear_error_and_the_data_survives() {
    let f = fixture();
    let h = f.household("Trần Văn Út");
    let path = f.path();
    drop(f.store);
    let wrong = StoreKey::generate();
    let err = Store::open(&path, &wrong, Arc::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongKey), "{err:?}");
    assert_eq!(err.code(), "wrong_key");
    assert!(err.message_vi().contains("khoá giải mã không đúng"));
    // The right key still opens everything.
    let store = Store::open(&path, &f.key, f.clock.clone()).unwrap();
    assert_eq!(store.household(h.id).unwrap().head_name, "Trần Văn Út");
}

#[test]
fn a_plain_file_that_is_not_a_store_is_refused_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(
        &path,
        b"just some text, not a database at all....................",
    )
    .unwrap();
    let err = Store::open(&path, &StoreKey::generate(), Arc::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongKey), "{err:?}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"just some text"));
}

#[test]
fn invalid_keys_are_refused() {
    assert!(matches!(
        StoreKey::from_bytes(&[7u8; 16]),
        Err(Error::InvalidKey(_))
    ));
    assert!(StoreKey::from_bytes(&[7u8; 32]).is_ok());
}

#[test]
fn rekey_switches_keys_and_keeps_everything() {
    let f = fixture();
    let h = f.household("Lý Thị Ngọc");
    let v = f.store.record_visit(&visit_draft(h.id)).unwrap();
    let new_key = StoreKey::generate();
    f.store.rekey(&new_key).unwrap();
    // The open handle keeps working after the re-key.
    f.store.record_visit(&visit_draft(h.id)).unwrap();
    let path = f.path();
    drop(f.store);

    let old = Store::open(&path, &f.key, Arc::new(SystemClock)).unwrap_err();
    assert!(
        matches!(old, Error::WrongKey),
        "the old key must stop working: {old:?}"
    );
    let store = Store::open(&path, &new_key, f.clock.clone()).unwrap();
    assert_eq!(store.visit(v.id).unwrap(), v);
    assert_eq!(store.household_visits(h.id).unwrap().len(), 2);
    assert_eq!(store.queue_status().unwrap().pending, 3);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

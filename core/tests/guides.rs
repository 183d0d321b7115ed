//! Service guides on the phone: stored with the reference data, read offline by service key; a
//! full download without a guide removes it, an "only counts" download keeps it.

mod common;

use common::*;
use gocua_core::protocol::ReferenceData;

#[test]
fn guides_are_read_offline_and_follow_full_downloads() {
    let f = fixture();
    let g = f
        .store
        .service_guide("birth_registration")
        .unwrap()
        .expect("stored");
    assert_eq!(g, sample_guide());
    assert_eq!(f.store.guide_keys().unwrap(), ["birth_registration"]);
    assert!(f
        .store
        .service_guide("marriage_registration")
        .unwrap()
        .is_none());

    // Opened again (as after the app restarts, offline): still there.

    let store = f.reopen();
    assert!(store.service_guide("birth_registration").unwrap().is_some());

    // A pull that only brings fresh counts keeps the guides.
    store
        .apply_reference_data(&ReferenceData::default(), false)
        .unwrap();
    assert_eq!(store.guide_keys().unwrap(), ["birth_registration"]);

    // A full download with the guide edited, checked, and another removed.
    let mut data = reference_data();
    data.guides[0].body = "Mang giấy chứng sinh.".into();
    data.guides[0].needs_check = false;
    store.apply_reference_data(&data, true).unwrap();
    let g = store.service_guide("birth_registration").unwrap().unwrap();
    assert_eq!(
        (g.body.as_str(), g.needs_check),
        ("Mang giấy chứng sinh.", false)
    );
    data.guides.clear();
    store.apply_reference_data(&data, true).unwrap();
    assert!(store.guide_keys().unwrap().is_empty());
    assert!(store.service_guide("birth_registration").unwrap().is_none());
}

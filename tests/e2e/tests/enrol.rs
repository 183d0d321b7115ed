//! Enrolment codes: wrong, expired, used by another phone; the same phone retrying after a lost
//! answer gets a new token and the old one stops working.

use chrono::Duration;
use gocua_core::protocol::*;
use gocua_core::{HttpTransport, Transport, TransportError};
use gocua_e2e::inspect;
use gocua_e2e::proxy::{Cut, FaultProxy};
use gocua_e2e::seed::*;
use gocua_e2e::*;

on_both_backends!(enrolment_codes);

fn refused<T: std::fmt::Debug>(result: Result<T, TransportError>) -> (u16, ErrorBody) {
    match result {
        Err(TransportError::Refused { status, body }) => (status, body),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn pull(t: &HttpTransport, device_id: uuid::Uuid) -> Result<PullResponse, TransportError> {
    t.pull(&PullRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id,
        cursor: None,
    })
}

fn enrolment_codes(backend: Backend) {
    let env = Env::start(backend);
    let url = env.server.url.as_str();
    let team = &env.seed.team_a;

    // A code nobody issued.
    let (_dir, _key, store) = Device::blank();
    let (status, body) = refused(gocua_core::enrol(
        url,
        &Device::enrol_request(&store, "ABCD-EFGH"),
    ));
    assert_eq!(
        (status, body.code.as_str(), body.field.as_deref()),
        (400, "enrol_code_invalid", Some("code"))
    );

    // An expired code.
    let expired = seed::issue_code(&env.db, team, 0, Duration::minutes(-1));
    let (status, body) = refused(gocua_core::enrol(
        url,
        &Device::enrol_request(&store, &expired),
    ));
    assert_eq!((status, body.code.as_str()), (410, "enrol_code_expired"));
    assert!(body.message_vi.contains("hết hạn"), "{body:?}");

    // A good code, typed the way people type it: lower case, a space instead of the dash.
    let code = env.code(team, 1);
    let typed = code.to_lowercase().replace('-', " ");
    let first = gocua_core::enrol(url, &Device::enrol_request(&store, &typed)).expect("enrol");
    assert_eq!(
        (
            first.team_id,
            first.volunteer_id,
            first.volunteer_name.as_str()
        ),
        (team.id, team.members[1].id, "Trần Minh Khoa")
    );
    assert_eq!(first.device_token.len(), 64);
    let old = HttpTransport::new(url, Some(first.device_token.clone())).unwrap();
    assert!(
        pull(&old, store.device_id())
            .expect("the new token works")
            .full
    );

    // The code on a second phone: already used.
    let (_dir2, _key2, other_store) = Device::blank();
    let (status, body) = refused(gocua_core::enrol(
        url,
        &Device::enrol_request(&other_store, &code),
    ));
    assert_eq!((status, body.code.as_str()), (409, "enrol_code_used"));

    // The first phone never got its answer and enrols again with the same code: a new token,
    // and the first one no longer works.
    let second = gocua_core::enrol(url, &Device::enrol_request(&store, &code))
        .expect("the same phone may retry");
    assert_ne!(second.device_token, first.device_token);
    assert_eq!(
        (second.device_id, second.volunteer_id),
        (first.device_id, first.volunteer_id)
    );
    let (status, body) = refused(pull(&old, store.device_id()));
    assert_eq!((status, body.code.as_str()), (401, "unauthorized"));
    let new = HttpTransport::new(url, Some(second.device_token.clone())).unwrap();
    pull(&new, store.device_id()).expect("the new token works");
    assert_eq!(
        inspect::count(&env.db, "devices"),
        1,
        "one device row, not two"
    );

    // A lost answer for real: the proxy delivers the request and drops the answer.
    let proxy = FaultProxy::start(env.server.addr, |n| {
        if n == 0 {
            Cut::Downstream(0)
        } else {
            Cut::None
        }
    });
    let (dir3, key3, phone) = Device::blank();
    let code3 = env.code(team, 2);
    let lost = phone.enrol(
        &proxy.url(),
        &code3,
        device::DEVICE_LABEL,
        device::APP_VERSION,
    );
    assert!(
        matches!(&lost, Err(gocua_core::Error::Transport(e)) if e.is_transient()),
        "a lost answer is a network error: {lost:?}"
    );
    assert_eq!(proxy.stats.cut_downstream(), 1);
    assert!(
        inspect::device_row(&env.db, phone.device_id()).is_some(),
        "the server did enrol the phone"
    );
    assert!(
        phone.profile().unwrap().is_none() && phone.http_transport().is_err(),
        "nothing is kept from an enrolment without an answer"
    );
    let retried = phone
        .enrol(
            &proxy.url(),
            &code3,
            device::DEVICE_LABEL,
            device::APP_VERSION,
        )
        .expect("retry after a lost answer");
    let device = Device::from_enrolment(url, dir3, key3, phone, retried);
    let recorded = device.record_field_day(COMMUNE_A2, None, 1);
    device.sync_clean(&device.transport);
    device.assert_all_accepted(recorded.records());
    inspect::assert_server_holds_exactly(&env.db, &recorded);
    assert_eq!(inspect::count(&env.db, "devices"), 2);
}

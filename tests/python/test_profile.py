"""Opening, keys, closing, the lost-key path and the free functions (vocabularies, labels, text and
day helpers, the sync decision) — no server needed."""

import datetime as dt
import gc as garbage
import re
import weakref

import gocua_core as gc
import gocua_ffi as fk
import gocua_protocol as gp
import pytest

from helpers import EN, VI, household

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_generate_key_gives_32_fresh_random_bytes():
    a, b = fk.generate_key(), fk.generate_key()
    assert isinstance(a, bytes) and len(a) == 32 and len(b) == 32
    assert a != b


def test_opens_an_encrypted_profile_and_refuses_a_wrong_key(tmp_path):
    key = fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path), key)
    device_id = p.device_id()
    assert UUID7.match(device_id)
    p.close_profile()

    header = (tmp_path / "gocua-profile.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00", "the store must be encrypted"

    with pytest.raises(fk.FieldKitError.WrongKey) as wrong:
        fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    assert wrong.value.code == "wrong_key"
    assert wrong.value.message_vi and wrong.value.message_en
    with pytest.raises(fk.FieldKitError.WrongKey) as short:
        fk.FieldProfile.open(str(tmp_path), b"short")
    assert short.value.code == "invalid_key"

    again = fk.FieldProfile.open(str(tmp_path), key)
    assert again.device_id() == device_id
    again.close_profile()


def test_rekey_keeps_the_data_and_retires_the_old_key(tmp_path):
    old, new = fk.generate_key(), fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path), old)
    device_id = p.device_id()
    p.rekey(new)
    p.close_profile()
    with pytest.raises(fk.FieldKitError.WrongKey):
        fk.FieldProfile.open(str(tmp_path), old)
    q = fk.FieldProfile.open(str(tmp_path), new)
    assert q.device_id() == device_id
    q.close_profile()


def test_a_lost_key_is_recovered_by_discarding_the_unreadable_store(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    old_device = p.device_id()
    p.close_profile()
    # The platform lost the key (a restored phone): a new key cannot open the store.
    new_key = fk.generate_key()
    with pytest.raises(fk.FieldKitError.WrongKey):
        fk.FieldProfile.open(str(tmp_path), new_key)
    fk.discard_unreadable_store(str(tmp_path))
    assert not (tmp_path / "gocua-profile.db").exists()
    fresh = fk.FieldProfile.open(str(tmp_path), new_key)
    assert fresh.device_id() != old_device and not fresh.is_enrolled()
    fresh.close_profile()
    fk.discard_unreadable_store(str(tmp_path / "never-created"))  # nothing there: fine


def test_close_makes_calls_raise_closed(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    assert p.profile() is None
    p.close_profile()
    with pytest.raises(fk.FieldKitError.Closed) as closed:
        p.device_id()
    assert closed.value.code == "closed" and "closed" in closed.value.message_en
    with pytest.raises(fk.FieldKitError.Closed):
        p.queue_status()
    p.close_profile()  # closing twice is harmless


def test_dropping_the_last_reference_frees_the_object(tmp_path):
    key = fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path), key)
    device_id = p.device_id()
    ref = weakref.ref(p)
    del p  # uniffi's __del__ calls the Rust free function, which drops the store
    garbage.collect()
    assert ref() is None
    q = fk.FieldProfile.open(str(tmp_path), key)
    assert q.device_id() == device_id
    q.close_profile()


def test_a_profile_that_is_not_enrolled_says_not_enrolled(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    assert not p.is_enrolled()
    with pytest.raises(fk.FieldKitError.NotEnrolled) as e:
        p.create_household(household("Nguyễn Văn Ả"))
    assert e.value.code == "not_enrolled" and "đăng ký" in e.value.message_vi
    assert p.queue_status().pending == 0
    assert p.unsent_count() == 0
    p.unenrol()  # nothing to leave, nothing to lose
    p.close_profile()


def test_today_is_a_day_of_the_vietnamese_calendar(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    vietnam_now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    today = p.today()
    assert isinstance(today, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", today), "CalendarDay is ISO text"
    assert dt.date.fromisoformat(today) in {vietnam_now.date(), (vietnam_now - dt.timedelta(minutes=1)).date()}
    # A day that does not exist is refused with a validation problem, never silently moved.
    with pytest.raises(fk.FieldKitError.Validation) as bad:
        p.follow_ups_due(until="2025-02-31")
    assert bad.value.problems[0].field == "day"
    assert p.follow_ups_due() == []
    p.close_profile()


def test_every_vocabulary_is_typed_with_labels_from_rust():
    outcomes = fk.visit_outcomes()
    assert outcomes == [gp.VisitOutcome.MET(), gp.VisitOutcome.NOT_HOME(), gp.VisitOutcome.REFUSED(),
                        gp.VisitOutcome.MOVED_AWAY(), gp.VisitOutcome.OTHER()]
    assert [o.code() for o in outcomes] == ["met", "not_home", "refused", "moved_away", "other"]
    met = outcomes[0]
    assert (met.label(VI), met.label(EN)) == ("Gặp được hộ", "Met the household")
    assert met.is_known()
    assert fk.levels_42() == [gp.Level42.TOAN_TRINH(), gp.Level42.MOT_PHAN()]
    # A value from a newer version keeps its text and labels as itself.
    newer = gp.VisitOutcome.UNKNOWN("left_a_note")
    assert not newer.is_known() and newer.label(VI) == "left_a_note"
    # Every vocabulary has its list; every value of every list has both labels.
    lists = [fk.visit_outcomes, fk.assist_results, fk.not_finished_reasons, fk.levels_43, fk.levels_42,
             fk.service_kinds, fk.session_kinds, fk.feedback_categories, fk.consent_methods, fk.record_kinds,
             fk.area_levels, fk.member_roles, fk.indicators, fk.sync_triggers, fk.sync_wait_reasons,
             fk.queue_entry_states, fk.last_sync_outcomes, fk.feedback_sources]
    for values in lists:
        vs = values()
        assert vs, values.__name__
        for v in vs:
            assert v.label(VI) and v.label(EN), (values.__name__, v)
    assert gc.SyncTrigger.USER_FORCED.label(VI) == 'Bấm "Gửi ngay"'
    assert fk.QueueEntryState.REJECTED().label(EN) == "Rejected, needs fixing"
    # The old stringly `choices("…")` is gone: a misspelt vocabulary cannot silently give [].
    assert not hasattr(fk, "choices")


def test_decide_sync_follows_the_platform_facts():
    offline = fk.decide_sync(fk.NetworkFacts(connected=False, unmetered=False), gc.SyncTrigger.PERIODIC, False)
    assert not offline.sync_now and offline.reason == gc.SyncWaitReason.OFFLINE and offline.message_vi
    assert offline.reason.label(EN) == "Offline"
    mobile = fk.NetworkFacts(connected=True, unmetered=False, battery_percent=80)
    waiting = fk.decide_sync(mobile, gc.SyncTrigger.PERIODIC, True)
    assert not waiting.sync_now and waiting.reason == gc.SyncWaitReason.METERED
    send_now = fk.decide_sync(mobile, gc.SyncTrigger.USER_FORCED, True)
    assert not send_now.sync_now and send_now.reason == gc.SyncWaitReason.METERED, "send now respects wifi only"
    forced = fk.decide_sync(mobile, gc.SyncTrigger.USER_FORCED, True, mobile_data_once=True)
    assert forced.sync_now and forced.reason is None


def test_text_and_day_helpers_come_from_rust():
    assert fk.format_count(1234567, VI) == "1.234.567"
    assert fk.format_count(1234567, EN) == "1,234,567"
    assert fk.format_day("2026-11-30", EN) == "30/11/2026"
    assert fk.parse_typed_day("30.11.26") == "2026-11-30"
    assert fk.parse_typed_day("31/02/2026") is None
    at = dt.datetime(2026, 11, 25, 7, 5, tzinfo=dt.timezone.utc)
    assert fk.format_day_time(at, VI) == "14:05, 25/11/2026", "instants are shown in Vietnam's time"
    five_min_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5, seconds=3)
    assert fk.format_ago(five_min_ago, VI) == "5 phút trước"
    assert fk.format_ago(five_min_ago, EN) == "5 min ago"
    assert fk.format_progress(1200, 4000, VI) == "1.200/4.000 (30%)"
    assert fk.tidy_text("  Nguye\u0302\u0303n   Văn  A ") == "Nguyễn Văn A"
    assert fk.name_initials("Nguyễn Văn Ả") == "NẢ"
    assert fk.field_label("assists[0].dossier_code", VI) == "Mã hồ sơ (dịch vụ 1)"
    assert fk.field_label("assists[1].service_key", EN) == "Service 2"
    assert fk.default_people_reached(gp.VisitOutcome.MET()) == 1
    assert fk.default_people_reached(gp.VisitOutcome.NOT_HOME()) == 0
    assert not fk.visit_allows_assists(gp.VisitOutcome.REFUSED())
    assert fk.assist_needs_dossier_code(gp.AssistResult.SUBMITTED())
    assert not fk.assist_needs_dossier_code(gp.AssistResult.GUIDED_ONLY())
    assert fk.assist_needs_reason(gp.AssistResult.NOT_FINISHED())


def test_enrolment_links_from_a_qr_code_or_typed():
    link = fk.parse_enrol_link("gocua://enrol?server=https%3A%2F%2Fgocua.example.vn%2F&code=abcd-1234")
    assert (link.server_url, link.code) == ("https://gocua.example.vn", "ABCD-1234")
    with pytest.raises(fk.FieldKitError.Validation) as foreign:
        fk.parse_enrol_link("https://zalo.me/xyz")
    (problem,) = foreign.value.problems
    assert problem.code == fk.ProblemCode.NOT_GOCUA_LINK() and "QR" in problem.message_vi
    with pytest.raises(fk.FieldKitError.Validation) as typed:
        fk.check_enrol_input("gocua.example.vn", "abcd-1234")
    (problem,) = typed.value.problems
    assert (problem.field, problem.field_label_vi, problem.field_label_en) == \
        ("server_url", "Địa chỉ máy chủ", "Server address")
    assert fk.check_enrol_input(" https://gocua.example.vn/ ", " abcd-1234 ").code == "ABCD-1234"


def test_errors_all_carry_a_code_and_both_messages(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    with pytest.raises(fk.FieldKitError.Validation) as bad_id:
        p.household("not-a-uuid")
    e = bad_id.value
    assert e.code == "validation" and e.message_vi and e.message_en
    (problem,) = e.problems
    assert (problem.field, problem.code) == ("id", fk.ProblemCode.INVALID_FORMAT())
    assert problem.field_label_en == "Record id"
    p.close_profile()

"""Enrolment, sync (async), cancellation, refusals, leaving the team and the lost-key path, against a
real `gocua serve` started by the tests."""

import asyncio
import json
import threading

import gocua_ffi as fk
import gocua_protocol as gp
import pytest

from gocua_server import WITHDRAWN_SERVICE
from helpers import EN, VI, Recorder, assert_progress, assist, field_day, household, run, visit, wait_until


def test_enrols_and_uploads_everything_with_monotonic_progress(enrol):
    p = enrol("Nguyễn Hoàng Nam")
    field_day(p, households=30, visits_each=10)  # 330 records: two batches of up to 200
    assert p.queue_status().pending == 330
    rec = Recorder()
    report = run(p.sync(listener=rec))
    assert (report.sent, report.accepted, report.rejected) == (330, 330, 0)
    assert_progress(rec.events, 330)
    assert len(rec.events) >= 3, rec.events
    status = p.queue_status()
    assert (status.pending, status.accepted) == (0, 330)
    assert status.last_sync.outcome == fk.LastSyncOutcome.OK()
    assert (status.last_sync.sent, status.last_sync.accepted) == (330, 330)
    assert status.last_sync.outcome.label(VI) == "Đã gửi xong"
    assert fk.format_ago(status.last_sync.finished_at, EN) == "just now"
    again = Recorder()
    assert run(p.sync(listener=again, max_attempts=1)).sent == 0
    assert again.events == [(0, 0)]
    assert run(p.sync()).sent == 0, "the listener is optional"


def test_an_enrolment_code_works_once_and_an_enrolled_profile_refuses_another(server, tmp_path):
    code = server.enrol_code("Bùi Thị Lan")
    first = fk.FieldProfile.open(str(tmp_path / "a"), fk.generate_key())
    enrolled = run(first.enrol(server.url, code, "first", "0.1.0"))
    assert enrolled.volunteer_name == "Bùi Thị Lan" and first.is_enrolled()
    with pytest.raises(fk.FieldKitError.AlreadyEnrolled) as already:
        run(first.enrol(server.url, server.enrol_code("Bùi Thị Lan 2"), "first", "0.1.0"))
    assert already.value.code == "already_enrolled" and "rời đội" in already.value.message_vi
    first.close_profile()

    second = fk.FieldProfile.open(str(tmp_path / "b"), fk.generate_key())
    with pytest.raises(fk.FieldKitError.ServerRefused) as e:
        run(second.enrol(server.url, code, "second", "0.1.0"))
    assert e.value.code == "enrol_code_used" and 400 <= e.value.status < 500
    assert second.profile() is None and not second.is_enrolled()
    # A typed address without http(s):// is refused before anything is sent.
    with pytest.raises(fk.FieldKitError.Validation) as typed:
        run(second.enrol(server.url.removeprefix("http://"), code, "second", "0.1.0"))
    assert typed.value.problems[0].field == "server_url"
    second.close_profile()


def test_a_rejected_record_shows_its_reason_and_is_sent_again_once_fixed(enrol, server):
    p = enrol("Đoàn Văn Hậu")
    h = p.create_household(household("Mai Thị Thu"))
    doomed = p.record_visit(visit(h.id, [assist(WITHDRAWN_SERVICE)]))
    p.record_visit(visit(h.id, [assist("birth_registration")]))
    server.withdraw_service(True)  # the coordinator withdraws the service before the phone syncs
    try:
        report = run(p.sync())
        assert (report.sent, report.accepted, report.rejected) == (3, 2, 1)
        (item,) = p.rejected_items()
        assert (item.kind, item.record_id, item.state) == (gp.RecordKind.VISIT(), doomed.id,
                                                           fk.QueueEntryState.REJECTED())
        assert item.title_vi == "Mai Thị Thu"
        assert [s.name_vi for s in item.services] == ["Cấp phiếu lý lịch tư pháp"], "a name, never the key"
        reason = item.reason
        assert (reason.code, reason.field) == (fk.ProblemCode.UNKNOWN_SERVICE(), "assists[0].service_key")
        assert (reason.field_label_vi, reason.field_label_en) == ("Dịch vụ 1", "Service 1")
        # Named as the volunteer knows it, never by its key.
        assert "Cấp phiếu lý lịch tư pháp" in reason.message_vi, reason.message_vi
        assert "withdrawn from the catalogue" in reason.message_en, reason.message_en
        assert WITHDRAWN_SERVICE not in reason.message_vi + reason.message_en
        status = p.queue_status()
        assert (status.pending, status.rejected) == (0, 1)
        assert status.last_sync.outcome == fk.LastSyncOutcome.PARTIAL()
        assert WITHDRAWN_SERVICE not in {s.key for s in p.services()}, "the new catalogue came down"

        server.withdraw_service(False)  # the coordinator fixes the cause
        p.requeue(gp.RecordKind.VISIT(), doomed.id)
        assert p.queue_status().pending == 1
        assert run(p.sync()).accepted == 1
        assert p.rejected_items() == [] and p.queue_status().rejected == 0
    finally:
        server.withdraw_service(False)


def test_a_sync_cancelled_before_it_starts_touches_nothing(enrol):
    p = enrol("Châu Ngọc Hân")
    field_day(p, households=2, visits_each=3)
    before = p.queue_status()

    async def cancel_at_once():
        task = asyncio.ensure_future(p.sync())
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancel_at_once())
    status = p.queue_status()
    assert (status.pending, status.in_flight, status.accepted) == (8, 0, 0)
    assert status.last_sync == before.last_sync
    rec = Recorder()
    assert run(p.sync(listener=rec)).accepted == 8
    assert_progress(rec.events, 8)


def test_cancelling_a_running_sync_puts_the_batch_in_flight_back_and_loses_nothing(enrol):
    p = enrol("Tạ Minh Luân")
    field_day(p, households=1, visits_each=449)  # 450 records: batches of 200, 200 and 50

    async def sync_then_cancel_after_the_first_batch():
        loop = asyncio.get_running_loop()
        done = threading.Event()
        holder = {}

        def on_event(sent, total):
            # On the sync's own thread. After the first batch is settled, cancel the task (as a
            # user leaving the screen cancels the coroutine) and hold the sync until the task is
            # really cancelled, i.e. uniffi dropped the Rust future.
            if sent > 0:
                loop.call_soon_threadsafe(holder["task"].cancel)
                assert done.wait(10), "the task was cancelled"

        rec = Recorder(on_event)
        task = asyncio.ensure_future(p.sync(listener=rec))
        holder["task"] = task
        task.add_done_callback(lambda _: done.set())
        with pytest.raises(asyncio.CancelledError):
            await task
        return rec

    rec = run(sync_then_cancel_after_the_first_batch())
    assert rec.events == [(0, 450), (200, 450)]
    # The sync's thread winds down on its own: it sees the cancellation before the next batch.
    wait_until(lambda: p.queue_status().last_sync.outcome == fk.LastSyncOutcome.CANCELLED(), what="cancelled")
    status = p.queue_status()
    assert (status.accepted, status.pending, status.in_flight) == (200, 250, 0)
    assert status.last_sync.outcome.label(EN) == "Cancelled"
    assert len(p.pending_items()) == 250

    resume = Recorder()
    report = run(p.sync(listener=resume))
    assert (report.sent, report.accepted) == (250, 250)
    assert_progress(resume.events, 250)
    assert (p.queue_status().accepted, p.queue_status().pending) == (450, 0)


def test_two_syncs_at_once_run_one_after_the_other(enrol):
    p = enrol("Hồ Thị Ngân")
    field_day(p, households=5, visits_each=4)  # 25 records

    async def both():
        return await asyncio.gather(p.sync(), p.sync())

    first, second = run(both())
    assert sorted([first.sent, second.sent]) == [0, 25]
    assert p.queue_status().accepted == 25


def test_leaving_the_team_is_refused_while_records_wait_unless_exported(enrol, server):
    p = enrol("Kiều Văn Sơn")
    h = p.create_household(household("Ông Tám"))
    p.record_visit(visit(h.id, [assist("birth_registration")]))
    with pytest.raises(fk.FieldKitError.UnsentRecords) as refused:
        p.unenrol()
    assert (refused.value.code, refused.value.count) == ("unsent_records", 2)
    assert "2" in refused.value.message_vi
    assert p.unsent_count() == 2

    exported = json.loads(p.export_unsent())
    assert exported["format"] == "gocua-unsent-records"
    assert len(exported["changes"]) == 2 and len(exported["queue"]) == 2
    # Something recorded after the export is not covered by it.
    p.record_visit(visit(h.id))
    with pytest.raises(fk.FieldKitError.UnsentRecords) as still:
        p.unenrol(discard_after_export=True)
    assert still.value.count == 3

    assert len(json.loads(p.export_unsent())["changes"]) == 3
    p.unenrol(discard_after_export=True)
    assert not p.is_enrolled() and p.profile() is None
    assert p.queue_status().pending == 0 and p.queue_items(fk.QueueFilter.ALL) == []
    # The same profile (same key) can join again.
    run(p.enrol(server.url, server.enrol_code("Kiều Văn Sơn (lần 2)"), "pytest phone", "0.1.0"))
    assert p.is_enrolled() and p.team_areas()


def test_a_synced_profile_leaves_the_team_without_exporting(enrol):
    p = enrol("Lâm Thị Yến")
    field_day(p, households=1, visits_each=1)
    run(p.sync())
    p.unenrol()
    assert not p.is_enrolled()


def test_after_the_platform_lost_the_key_the_phone_enrols_again(enrol, server, tmp_path):
    data_dir = tmp_path / "phone"
    p = enrol("Mạc Văn Tú", data_dir=data_dir)
    field_day(p, households=1, visits_each=2)
    run(p.sync())
    p.close_profile()

    new_key = fk.generate_key()  # the Keystore was reset: the old key is gone
    with pytest.raises(fk.FieldKitError.WrongKey):
        fk.FieldProfile.open(str(data_dir), new_key)
    fk.discard_unreadable_store(str(data_dir))
    fresh = fk.FieldProfile.open(str(data_dir), new_key)
    try:
        assert not fresh.is_enrolled()
        prof = run(fresh.enrol(server.url, server.enrol_code("Mạc Văn Tú (máy khôi phục)"), "pytest phone", "0.1.0"))
        assert prof.volunteer_name == "Mạc Văn Tú (máy khôi phục)"
        h = fresh.create_household(household("Hộ sau khi khôi phục"))
        fresh.record_visit(visit(h.id))
        assert run(fresh.sync()).accepted == 2
    finally:
        fresh.close_profile()

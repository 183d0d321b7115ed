"""Enrolment and sync against a real `gocua serve` started by the tests."""

import gocua_ffi as fk
import pytest

from gocua_server import WITHDRAWN_SERVICE
from helpers import Recorder, assert_progress, assist, field_day, household, visit


def test_enrols_and_uploads_everything_with_monotonic_progress(enrol):
    p = enrol("Nguyễn Hoàng Nam")
    field_day(p, households=30, visits_each=10)  # 330 records: two batches of up to 200
    assert p.queue_status().pending == 330
    rec = Recorder()
    report = p.sync(rec, fk.CancelHandle(), 3)
    assert (report.sent, report.accepted, report.rejected) == (330, 330, 0)
    assert_progress(rec.events, 330)
    assert len(rec.events) >= 3, rec.events
    status = p.queue_status()
    assert (status.pending, status.accepted, status.last_sync_outcome) == (0, 330, "ok")
    again = Recorder()
    assert p.sync(again, fk.CancelHandle(), 1).sent == 0
    assert again.events == [(0, 0)]


def test_an_enrolment_code_works_once(server, tmp_path):
    code = server.enrol_code("Bùi Thị Lan")
    first = fk.FieldProfile.open(str(tmp_path / "a"), fk.generate_key())
    first.enrol(server.url, code, "first", "0.1.0")
    first.close_profile()
    second = fk.FieldProfile.open(str(tmp_path / "b"), fk.generate_key())
    with pytest.raises(fk.FieldKitError.ServerRefused) as e:
        second.enrol(server.url, code, "second", "0.1.0")
    assert e.value.code == "enrol_code_used" and 400 <= e.value.status < 500
    assert second.profile() is None
    second.close_profile()


def test_a_rejected_record_is_quarantined_with_its_reason(enrol, server):
    p = enrol("Đoàn Văn Hậu")
    h = p.create_household(household("Mai Thị Thu"))
    doomed = p.record_visit(visit(h.id, [assist(WITHDRAWN_SERVICE)]))
    p.record_visit(visit(h.id, [assist("birth_registration")]))
    server.withdraw_service(True)  # the coordinator withdraws the service before the phone syncs
    try:
        report = p.sync(Recorder(), fk.CancelHandle(), 3)
        assert (report.sent, report.accepted, report.rejected) == (3, 2, 1)
        (item,) = p.rejected_items()
        assert (item.kind, item.record_id, item.state) == ("visit", doomed.id, "rejected")
        assert (item.reason_code, item.reason_field) == ("unknown_service", "assists[0].service_key")
        assert WITHDRAWN_SERVICE in item.reason_vi and "not in the catalogue" in item.reason_en
        status = p.queue_status()
        assert (status.pending, status.rejected, status.last_sync_outcome) == (0, 1, "partial")
        assert WITHDRAWN_SERVICE not in {s.key for s in p.services()}, "the new catalogue came down"

        server.withdraw_service(False)
        p.requeue("visit", doomed.id)
        assert p.queue_status().pending == 1
        assert p.sync(Recorder(), fk.CancelHandle(), 3).accepted == 1
        assert p.rejected_items() == [] and p.queue_status().rejected == 0
    finally:
        server.withdraw_service(False)


def test_a_sync_cancelled_before_it_starts_loses_nothing(enrol):
    p = enrol("Châu Ngọc Hân")
    field_day(p, households=2, visits_each=3)
    cancel = fk.CancelHandle()
    cancel.cancel()
    assert cancel.is_cancelled()
    with pytest.raises(fk.FieldKitError.Cancelled):
        p.sync(Recorder(), cancel, 3)
    status = p.queue_status()
    assert (status.pending, status.in_flight, status.accepted, status.last_sync_outcome) == (8, 0, 0, "cancelled")
    rec = Recorder()
    assert p.sync(rec, fk.CancelHandle(), 3).accepted == 8
    assert_progress(rec.events, 8)


def test_a_sync_cancelled_while_running_keeps_the_rest_queued(enrol):
    p = enrol("Tạ Minh Luân")
    field_day(p, households=1, visits_each=449)  # 450 records
    cancel = fk.CancelHandle()
    rec = Recorder(lambda sent, total: cancel.cancel() if sent > 0 else None)
    with pytest.raises(fk.FieldKitError.Cancelled):
        p.sync(rec, cancel, 3)
    assert rec.events == [(0, 450), (200, 450)]
    status = p.queue_status()
    assert (status.accepted, status.pending, status.in_flight, status.last_sync_outcome) == (200, 250, 0, "cancelled")
    resume = Recorder()
    report = p.sync(resume, fk.CancelHandle(), 3)
    assert (report.sent, report.accepted) == (250, 250)
    assert_progress(resume.events, 250)
    assert (p.queue_status().accepted, p.queue_status().pending) == (450, 0)

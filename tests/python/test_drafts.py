"""Half-filled forms kept by the core: a draft survives closing the profile (an app kill), and the
visit recorded with its draftKey takes it away. Drafts are never queued."""

import datetime as dt
import json

import gocua_ffi as fk

from helpers import household, visit


def test_a_visit_draft_survives_reopening_and_goes_when_the_visit_is_recorded(enrol, tmp_path):
    key = fk.generate_key()
    data_dir = tmp_path / "phone"
    p = enrol("Phạm Thị Thu", data_dir=data_dir, key=key)
    h = p.create_household(household("Lý Văn Tâm"))
    queued = p.queue_status()

    body = json.dumps({"people_reached": "3a", "note": "Cần làm lại căn cước"}, ensure_ascii=False)
    p.save_draft(fk.DraftForm.VISIT, h.id, body)
    assert p.queue_status() == queued, "drafts never enter the queue"
    p.close_profile()  # the app is killed

    p = fk.FieldProfile.open(str(data_dir), key)
    try:
        kept = p.draft(fk.DraftForm.VISIT, h.id)
        assert kept is not None and kept.body == body
        assert isinstance(kept.updated_at, dt.datetime)
        assert [d.key for d in p.drafts(fk.DraftForm.VISIT)] == [h.id]
        assert p.draft(fk.DraftForm.HOUSEHOLD, h.id) is None

        refused = visit(h.id, people_reached=60000)
        refused.draft_key = h.id
        try:
            p.record_visit(refused)
            raise AssertionError("60000 people reached should be refused")
        except fk.FieldKitError.Validation:
            pass
        assert p.draft(fk.DraftForm.VISIT, h.id) is not None, "a refused save keeps the draft"

        v = visit(h.id, people_reached=3, note="Cần làm lại căn cước")
        v.draft_key = h.id
        p.record_visit(v)
        assert p.draft(fk.DraftForm.VISIT, h.id) is None
        assert p.drafts(fk.DraftForm.VISIT) == []

        p.save_draft(fk.DraftForm.FEEDBACK, "general", "{}")
        p.discard_draft(fk.DraftForm.FEEDBACK, "general")
        assert p.draft(fk.DraftForm.FEEDBACK, "general") is None
    finally:
        p.close_profile()

"""What a volunteer does offline on an enrolled phone: households, visits, search, corrections."""

import gocua_ffi as fk
import pytest

from gocua_server import COMMUNE_A1, COMMUNE_A2, COMMUNE_OTHER, HAMLET_A1_KP1, TEAM_NAME
from helpers import assist, household, visit


def test_records_a_visit_with_assists_and_finds_the_household_without_diacritics(enrol):
    p = enrol("Trần Minh Khoa")
    h = p.create_household(household("Nguyễn Văn Ả", phone="0912 345 678"))
    assert (h.head_name, h.hamlet_code, h.consent_given) == ("Nguyễn Văn Ả", HAMLET_A1_KP1, True)
    v = p.record_visit(visit(h.id, people_reached=3, note="Bà Ả cần làm lại căn cước", assists=[
        assist("birth_registration", result="submitted", dossier_code="H57.21-250314-0001", level_42="toan_trinh"),
        assist("vneid_level2_activation", result="completed_online"),
        assist("permanent_residence", result="not_finished", not_finished_reason="no_chip_id_card"),
    ]))
    assert v.revision == 1 and v.supersedes is None
    assert [a.service_key for a in v.assists] == ["birth_registration", "vneid_level2_activation", "permanent_residence"]
    assert v.assists[0].dossier_code == "H57.21-250314-0001"

    for query in ("nguyen van a", "NGUYEN VAN A", "Nguyễn Văn Ả", "van a"):
        found = p.search_households(query, None, None, 10)
        assert [f.id for f in found] == [h.id], query
        assert found[0].head_name == "Nguyễn Văn Ả" and found[0].last_outcome == "met"
    assert [f.id for f in p.search_households("nguyen dinh chieu", COMMUNE_A1, None, 10)] == [h.id]
    assert p.search_households("nguyen van b", None, None, 10) == []
    assert p.search_households("nguyen van a", COMMUNE_A2, None, 10) == []

    assert [x.id for x in p.household_visits(h.id)] == [v.id]
    today = p.my_counts().today
    assert (today.visits, today.people_reached, today.households_visited, today.vneid_activations) == (1, 3, 1, 1)


def test_enrolment_brings_the_team_areas_and_catalogue(enrol, server):
    p = enrol("Phạm Thu Trang")
    prof = p.profile()
    assert (prof.volunteer_name, prof.team_name, prof.team_id, prof.server_url) == \
        ("Phạm Thu Trang", TEAM_NAME, server.team_id, server.url)
    assert {a.code for a in p.team_areas()} == {COMMUNE_A1, COMMUNE_A2}
    assert {a.code for a in p.child_areas(COMMUNE_A1)} == {"28789-KP1", "28789-KP2"}
    assert any(s.key == "birth_registration" and s.code == "1.001193" for s in p.services())


def test_validation_problems_name_the_field(enrol):
    p = enrol("Võ Thanh Tâm")
    with pytest.raises(fk.FieldKitError.Validation) as outside:
        p.create_household(household("Lê Văn C", commune=COMMUNE_OTHER, hamlet=None))
    assert [(x.field, x.code) for x in outside.value.problems] == [("commune_code", "unknown_area")]

    h = p.create_household(household("Lê Văn C"))
    with pytest.raises(fk.FieldKitError.Validation) as no_dossier:
        p.record_visit(visit(h.id, [assist("birth_registration", result="submitted")]))
    (problem,) = no_dossier.value.problems
    assert (problem.field, problem.code) == ("assists[0].dossier_code", "required")
    assert "mã hồ sơ" in problem.message_vi
    with pytest.raises(fk.FieldKitError.Validation) as nobody:
        p.record_visit(visit(h.id, people_reached=0))
    assert [x.field for x in nobody.value.problems] == ["people_reached"]
    assert p.queue_status().pending == 1, "nothing invalid reached the queue"


def test_a_correction_is_revision_2_and_the_history_keeps_both(enrol):
    p = enrol("Huỳnh Thị Mai")
    h = p.create_household(household("Đặng Thị Hồng"))
    first = p.record_visit(visit(h.id, [assist("birth_registration")], people_reached=2))
    fixed = p.correct_visit(first.id, visit(h.id, [assist("permanent_residence")], people_reached=5))
    assert (fixed.revision, fixed.supersedes, fixed.people_reached) == (2, first.id, 5)
    history = p.visit_revisions(fixed.id)
    assert sorted(v.revision for v in history) == [1, 2]
    assert {v.id for v in p.visit_revisions(first.id)} == {first.id, fixed.id}
    assert [v.id for v in p.household_visits(h.id)] == [fixed.id]
    assert p.my_counts().today.people_reached == 5


def test_the_queue_shows_what_waits(enrol):
    p = enrol("Lý Quốc Bảo")
    assert p.queue_status().pending == 0
    h = p.create_household(household("Trương Văn Đức"))
    v = p.record_visit(visit(h.id))
    status = p.queue_status()
    assert (status.pending, status.in_flight, status.rejected) == (2, 0, 0)
    assert [(i.kind, i.record_id, i.state) for i in p.pending_items()] == [("household", h.id, "pending"), ("visit", v.id, "pending")]
    assert p.rejected_items() == []

"""What a volunteer does offline on an enrolled phone, through the typed API: households, visits with
services and consent, sessions, feedback, search and paging, corrections, and the queue as the
Queue screen shows it."""

import datetime as dt

import gocua_ffi as fk
import gocua_protocol as gp
import pytest

from gocua_server import COMMUNE_A1, COMMUNE_A2, COMMUNE_OTHER, HAMLET_A1_KP1, TEAM_NAME
from helpers import EN, VI, assist, household, visit


def test_records_a_visit_with_assists_and_finds_the_household_without_diacritics(enrol):
    p = enrol("Trần Minh Khoa")
    h = p.create_household(household("Nguyễn Văn Ả", phone="0912 345 678"))
    assert (h.head_name, h.hamlet_code, h.consent_given) == ("Nguyễn Văn Ả", HAMLET_A1_KP1, True)
    assert isinstance(h.created_at, dt.datetime), "instants are datetimes"
    v = p.record_visit(visit(h.id, people_reached=3, note="Bà Ả cần làm lại căn cước", assists=[
        assist("birth_registration", gp.AssistResult.SUBMITTED(), dossier_code="H57.21-250314-0001",
               level_42=gp.Level42.TOAN_TRINH()),
        assist("vneid_level2_activation", gp.AssistResult.COMPLETED_ONLINE()),
        assist("permanent_residence", gp.AssistResult.NOT_FINISHED(), reason=gp.NotFinishedReason.NO_CHIP_ID_CARD()),
    ]))
    assert v.revision == 1 and v.supersedes is None and v.outcome == gp.VisitOutcome.MET()
    assert [a.service_key for a in v.assists] == ["birth_registration", "vneid_level2_activation", "permanent_residence"]
    assert v.assists[0].service_name_vi == "Thủ tục đăng ký khai sinh"
    assert v.assists[0].dossier_code == "H57.21-250314-0001"
    assert v.assists[2].not_finished_reason == gp.NotFinishedReason.NO_CHIP_ID_CARD()
    assert v.assists[2].not_finished_reason.label(VI) == "Chưa có căn cước gắn chip"
    assert (v.gps.lat, v.gps.lon) == (10.2415, 106.3759)

    for query in ("nguyen van a", "NGUYEN VAN A", "Nguyễn Văn Ả", "van a"):
        found = p.search_households(query).items
        assert [f.id for f in found] == [h.id], query
        assert found[0].head_name == "Nguyễn Văn Ả" and found[0].last_outcome == gp.VisitOutcome.MET()
    assert [f.id for f in p.search_households("nguyen dinh chieu", commune_code=COMMUNE_A1).items] == [h.id]
    assert p.search_households("nguyen van b").items == []
    assert p.search_households("nguyen van a", commune_code=COMMUNE_A2).items == []

    assert [x.id for x in p.household_visits(h.id)] == [v.id]
    today = p.my_counts().today
    assert (today.visits, today.people_reached, today.households_visited, today.vneid_activations) == (1, 3, 1, 1)


def test_enrolment_brings_the_team_areas_and_catalogue(enrol, server):
    p = enrol("Phạm Thu Trang")
    assert p.is_enrolled()
    prof = p.profile()
    assert (prof.volunteer_name, prof.team_name, prof.team_id, prof.server_url) == \
        ("Phạm Thu Trang", TEAM_NAME, server.team_id, server.url)
    areas = p.team_areas()
    assert {a.code for a in areas} == {COMMUNE_A1, COMMUNE_A2}
    assert all(a.level == gp.AreaLevel.COMMUNE() for a in areas)
    assert areas[0].level.label(VI) == "Xã, phường, đặc khu"
    assert {a.code for a in p.child_areas(COMMUNE_A1)} == {"28789-KP1", "28789-KP2"}
    birth = next(s for s in p.services() if s.key == "birth_registration")
    assert birth.code == "1.001193" and birth.kind == gp.ServiceKind.PROCEDURE()


def test_validation_problems_name_the_field_with_its_label(enrol):
    p = enrol("Võ Thanh Tâm")
    with pytest.raises(fk.FieldKitError.Validation) as outside:
        p.create_household(household("Lê Văn C", commune=COMMUNE_OTHER, hamlet=None))
    assert [(x.field, x.code) for x in outside.value.problems] == [("commune_code", fk.ProblemCode.UNKNOWN_AREA())]
    assert outside.value.problems[0].field_label_vi == "Xã, phường"

    h = p.create_household(household("Lê Văn C"))
    with pytest.raises(fk.FieldKitError.Validation) as no_dossier:
        p.record_visit(visit(h.id, [assist("birth_registration", gp.AssistResult.SUBMITTED())]))
    (problem,) = no_dossier.value.problems
    assert (problem.field, problem.code) == ("assists[0].dossier_code", fk.ProblemCode.REQUIRED())
    assert (problem.field_label_vi, problem.field_label_en) == ("Mã hồ sơ (dịch vụ 1)", "Dossier code (service 1)")
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


def test_a_field_day_through_the_typed_api_shows_in_the_queue_with_titles_and_labels(enrol):
    p = enrol("Lý Quốc Bảo")
    assert p.queue_items(fk.QueueFilter.UNSENT) == []
    h = p.create_household(household("Trương Văn Đức"))
    # Consent is asked at the door: recorded with the visit, in the same transaction.
    v = p.record_visit(visit(
        h.id, people_reached=fk.default_people_reached(gp.VisitOutcome.MET()) + 2,
        consent=fk.ConsentDraft(given=True, method=gp.ConsentMethod.SIGNED()),
        assists=[
            assist("birth_registration", gp.AssistResult.SUBMITTED(), dossier_code="H57.21-250401-0007"),
            assist("permanent_residence", gp.AssistResult.NOT_FINISHED(), reason=gp.NotFinishedReason.PORTAL_ERROR()),
        ],
    ))
    assert p.household(h.id).consent_given, "the consent given at the visit is the household's"
    follow_up = (dt.date.fromisoformat(p.today()) + dt.timedelta(days=3)).isoformat()
    # Only what was filled in is named: the other fields of the draft default to None / [].
    p.correct_visit(v.id, fk.VisitDraft(
        household_id=h.id, outcome=gp.VisitOutcome.MET(), people_reached=3, follow_up_on=follow_up,
        assists=[
            assist("birth_registration", gp.AssistResult.SUBMITTED(), dossier_code="H57.21-250401-0007"),
            assist("permanent_residence", gp.AssistResult.NOT_FINISHED(), reason=gp.NotFinishedReason.PORTAL_ERROR()),
        ]))
    assert [f.follow_up_on for f in p.follow_ups_due(until=follow_up)] == [follow_up]
    assert p.follow_ups_due() == [], "not due yet today"

    session_id = p.record_session(fk.SessionDraft(
        kind=gp.SessionKind.ONE_STOP_SHOP(), area_code=COMMUNE_A1, place="Bộ phận một cửa phường Bến Tre",
        held_on=p.today(), attendees=25, materials=["Tờ rơi VNeID"]))
    p.record_feedback(fk.FeedbackDraft(
        source=fk.FeedbackSource.VISIT(visit_id=v.id), category=gp.FeedbackCategory.PORTAL_ISSUES(),
        text="Cổng dịch vụ công báo lỗi khi nộp hồ sơ thường trú."))
    p.record_feedback(fk.FeedbackDraft(
        source=fk.FeedbackSource.SESSION(session_id=session_id), category=gp.FeedbackCategory.DEVICES(),
        text="Nhiều người chưa có điện thoại thông minh.", area_code=COMMUNE_A1))

    status = p.queue_status()
    assert (status.pending, status.in_flight, status.rejected) == (6, 0, 0)
    # Enrolment's first sync brought the reference data down and sent nothing.
    assert (status.last_sync.outcome, status.last_sync.sent) == (fk.LastSyncOutcome.OK(), 0)
    items = p.queue_items(fk.QueueFilter.WAITING)
    assert items == p.pending_items()
    assert [i.kind for i in items] == [gp.RecordKind.HOUSEHOLD(), gp.RecordKind.VISIT(), gp.RecordKind.VISIT(),
                                       gp.RecordKind.OUTREACH_SESSION(), gp.RecordKind.FEEDBACK(),
                                       gp.RecordKind.FEEDBACK()]
    assert [i.kind.label(VI) for i in items[:2]] == ["Hộ gia đình", "Lượt đến hộ"]
    assert all(i.state == fk.QueueEntryState.PENDING() and i.reason is None for i in items)
    assert items[0].state.label(VI) == "Chờ gửi"
    assert [i.title_vi for i in items[:3]] == ["Trương Văn Đức"] * 3, "titles are the household's head"
    assert items[3].title_vi == "Bộ phận một cửa phường Bến Tre"
    assert items[4].title_vi == gp.FeedbackCategory.PORTAL_ISSUES().label(VI)
    visit_item = items[2]
    assert [s.name_vi for s in visit_item.services] == ["Thủ tục đăng ký khai sinh", "Đăng ký thường trú"]
    assert [s.name_en for s in visit_item.services] == ["Birth registration", "Permanent residence registration"]
    assert all(isinstance(i.queued_at, dt.datetime) for i in items)
    assert p.rejected_items() == []


def test_households_come_in_pages_with_no_cap(enrol):
    p = enrol("Đỗ Văn Phúc")
    for i in range(123):
        p.create_household(household(f"Hộ số {i:03d}", address=f"{i} Hùng Vương"))
    seen, after, pages = [], None, 0
    while True:
        page = p.list_households(commune_code=COMMUNE_A1, page_size=50, after=after)
        pages += 1
        seen += [h.id for h in page.items]
        if page.next is None:
            break
        after = page.next
    assert pages == 3 and len(seen) == len(set(seen)) == 123
    assert len(p.list_households().items) == 50, "every commune of the team, 50 a page by default"
    search = p.search_households("ho so", page_size=100)
    assert len(search.items) == 100 and search.next is not None
    assert len(p.search_households("ho so", page_size=100, after=search.next).items) == 23


def test_not_yet_visited_lists_the_hamlets_households_without_a_visit(enrol):
    p = enrol("Võ Thị Lan")
    an = p.create_household(household("Lê Văn An"))
    binh = p.create_household(household("Lê Văn Bình"))
    cuc = p.create_household(household("Lê Thị Cúc"))
    gone = p.create_household(household("Lê Văn Dũng"))
    kp2 = p.create_household(household("Lê Văn Em", hamlet="28789-KP2"))
    p.record_visit(visit(binh.id))  # now: inside the running campaign, or any visit when none runs
    p.erase_household_personal_data(gone.id)

    page = p.households_not_visited(COMMUNE_A1, hamlet_code=HAMLET_A1_KP1)
    assert [h.id for h in page.items] == [cuc.id, an.id] and page.next is None, "by name, like the list"
    assert p.coverage(COMMUNE_A1, hamlet_code=HAMLET_A1_KP1) == fk.CoverageView(households=3, visited=1, not_visited=2)
    assert [h.id for h in p.households_not_visited(COMMUNE_A1).items] == [cuc.id, an.id, kp2.id]
    assert p.coverage(COMMUNE_A1) == fk.CoverageView(households=4, visited=1, not_visited=3)
    first = p.households_not_visited(COMMUNE_A1, page_size=2)
    assert len(first.items) == 2 and first.next is not None
    assert [h.id for h in p.households_not_visited(COMMUNE_A1, page_size=2, after=first.next).items] == [kp2.id]
    assert p.coverage(COMMUNE_A2) == fk.CoverageView(households=0, visited=0, not_visited=0)
    # Without a commune: all the team's households on the phone.
    assert p.coverage() == fk.CoverageView(households=4, visited=1, not_visited=3)
    assert fk.format_count(p.coverage(COMMUNE_A1).households, VI) == "4"

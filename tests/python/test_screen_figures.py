"""What the phone's screens draw without a rule of their own: this week's figures on Today
(`week_figures`) and, on the Households tab, what is left of each hamlet (`hamlets_left`)."""

import gocua_ffi as fk
import gocua_protocol as gp

from gocua_server import COMMUNE_A1, COMMUNE_A2, HAMLET_A1_KP1
from helpers import EN, VI, assist, household, visit


def test_hamlets_left_says_what_is_left_of_each_hamlet(enrol):
    p = enrol("Tạ Thị Hoa")
    an = p.create_household(household("Lê Văn An"))
    p.create_household(household("Lê Văn Bình"))
    em = p.create_household(household("Lê Văn Em", hamlet="28789-KP2"))
    p.record_visit(visit(an.id))

    left = {h.hamlet_code: h for h in p.hamlets_left(VI)}
    assert set(left) == {HAMLET_A1_KP1, "28789-KP2", "28756-KP3"}, "every hamlet of the team's communes"
    kp1, kp2, kp3 = left[HAMLET_A1_KP1], left["28789-KP2"], left["28756-KP3"]
    assert (kp1.commune_code, kp3.commune_code) == (COMMUNE_A1, COMMUNE_A2)
    assert (kp1.name, kp2.name, kp3.name) == ("Khu phố 1", "Khu phố 2", "Khu phố 3")
    assert kp1.commune_name != kp3.commune_name, "each with its commune's name"
    assert (kp1.households, kp1.not_visited, kp1.left_label, kp1.finished) == (2, 1, "còn 1/2 hộ", False)
    assert (kp2.households, kp2.not_visited, kp2.left_label) == (1, 1, "còn 1/1 hộ")
    assert (kp3.households, kp3.left_label, kp3.finished) == (0, "chưa ghi hộ nào", False)
    # The same count as the "Chưa đến" list of that hamlet.
    assert kp1.not_visited == p.coverage(COMMUNE_A1, hamlet_code=HAMLET_A1_KP1).not_visited
    assert {h.hamlet_code: h.left_label for h in p.hamlets_left(EN)}[HAMLET_A1_KP1] == "1 of 2 households left"

    p.record_visit(visit(em.id))
    kp2 = {h.hamlet_code: h for h in p.hamlets_left(VI)}["28789-KP2"]
    assert (kp2.not_visited, kp2.left_label, kp2.finished) == (0, "đã đến hết 1 hộ", True)


def test_week_figures_label_this_weeks_counts(enrol):
    p = enrol("Tạ Văn Sơn")
    h = p.create_household(household("Phạm Thị Hạnh"))
    p.record_visit(visit(h.id, assists=[assist("birth_registration", gp.AssistResult.SUBMITTED(), dossier_code="H57.21-250314-0002")]))
    p.record_visit(visit(h.id))
    week = p.my_counts().this_week
    assert (week.households_visited, week.visits) == (1, 2)

    figures = fk.week_figures(week, VI)
    assert [(f.label, f.value, f.count) for f in figures] == [
        ("Hộ được đến", "1", 1),
        ("Lượt đến hộ", "2", 2),
        ("Hồ sơ DVC trực tuyến được hỗ trợ", str(week.services_supported), week.services_supported),
    ]
    assert [f.label for f in fk.week_figures(week, EN)] == ["Households visited", "Household visits", "Online services supported"]

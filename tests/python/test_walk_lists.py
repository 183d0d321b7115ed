"""Walk lists through the bindings after real syncs with `gocua serve`: a coordinator's and a
leader's assignments reach the member's "Danh sách của tôi" with what is left, ready-drawn labels,
"left" dropping as visits are recorded offline, and a non-leader refused with its code."""

import datetime
import re

import gocua_ffi as fk
import pytest

from gocua_server import COMMUNE_A1, HAMLET_A1_KP1
from helpers import VI, EN, household, run, visit

_ENROL_CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def _running_campaign(server, profile) -> None:
    """A campaign around today in the deployment's calendar (never the machine's zone)."""
    today = datetime.date.fromisoformat(profile.today())
    server.admin(
        "create-campaign", "--name", "Ra quân phân công", "--from", str(today - datetime.timedelta(days=3)),
        "--to", str(today + datetime.timedelta(days=30)), "--deadline", str(today + datetime.timedelta(days=35)),
    )


def _enrol_leader(server, tmp_path, name: str) -> fk.FieldProfile:
    member = server._id(server.admin("add-member", "--team", server.team_id, "--name", name, "--leader"))
    out = server.admin("enrol-code", "--team", server.team_id, "--member", member, "--server-url", server.url)
    code = next(line.strip() for line in out.splitlines() if _ENROL_CODE.match(line.strip()))
    p = fk.FieldProfile.open(str(tmp_path / "leader"), fk.generate_key())
    run(p.enrol(server.url, code, "pytest leader phone", "0.1.0-test"))
    return p


def test_my_list_after_a_real_sync(server, enrol, tmp_path):
    member = enrol("Trần Minh Khoa")
    _running_campaign(server, member)
    khoa = member.profile().volunteer_id
    an = member.create_household(household("Nguyễn Văn An"))
    binh = member.create_household(household("Nguyễn Văn Bình", address="14 Nguyễn Đình Chiểu"))
    run(member.sync())
    assert member.my_list(VI) == [] and not member.is_leader()

    leader = _enrol_leader(server, tmp_path, "Lê Thị Hoa")
    try:
        assert leader.is_leader()
        members = leader.team_members(VI)
        assert members[0].is_leader and members[0].role_label == "Đội trưởng"
        assert any(m.id == khoa for m in members)
        # Offline on the leader's phone: seen at once, queued.
        item = leader.assign_hamlet(khoa, COMMUNE_A1, HAMLET_A1_KP1, VI)
        assert (item.kind, item.title, item.member_name) == (fk.WalkTargetKind.HAMLET, "Khu phố 1", "Trần Minh Khoa")
        assert [i.id for i in leader.team_assignments(VI)] == [item.id]
        assert leader.queue_status().pending == 1
        report = run(leader.sync())
        assert (report.sent, report.accepted) == (1, 1)

        # The member's phone after its sync, then offline.
        run(member.sync())
        (mine,) = member.my_list(VI)
        assert mine.line == "Khu phố 1 — còn 2/2 hộ" and not mine.finished
        assert (mine.commune_code, mine.hamlet_code) == (COMMUNE_A1, HAMLET_A1_KP1)
        assert member.my_list(EN)[0].left_label == "2 of 2 households left"
        member.record_visit(visit(an.id))
        assert member.my_list(VI)[0].line == "Khu phố 1 — còn 1/2 hộ"

        # A coordinator assigns a household from the terminal; it arrives with the next sync.
        server.admin("assign", "--team", server.team_id, "--member", khoa, "--household", binh.id)
        run(member.sync())
        lines = [i.line for i in member.my_list(VI)]
        assert lines == ["Khu phố 1 — còn 1/2 hộ", "Nguyễn Văn Bình — 14 Nguyễn Đình Chiểu — chưa đến"], lines

        # A member cannot assign: refused with its code, nothing queued.
        with pytest.raises(fk.FieldKitError.Validation) as refused:
            member.assign_hamlet(khoa, COMMUNE_A1, HAMLET_A1_KP1, VI)
        assert refused.value.problems[0].code == fk.ProblemCode.ASSIGNER_NOT_LEADER()
        assert member.queue_status().pending == 0

        # Revoked by the leader: gone from the member's list after both sync.
        leader.revoke_assignment(item.id)
        run(leader.sync())
        run(member.sync())
        assert [i.kind for i in member.my_list(VI)] == [fk.WalkTargetKind.HOUSEHOLD]
    finally:
        leader.close_profile()

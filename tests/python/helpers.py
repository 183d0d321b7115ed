"""Drafts as the app's forms fill them in, a progress recorder and progress checks."""

from __future__ import annotations

import gocua_ffi as fk

from gocua_server import COMMUNE_A1, HAMLET_A1_KP1


def household(head_name: str, address: str = "12 Nguyễn Đình Chiểu, Khu phố 1", commune: str = COMMUNE_A1,
              hamlet: str | None = HAMLET_A1_KP1, phone: str | None = None) -> fk.HouseholdDraft:
    return fk.HouseholdDraft(
        commune_code=commune,
        hamlet_code=hamlet,
        address_line=address,
        head_name=head_name,
        phone=phone,
        members=4,
        consent_given=True if phone else None,
        consent_method="verbal" if phone else None,
    )


def assist(service_key: str, result: str = "guided_only", dossier_code: str | None = None,
           level_42: str | None = None, not_finished_reason: str | None = None) -> fk.AssistDraft:
    return fk.AssistDraft(service_key=service_key, level_43=None, level_42=level_42, result=result,
                          dossier_code=dossier_code, not_finished_reason=not_finished_reason)


def visit(household_id: str, assists=(), people_reached: int = 2, outcome: str = "met",
          note: str | None = None) -> fk.VisitDraft:
    return fk.VisitDraft(
        household_id=household_id, campaign_id=None, started_at_ms=None, ended_at_ms=None, outcome=outcome,
        people_reached=people_reached, gps_lat=10.2415, gps_lon=106.3759, gps_accuracy_m=12.5, note=note,
        follow_up_on=None, assists=list(assists),
    )


def field_day(profile: fk.FieldProfile, households: int, visits_each: int) -> list:
    out = []
    for i in range(households):
        h = profile.create_household(household(f"Hộ thử {i}", address=f"{i} Đường 30 Tháng 4"))
        for _ in range(visits_each):
            out.append(profile.record_visit(visit(h.id, [assist("birth_registration")])))
    return out


class Recorder(fk.SyncListener):
    """Records progress callbacks; `on_event(sent, total)` runs on each (e.g. to cancel)."""

    def __init__(self, on_event=None):
        self.events: list[tuple[int, int]] = []
        self.on_event = on_event

    def on_progress(self, sent: int, total: int) -> None:
        self.events.append((sent, total))
        if self.on_event:
            self.on_event(sent, total)


def assert_progress(events, total: int) -> None:
    assert events, "progress was reported"
    assert events[0] == (0, total), events
    assert events[-1] == (total, total), events
    for (a_sent, a_total), (b_sent, b_total) in zip(events, events[1:]):
        assert b_sent >= a_sent and b_total == a_total, events
    assert all(sent <= tot for sent, tot in events), events

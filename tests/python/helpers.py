"""Drafts as the app's forms fill them in, a progress recorder, progress checks and a way to run the
async calls (`enrol`, `sync`) from plain test functions."""

from __future__ import annotations

import asyncio
import time

import gocua_core as gc
import gocua_ffi as fk
import gocua_protocol as gp

from gocua_server import COMMUNE_A1, HAMLET_A1_KP1

VI, EN = gp.Lang.VI, gp.Lang.EN


def run(coro):
    """Runs one coroutine of the bindings (`profile.sync()`, `profile.enrol(…)`) to completion."""
    return asyncio.run(coro)


def household(head_name: str, address: str = "12 Nguyễn Đình Chiểu, Khu phố 1", commune: str = COMMUNE_A1,
              hamlet: str | None = HAMLET_A1_KP1, phone: str | None = None) -> fk.HouseholdDraft:
    # Optional fields are left out: the records default them to None.
    return fk.HouseholdDraft(
        commune_code=commune,
        hamlet_code=hamlet,
        address_line=address,
        head_name=head_name,
        phone=phone,
        members=4,
        consent=fk.ConsentDraft(given=True, method=gp.ConsentMethod.VERBAL()) if phone else None,
    )


def assist(service_key: str, result: gp.AssistResult | None = None, dossier_code: str | None = None,
           level_42: gp.Level42 | None = None, reason: gp.NotFinishedReason | None = None) -> fk.AssistDraft:
    return fk.AssistDraft(service_key=service_key, result=result or gp.AssistResult.GUIDED_ONLY(),
                          dossier_code=dossier_code, level_42=level_42, not_finished_reason=reason)


def visit(household_id: str, assists=(), people_reached: int = 2, outcome: gp.VisitOutcome | None = None,
          note: str | None = None, consent: fk.ConsentDraft | None = None) -> fk.VisitDraft:
    return fk.VisitDraft(
        household_id=household_id, outcome=outcome or gp.VisitOutcome.MET(), people_reached=people_reached,
        gps=fk.GpsFix(lat=10.2415, lon=106.3759, accuracy_m=12.5), note=note, assists=list(assists),
        consent=consent,
    )


def field_day(profile: fk.FieldProfile, households: int, visits_each: int) -> list:
    out = []
    for i in range(households):
        h = profile.create_household(household(f"Hộ thử {i}", address=f"{i} Đường 30 Tháng 4"))
        for _ in range(visits_each):
            out.append(profile.record_visit(visit(h.id, [assist("birth_registration")])))
    return out


class Recorder(fk.SyncListener):
    """Records progress callbacks (they come on the sync's own thread); `on_event(sent, total)` runs
    on each."""

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


def wait_until(condition, timeout: float = 20.0, what: str = "condition"):
    """Polls `condition()` until it returns something true; returns it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


__all__ = ["VI", "EN", "gc", "gp", "fk", "run", "household", "assist", "visit", "field_day", "Recorder",
           "assert_progress", "wait_until"]

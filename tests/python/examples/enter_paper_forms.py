#!/usr/bin/env python3
"""Enter paper visit forms (phiếu đến hộ) into a Gõ Cửa profile, then optionally send them.

A coordinator's bulk-entry script over the Python bindings of the Rust core: every row goes
through the same validation, store and upload queue as a visit typed on a phone. Nothing about
field work is re-implemented here; the script only maps CSV columns to drafts.

    python3 enter_paper_forms.py --profile DIR --key-file KEY [--server URL --code ABCD-EFGH] [--sync] forms.csv

--profile   the profile directory (created on first use);
--key-file  64 hex digits, the profile's key (created with a fresh random key if missing —
            keep it safe: without it the profile cannot be opened);
--server/--code  enrol the profile with a one-time code from `gocua admin enrol-code` (first run);
--sync      upload the queue after entering the forms.

CSV columns (UTF-8, header row; empty cells are "not given"):

    form_no        number written on the paper form (for messages only)
    commune_code   official commune code, one of the team's communes
    hamlet_code    hamlet code (optional)
    address        address line
    head_name      head of household, with diacritics
    phone          (optional; kept only with consent)
    members        people in the household
    consent        yes/no: agreed to keep contact details (optional)
    visit_date     YYYY-MM-DD or DD/MM/YYYY
    outcome        met, not_home, refused, moved_away, other
    people_reached number of people reached (0 unless met)
    services       ";"-separated service_key:result[:dossier_code|not_finished_reason],
                   e.g. "birth_registration:submitted:H57.21-250314-0001;vneid_level2_activation:completed_online"
    note           (optional)

A household already entered (same commune, head of household and address) gets the new visit;
otherwise it is created. Rows with problems are reported with the field and the message from the
core, in Vietnamese and English, and skipped; the others are recorded. Exit status: 0 when every
row was recorded (and, with --sync, sent), 1 when some row was not, 2 on a usage or set-up error.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import sys
from pathlib import Path

try:
    import gocua_ffi as fk
except ImportError:  # run from the repository: use the bindings scripts/bindings.sh generated
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "build" / "bindings" / "python"))
    import gocua_ffi as fk
import gocua_protocol as gp  # the vocabularies (VisitOutcome, AssistResult, …) and Lang

# The CSV writes vocabulary values by their codes ("met", "submitted", "no_chip_id_card"); the
# bindings take typed values. The core lists every value with its code: a code that is not in the
# list is a problem of the row, never a silent default.
OUTCOMES = {o.code(): o for o in fk.visit_outcomes()}
RESULTS = {r.code(): r for r in fk.assist_results()}
REASONS = {r.code(): r for r in fk.not_finished_reasons()}

VN = dt.timezone(dt.timedelta(hours=7))
YES = {"yes", "y", "true", "1", "x", "co", "có"}
NO = {"no", "n", "false", "0", "khong", "không"}


class RowError(Exception):
    def __init__(self, field: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.field, self.message_vi, self.message_en = field, message_vi, message_en


def cell(row: dict, name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def parse_int(row: dict, name: str, default: int = 0) -> int:
    raw = cell(row, name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RowError(name, f'"{raw}" không phải là số.', f'"{raw}" is not a number.') from None


def parse_date(raw: str | None) -> dt.date:
    if raw is None:
        raise RowError("visit_date", "Thiếu ngày đến hộ.", "The visit date is missing.")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            pass
    raise RowError("visit_date", f'Ngày "{raw}" không hợp lệ.', f'Date "{raw}" is not valid (YYYY-MM-DD or DD/MM/YYYY).')


def parse_consent(raw: str | None) -> bool | None:
    if raw is None:
        return None
    if raw.lower() in YES:
        return True
    if raw.lower() in NO:
        return False
    raise RowError("consent", f'"{raw}": ghi có hoặc không.', f'"{raw}": write yes or no.')


def vocabulary_value(column: str, values: dict, raw: str):
    try:
        return values[raw]
    except KeyError:
        known = ", ".join(values)
        raise RowError(column, f'"{raw}" không có trong danh mục ({known}).',
                       f'"{raw}" is not one of {known}.') from None


def parse_services(raw: str | None) -> list[fk.AssistDraft]:
    assists = []
    for item in (raw or "").split(";"):
        item = item.strip()
        if not item:
            continue
        parts = [p.strip() for p in item.split(":")]
        key, code, extra = parts[0], (parts[1] if len(parts) > 1 else "guided_only"), (parts[2] if len(parts) > 2 else None)
        result = vocabulary_value("services", RESULTS, code)
        needs_reason = fk.assist_needs_reason(result)
        # Optional fields not given are left out: drafts default them to None.
        assists.append(
            fk.AssistDraft(
                service_key=key,
                result=result,
                dossier_code=extra if not needs_reason else None,
                not_finished_reason=vocabulary_value("services", REASONS, extra) if needs_reason and extra else None,
            )
        )
    return assists


def find_or_create_household(profile: fk.FieldProfile, row: dict) -> fk.HouseholdSummaryView | fk.HouseholdView:
    commune, hamlet = cell(row, "commune_code") or "", cell(row, "hamlet_code")
    head, address = cell(row, "head_name") or "", cell(row, "address") or ""
    if head:
        # The core's search folds case and diacritics; the exact match keeps different people apart.
        after = None
        while True:
            page = profile.search_households(head, commune_code=commune or None, after=after)
            for h in page.items:
                if h.head_name.casefold() == head.casefold() and h.address_line.casefold() == address.casefold():
                    return h
            if page.next is None:
                break
            after = page.next
    consent = parse_consent(cell(row, "consent"))
    return profile.create_household(
        fk.HouseholdDraft(
            commune_code=commune,
            hamlet_code=hamlet,
            address_line=address,
            head_name=head,
            phone=cell(row, "phone"),
            members=parse_int(row, "members", 1),
            consent=fk.ConsentDraft(given=consent, method=gp.ConsentMethod.SIGNED()) if consent is not None else None,
        )
    )


def enter_row(profile: fk.FieldProfile, row: dict) -> fk.VisitView:
    visit_day = parse_date(cell(row, "visit_date"))
    outcome = vocabulary_value("outcome", OUTCOMES, cell(row, "outcome") or "")
    assists = parse_services(cell(row, "services"))
    household = find_or_create_household(profile, row)
    # The paper form has a date, not a time: 09:00 Vietnam time on that day.
    started = dt.datetime.combine(visit_day, dt.time(9, 0), tzinfo=VN)
    return profile.record_visit(
        fk.VisitDraft(
            household_id=household.id,
            outcome=outcome,
            people_reached=parse_int(row, "people_reached"),
            started_at=started,
            note=cell(row, "note"),
            assists=assists,
        )
    )


class Progress(fk.SyncListener):
    def on_progress(self, sent: int, total: int) -> None:
        print(f"  đã gửi / sent {sent}/{total}", flush=True)


def load_key(path: Path) -> bytes:
    if not path.exists():
        path.write_text(fk.generate_key().hex() + "\n")
        path.chmod(0o600)
        print(f"Đã tạo khoá mới / created a new key: {path} (giữ kỹ / keep it safe)")
    return bytes.fromhex(path.read_text().strip())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Nhập phiếu đến hộ giấy / enter paper visit forms")
    ap.add_argument("--profile", required=True, type=Path)
    ap.add_argument("--key-file", required=True, type=Path)
    ap.add_argument("--server")
    ap.add_argument("--code")
    ap.add_argument("--sync", action="store_true")
    ap.add_argument("forms", type=Path)
    args = ap.parse_args(argv)

    try:
        profile = fk.FieldProfile.open(str(args.profile), load_key(args.key_file))
    except fk.FieldKitError.WrongKey as e:
        print(f"Lỗi: {e.message_vi}\nError: {e.message_en}", file=sys.stderr)
        return 2
    try:
        if profile.profile() is None:
            if not (args.server and args.code):
                print("Hồ sơ chưa đăng ký: cần --server và --code. / Not enrolled: give --server and --code.", file=sys.stderr)
                return 2
            enrolled = asyncio.run(profile.enrol(args.server, args.code, "enter_paper_forms.py", "script"))
            print(f"Đã đăng ký vào đội / enrolled in team: {enrolled.team_name} ({enrolled.volunteer_name})")

        recorded, failed = 0, []
        with open(args.forms, newline="", encoding="utf-8-sig") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                label = f"dòng/row {line}" + (f", phiếu/form {row['form_no']}" if cell(row, "form_no") else "")
                try:
                    enter_row(profile, row)
                    recorded += 1
                except RowError as e:
                    failed.append((label, e.field, e.message_vi, e.message_en))
                except fk.FieldKitError.Validation as e:
                    for p in e.problems:
                        failed.append((label, p.field, p.message_vi, p.message_en))
        total = recorded + len({f[0] for f in failed})
        print(f"Đã nhập {recorded}/{total} phiếu. / Recorded {recorded} of {total} forms.")
        for label, field, vi, en in failed:
            print(f"  {label} [{field}]: {vi} / {en}")

        status = profile.queue_status()
        print(f"Hàng chờ gửi / waiting to be sent: {status.pending}")
        if args.sync:
            report = asyncio.run(profile.sync(listener=Progress(), max_attempts=5))
            print(f"Đã gửi {report.sent}, máy chủ nhận {report.accepted}, từ chối {report.rejected}. "
                  f"/ Sent {report.sent}, accepted {report.accepted}, rejected {report.rejected}.")
            for item in profile.rejected_items():
                r = item.reason
                field = f" [{r.field_label_vi} / {r.field_label_en}]" if r.field else ""
                print(f"  {item.kind.label(gp.Lang.VI)} / {item.kind.label(gp.Lang.EN)} \"{item.title_vi}\""
                      f"{field}: {r.message_vi} / {r.message_en}")
            if report.rejected:
                return 1
        return 1 if failed else 0
    except fk.FieldKitError.Network as e:
        print(f"Lỗi mạng: {e.message_vi}\nNetwork error: {e.message_en}\nDữ liệu vẫn ở hàng chờ. / The data stays queued.", file=sys.stderr)
        return 1
    finally:
        profile.close_profile()


if __name__ == "__main__":
    sys.exit(main())

"""The scripting interface: examples/enter_paper_forms.py enters a CSV of paper visit forms."""

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import gocua_ffi as fk

from gocua_server import COMMUNE_A1, COMMUNE_A2, HAMLET_A1_KP1

SCRIPT = Path(__file__).parent / "examples" / "enter_paper_forms.py"
COLUMNS = ["form_no", "commune_code", "hamlet_code", "address", "head_name", "phone", "members", "consent",
           "visit_date", "outcome", "people_reached", "services", "note"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)
    return path


def run(bindings_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(bindings_dir))
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120)


def test_a_coordinator_script_enters_paper_forms_and_sends_them(server, tmp_path, bindings_dir):
    today = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).date()
    yesterday, three_days_ago = today - dt.timedelta(days=1), today - dt.timedelta(days=3)
    forms = write_csv(tmp_path / "phieu-tuan-nay.csv", [
        ["101", COMMUNE_A1, HAMLET_A1_KP1, "15 Lê Lợi", "Nguyễn Văn Ả", "0912345678", "4", "có", yesterday.isoformat(),
         "met", "2", "birth_registration:submitted:H57.21-250314-0001;vneid_level2_activation:completed_online",
         "Đã hướng dẫn cài VNeID"],
        # A second form for the same household (date written the Vietnamese way).
        ["102", COMMUNE_A1, HAMLET_A1_KP1, "15 Lê Lợi", "Nguyễn Văn Ả", "", "4", "", three_days_ago.strftime("%d/%m/%Y"),
         "met", "1", "permanent_residence:not_finished:no_chip_id_card", ""],
        ["103", COMMUNE_A2, "", "8 Đồng Khởi", "Trần Thị Bích", "", "3", "", yesterday.isoformat(), "not_home", "0", "", ""],
        # Submitted without the dossier code: the core refuses the visit, naming the field.
        ["104", COMMUNE_A1, "", "20 Hùng Vương", "Lê Văn Cường", "", "2", "", yesterday.isoformat(), "met", "2",
         "birth_registration:submitted", ""],
        ["105", COMMUNE_A1, "", "3 Nguyễn Huệ", "Phan Thị Duyên", "", "2", "", "31/02/2025", "met", "1", "", ""],
        # A misspelt outcome is the row's problem, never a silent default (nothing is recorded).
        ["106", COMMUNE_A1, "", "9 Lê Lai", "Võ Văn Em", "", "2", "", yesterday.isoformat(), "meet", "1", "", ""],
    ])
    profile_dir, key_file = tmp_path / "profile", tmp_path / "profile.key"
    code = server.enrol_code("Cán bộ nhập phiếu")

    first = run(bindings_dir, "--profile", str(profile_dir), "--key-file", str(key_file),
                "--server", server.url, "--code", code, str(forms))
    print(first.stdout, first.stderr)
    assert first.returncode == 1, "some rows were not recorded"
    assert "Recorded 3 of 6 forms" in first.stdout
    assert "row 5, phiếu/form 104 [assists[0].dossier_code]" in first.stdout
    assert "row 6, phiếu/form 105 [visit_date]" in first.stdout
    assert 'row 7, phiếu/form 106 [outcome]: "meet" không có trong danh mục' in first.stdout
    assert key_file.read_text().strip() and len(bytes.fromhex(key_file.read_text().strip())) == 32

    key = bytes.fromhex(key_file.read_text().strip())
    p = fk.FieldProfile.open(str(profile_dir), key)
    try:
        (a,) = p.search_households("nguyen van a").items
        assert a.head_name == "Nguyễn Văn Ả"
        visits = p.household_visits(a.id)
        assert len(visits) == 2, "the second form went to the same household"
        assert {v.assists[0].service_key for v in visits} == {"birth_registration", "permanent_residence"}
        started = sorted(v.started_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date() for v in visits)
        assert started == [three_days_ago, yesterday], "visit dates come from the forms"
        assert {h.head_name for h in p.list_households(commune_code=COMMUNE_A2).items} == {"Trần Thị Bích"}
        # Form 104's household was recorded (it was visited); its visit waits for the fixed form.
        assert p.queue_status().pending == 3 + 3
    finally:
        p.close_profile()

    fixed = write_csv(tmp_path / "phieu-sua.csv", [
        ["104", COMMUNE_A1, "", "20 Hùng Vương", "Lê Văn Cường", "", "2", "", yesterday.isoformat(), "met", "2",
         "birth_registration:submitted:H57.21-250315-0042", ""],
    ])
    second = run(bindings_dir, "--profile", str(profile_dir), "--key-file", str(key_file), "--sync", str(fixed))
    print(second.stdout, second.stderr)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Recorded 1 of 1 forms" in second.stdout
    assert "Sent 7, accepted 7, rejected 0" in second.stdout

    p = fk.FieldProfile.open(str(profile_dir), key)
    try:
        (c,) = p.search_households("le van cuong").items
        assert len(p.household_visits(c.id)) == 1, "the fixed form reused the household"
        status = p.queue_status()
        assert (status.pending, status.accepted, status.rejected) == (0, 7, 0)
    finally:
        p.close_profile()

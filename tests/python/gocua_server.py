"""A real `gocua serve` for the tests: a free loopback port, a fresh SQLite database, seeded the way
a coordinator does it, with `gocua admin` commands (areas, hamlets, services, unit, team, members,
enrolment codes)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

# Team communes: Phường Bến Tre and Phường Phú Khương (Vĩnh Long, 2025-07 list).
COMMUNE_A1 = "28789"
COMMUNE_A2 = "28756"
HAMLET_A1_KP1 = "28789-KP1"
# In the area list, but not one of the team's communes.
COMMUNE_OTHER = "29602"
# The service the coordinator withdraws in the rejection test; no other test uses it.
WITHDRAWN_SERVICE = "judicial_record"
TEAM_NAME = "Đội TNTN Phường Bến Tre"

AREAS = """code,name,level,division_type,parent_code
86,Vĩnh Long,province,tỉnh,
28789,Phường Bến Tre,commune,phường,86
28756,Phường Phú Khương,commune,phường,86
29602,Xã Long Hồ,commune,xã,86
"""
HAMLETS = """code,name,division_type,commune_code
28789-KP1,Khu phố 1,khu phố,28789
28789-KP2,Khu phố 2,khu phố,28789
28756-KP3,Khu phố 3,khu phố,28756
"""
SERVICES_HEADER = "key,code,name_vi,name_en,authority,code_confidence,active\n"
SERVICES = [
    "birth_registration,1.001193,Thủ tục đăng ký khai sinh,Birth registration,UBND cấp xã,two public sources",
    "permanent_residence,1.004222,Đăng ký thường trú,Permanent residence registration,Công an cấp xã,scraped from national portal",
    "vneid_level2_activation,,Kích hoạt tài khoản định danh điện tử VNeID mức độ 2,"
    "Activate VNeID level-2 electronic identity account,Công an,not a coded procedure",
    f"{WITHDRAWN_SERVICE},,Cấp phiếu lý lịch tư pháp,Judicial record certificate,Công an cấp tỉnh,code unverified",
]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ENROL_CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def gocua_binary() -> Path:
    """`GOCUA_BIN`, else target/debug/gocua under CARGO_TARGET_DIR or the repository."""
    if os.environ.get("GOCUA_BIN"):
        return Path(os.environ["GOCUA_BIN"])
    root = Path(__file__).resolve().parents[2]
    target = Path(os.environ.get("CARGO_TARGET_DIR", root / "target"))
    return target / "debug" / "gocua"


class GoCuaServer:
    def __init__(self) -> None:
        self.bin = gocua_binary()
        if not os.access(self.bin, os.X_OK):
            raise RuntimeError(
                f"the gocua binary {self.bin} is missing: run `cargo build -p gocua-server --bin gocua` "
                "(scripts/test-bindings.sh does) or set GOCUA_BIN"
            )
        self.dir = Path(tempfile.mkdtemp(prefix="gocua-python-"))
        self.db = self.dir / "server.db"
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.team_id = ""

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "GoCuaServer":
        try:
            self._seed()  # before serving, as a coordinator prepares the database
            self._serve()
        except BaseException:
            self.stop()
            raise
        return self

    def _serve(self) -> None:
        """Starts `gocua serve` on a free port; tries another port if the chosen one was taken meanwhile."""
        self.log = self.dir / "server.log"
        for attempt in range(3):
            if self._try_serve(append=attempt > 0):
                return
        raise RuntimeError(f"gocua serve did not start:\n{self.log.read_text()}")

    def _try_serve(self, append: bool) -> bool:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        with open(self.log, "ab" if append else "wb") as log:
            self.process = subprocess.Popen(
                [str(self.bin), "serve", "--db", str(self.db), "--listen", f"127.0.0.1:{port}"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # e.g. the port was taken between choosing and binding
            # Ours is up when it says so and answers; a stranger on the port would not have printed it.
            if f"serving on {self.url}" in self.log.read_text(errors="replace"):
                try:
                    with urllib.request.urlopen(f"{self.url}/v1/health", timeout=2) as r:
                        if r.status == 200:
                            return True
                except OSError:
                    pass
            time.sleep(0.1)
        self.process.kill()
        raise RuntimeError(f"gocua serve did not answer /v1/health within 30 s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- gocua admin -----------------------------------------------------------------------
    def admin(self, *args: str) -> str:
        """Runs `gocua admin --db … ARGS`; returns its standard output, raises on failure."""
        done = subprocess.run(
            [str(self.bin), "admin", "--db", str(self.db), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise RuntimeError(f"gocua admin {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    @staticmethod
    def _id(output: str) -> str:
        ids = [line.strip() for line in output.splitlines() if _UUID.match(line.strip())]
        if not ids:
            raise RuntimeError(f"no id in:\n{output}")
        return ids[-1]

    def _file(self, name: str, text: str) -> str:
        path = self.dir / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def _services_csv(self, withdrawn: bool) -> str:
        rows = []
        for row in SERVICES:
            active = not (withdrawn and row.startswith(f"{WITHDRAWN_SERVICE},"))
            rows.append(f"{row},{'true' if active else 'false'}\n")
        return SERVICES_HEADER + "".join(rows)

    def _seed(self) -> None:
        self.admin("import-areas", self._file("areas.csv", AREAS))
        self.admin("import-hamlets", self._file("hamlets.csv", HAMLETS))
        self.admin("import-services", self._file("services.csv", self._services_csv(withdrawn=False)))
        unit = self._id(self.admin("create-unit", "--name", "Tỉnh Đoàn Vĩnh Long", "--kind", "province_union", "--area", "86"))
        self.team_id = self._id(
            self.admin("create-team", "--name", TEAM_NAME, "--unit", unit, "--areas", f"{COMMUNE_A1},{COMMUNE_A2}")
        )

    def enrol_code(self, member_name: str) -> str:
        """Adds a member to the team and issues a one-time enrolment code for their phone."""
        member = self._id(self.admin("add-member", "--team", self.team_id, "--name", member_name))
        out = self.admin("enrol-code", "--team", self.team_id, "--member", member, "--server-url", self.url)
        codes = [line.strip() for line in out.splitlines() if _ENROL_CODE.match(line.strip())]
        if not codes:
            raise RuntimeError(f"no enrolment code in:\n{out}")
        return codes[0]

    def withdraw_service(self, withdrawn: bool) -> None:
        """The coordinator withdraws (or restores) WITHDRAWN_SERVICE from the catalogue."""
        self.admin("import-services", self._file("services.csv", self._services_csv(withdrawn)))

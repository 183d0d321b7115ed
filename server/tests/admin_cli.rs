//! The `gocua admin` commands, run as a coordinator runs them: the real binary on a real database
//! file. `gocua demo` has its own file (tests/demo.rs): it exists only with the `demo` feature.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

use gocua_core::protocol::{EnrolRequest, PullRequest, PROTOCOL_VERSION};
use gocua_core::{HttpTransport, Transport, TransportError};
use gocua_server::db::Sql;
use tempfile::TempDir;
use uuid::Uuid;

/// A file of the repository's `data/`.
fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data")
        .join(name)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> Self {
        assert_eq!(
            self.code,
            Some(0),
            "command failed:\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn failed(self) -> Self {
        assert_ne!(
            self.code,
            Some(0),
            "command should have failed:\nstdout:\n{}",
            self.stdout
        );
        assert!(self.code.is_some(), "killed by a signal:\n{}", self.stderr);
        self
    }

    /// The last line of stdout: the id a create command prints.
    fn id(&self) -> String {
        let last = self
            .stdout
            .lines()
            .last()
            .unwrap_or_default()
            .trim()
            .to_owned();
        Uuid::parse_str(&last).unwrap_or_else(|_| panic!("no id printed:\n{}", self.stdout));
        last
    }
}

fn gocua(db: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_gocua"))
        .arg("admin")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run gocua");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn count(db: &Path, query: &str) -> i64 {
    let db = gocua_server::domain::open::open_database(db.to_str().unwrap()).unwrap();
    db.tx(|sql: &mut dyn Sql| {
        Ok::<_, gocua_server::db::DbError>(sql.query_one(query, &[])?.map_or(0, |r| r.int(0)))
    })
    .unwrap()
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn both_official_area_lists_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("2025-07.db");
    let run = gocua(
        &db,
        &[
            "import-areas",
            data_file("vn-admin-units-2025-07.csv").to_str().unwrap(),
        ],
    )
    .ok();
    assert!(
        run.stdout.contains("Đã nhập 3.355 địa bàn"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("34 tỉnh, thành phố")
            && run.stdout.contains("3.321 xã, phường, đặc khu"),
        "{}",
        run.stdout
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM areas WHERE level = 'province'"),
        34
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM areas WHERE level = 'commune'"),
        3321
    );
    assert_eq!(count(&db, "SELECT count(*) FROM areas WHERE code = '28789' AND name = 'Phường Bến Tre' AND parent_code = '86'"), 1);
    // Importing again updates in place.
    gocua(
        &db,
        &[
            "import-areas",
            data_file("vn-admin-units-2025-07.csv").to_str().unwrap(),
        ],
    )
    .ok();
    assert_eq!(count(&db, "SELECT count(*) FROM areas"), 3355);

    let old = dir.path().join("2025-01.db");
    gocua(
        &old,
        &[
            "import-areas",
            data_file("vn-admin-units-2025-01.csv").to_str().unwrap(),
        ],
    )
    .ok();
    assert_eq!(
        count(&old, "SELECT count(*) FROM areas WHERE level = 'province'"),
        63
    );
    assert_eq!(
        count(&old, "SELECT count(*) FROM areas WHERE level = 'district'"),
        696
    );
    assert_eq!(
        count(&old, "SELECT count(*) FROM areas WHERE level = 'commune'"),
        10051
    );
}

const BAD_AREAS: &str = "code,name,level,division_type,parent_code
86,Vĩnh Long,province,tỉnh,
28789,Phường Bến Tre,commune,phường,99
28789,Phường Bến Tre,commune,phường,86
28756,Phường Phú Khương,commune,phường,86
";

#[test]
fn a_bad_file_imports_nothing_unless_bad_rows_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gocua.db");
    let file = write(&dir, "areas.csv", BAD_AREAS);
    let run = gocua(&db, &["import-areas", file.to_str().unwrap()]).failed();
    for expected in [
        "Dòng 3, cột parent_code",
        "Line 3, column parent_code",
        "\"99\"",
        "Dòng 4, cột code",
        "Line 4, column code",
        "--skip-bad-rows",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        count(&db, "SELECT count(*) FROM areas"),
        0,
        "nothing may be imported"
    );

    let run = gocua(
        &db,
        &["import-areas", "--skip-bad-rows", file.to_str().unwrap()],
    )
    .ok();
    assert!(run.stdout.contains("Đã nhập 2 địa bàn"), "{}", run.stdout);
    assert!(
        run.stderr.contains("bỏ qua 2 dòng")
            && run.stderr.contains("Line 3")
            && run.stderr.contains("Line 4"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&db, "SELECT count(*) FROM areas"), 2);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM areas WHERE code IN ('86', '28756')"
        ),
        2
    );

    // Parents already in the database count; a missing commune for a hamlet does not.
    let more = write(
        &dir,
        "more.csv",
        "code,name,level,division_type,parent_code\n28789,Phường Bến Tre,commune,phường,86\n",
    );
    gocua(&db, &["import-areas", more.to_str().unwrap()]).ok();
    let hamlets = write(
        &dir,
        "hamlets.csv",
        "code,name,division_type,commune_code\n28789-01,Khu phố 1,khu phố,28789\n28789-02,Khu phố 2,khu phố,28789\n99999-01,Ấp 1,ấp,99999\n",
    );
    let run = gocua(&db, &["import-hamlets", hamlets.to_str().unwrap()]).failed();
    assert!(
        run.stderr.contains("Dòng 4, cột commune_code"),
        "{}",
        run.stderr
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM areas WHERE level = 'hamlet'"),
        0
    );
    gocua(
        &db,
        &[
            "import-hamlets",
            "--skip-bad-rows",
            hamlets.to_str().unwrap(),
        ],
    )
    .ok();
    assert_eq!(
        count(&db, "SELECT count(*) FROM areas WHERE level = 'hamlet'"),
        2
    );

    let missing = gocua(
        &db,
        &[
            "import-areas",
            dir.path().join("nope.csv").to_str().unwrap(),
        ],
    )
    .failed();
    assert!(
        missing.stderr.contains("Không đọc được tệp"),
        "{}",
        missing.stderr
    );
}

const SMALL_AREAS: &str = "code,name,level,division_type,parent_code
86,Vĩnh Long,province,tỉnh,
28789,Phường Bến Tre,commune,phường,86
28756,Phường Phú Khương,commune,phường,86
28903,Xã Mỏ Cày,commune,xã,86
";

struct Org {
    db: PathBuf,
    team: String,
    member: String,
}

/// Areas, catalogue, a unit tree, a team with a leader, a campaign and a target, through the CLI.
fn organisation(dir: &TempDir) -> Org {
    let db = dir.path().join("gocua.db");
    let areas = write(dir, "areas.csv", SMALL_AREAS);
    gocua(&db, &["import-areas", areas.to_str().unwrap()]).ok();
    let run = gocua(
        &db,
        &[
            "import-services",
            data_file("services-starter.csv").to_str().unwrap(),
        ],
    )
    .ok();
    assert!(run.stdout.contains("dịch vụ"), "{}", run.stdout);

    // An unverified procedure code is fixed by a coordinator.
    assert_eq!(count(&db, "SELECT count(*) FROM services WHERE key = 'judicial_record' AND body LIKE '%\"code_verified\":false%'"), 1);
    let run = gocua(&db, &["set-service-code", "judicial_record", "2.001417"]).ok();
    assert!(run.stdout.contains("2.001417"), "{}", run.stdout);
    assert_eq!(count(&db, "SELECT count(*) FROM services WHERE key = 'judicial_record' AND body LIKE '%\"code\":\"2.001417\"%' AND body LIKE '%\"code_verified\":true%'"), 1);
    let run = gocua(&db, &["set-service-code", "judicial_record", "abc"]).failed();
    assert!(run.stderr.contains("1.001193"), "{}", run.stderr);
    gocua(&db, &["set-service-code", "no_such_service", "1.000001"]).failed();
    // uploads: edit-service runs the dashboard's update_service (only the options given change),
    // and is written to the audit log.
    let run = gocua(
        &db,
        &[
            "edit-service",
            "judicial_record",
            "--level-42",
            "Toàn trình",
            "--active",
            "false",
        ],
    )
    .ok();
    assert!(run.stdout.contains("level_42, active"), "{}", run.stdout);
    assert_eq!(count(&db, "SELECT count(*) FROM services WHERE key = 'judicial_record' AND body LIKE '%\"level_42\":\"toan_trinh\"%' AND body LIKE '%\"active\":false%' AND body LIKE '%\"code\":\"2.001417\"%'"), 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'service_edited' AND username = 'cli'"
        ),
        1
    );
    let run = gocua(&db, &["edit-service", "judicial_record", "--level-43", "5"]).failed();
    assert!(run.stderr.contains("43/2011"), "{}", run.stderr);

    let province = gocua(
        &db,
        &[
            "create-unit",
            "--name",
            "Tỉnh Đoàn Vĩnh Long",
            "--kind",
            "province_union",
            "--area",
            "86",
        ],
    )
    .ok()
    .id();
    let commune = gocua(
        &db,
        &[
            "create-unit",
            "--name",
            "Đoàn phường Bến Tre",
            "--kind",
            "commune_union",
            "--parent",
            &province,
            "--area",
            "28789",
        ],
    )
    .ok()
    .id();
    let run = gocua(&db, &["create-unit", "--name", "CLB", "--kind", "club"]).failed();
    assert!(run.stderr.contains("commune_union"), "{}", run.stderr);
    let run = gocua(
        &db,
        &[
            "create-unit",
            "--name",
            "X",
            "--kind",
            "commune_union",
            "--parent",
            "not-an-id",
        ],
    )
    .failed();
    assert!(run.stderr.contains("not-an-id"), "{}", run.stderr);
    assert_eq!(count(&db, "SELECT count(*) FROM org_units"), 2);

    let run = gocua(
        &db,
        &[
            "create-team",
            "--name",
            "Đội",
            "--unit",
            &commune,
            "--areas",
            "28789,00000",
        ],
    )
    .failed();
    assert!(run.stderr.contains("00000"), "{}", run.stderr);
    // A commune union's team works in its commune, not in the neighbouring one.
    let run = gocua(
        &db,
        &[
            "create-team",
            "--name",
            "Đội",
            "--unit",
            &commune,
            "--areas",
            "28789,28756",
        ],
    )
    .failed();
    assert!(
        run.stderr.contains("28756 không thuộc Phường Bến Tre"),
        "{}",
        run.stderr
    );
    let team = gocua(
        &db,
        &[
            "create-team",
            "--name",
            "Đội TNTN phường Bến Tre",
            "--unit",
            &commune,
            "--areas",
            "28789",
        ],
    )
    .ok()
    .id();
    assert_eq!(count(&db, "SELECT count(*) FROM team_areas"), 1);
    let member = gocua(
        &db,
        &[
            "add-member",
            "--team",
            &team,
            "--name",
            "Lê Thị Hoa",
            "--leader",
        ],
    )
    .ok()
    .id();
    gocua(
        &db,
        &["add-member", "--team", &team, "--name", "Trần Minh Khoa"],
    )
    .ok();
    assert_eq!(
        count(&db, "SELECT count(*) FROM members WHERE role = 'leader'"),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM members"), 2);

    let campaign = gocua(
        &db,
        &[
            "create-campaign",
            "--name",
            "Hỗ trợ dịch vụ công trực tuyến",
            "--reference",
            "241-KH/TĐTN-TCKT",
            "--from",
            "2026-02-18",
            "--to",
            "2026-06-30",
            "--deadline",
            "31/03/2026",
            "--peak",
            "Tháng Thanh niên:2026-03-01:2026-03-31",
        ],
    )
    .ok()
    .id();
    assert_eq!(count(&db, "SELECT count(*) FROM campaigns WHERE body LIKE '%241-KH/TĐTN-TCKT%' AND body LIKE '%Tháng Thanh niên%'"), 1);

    let target = gocua(
        &db,
        &[
            "set-target",
            "--campaign",
            &campaign,
            "--team",
            &team,
            "--indicator",
            "households_visited",
            "--value",
            "200",
        ],
    )
    .ok()
    .id();
    // Setting it again replaces it.
    let again = gocua(
        &db,
        &[
            "set-target",
            "--campaign",
            &campaign,
            "--team",
            &team,
            "--indicator",
            "households_visited",
            "--value",
            "250",
        ],
    )
    .ok()
    .id();
    assert_eq!(target, again);
    assert_eq!(count(&db, "SELECT count(*) FROM targets WHERE body LIKE '%\"value\":250%' AND body LIKE '%2026-02-18%'"), 1);
    gocua(
        &db,
        &[
            "set-target",
            "--campaign",
            &campaign,
            "--team",
            &team,
            "--indicator",
            "sessions",
            "--value",
            "12",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
        ],
    )
    .ok();
    let run = gocua(
        &db,
        &[
            "set-target",
            "--campaign",
            &campaign,
            "--team",
            &team,
            "--indicator",
            "likes",
            "--value",
            "1",
        ],
    )
    .failed();
    assert!(run.stderr.contains("households_visited"), "{}", run.stderr);
    let run = gocua(
        &db,
        &[
            "set-target",
            "--campaign",
            &campaign,
            "--team",
            &team,
            "--indicator",
            "sessions",
            "--value",
            "1",
            "--from",
            "2025-01-01",
        ],
    )
    .failed();
    assert!(run.stderr.contains("phải nằm trong"), "{}", run.stderr);
    assert_eq!(count(&db, "SELECT count(*) FROM targets"), 2);
    Org { db, team, member }
}

#[test]
fn coordinators_build_the_organisation_and_bad_dates_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let org = organisation(&dir);
    let db = &org.db;
    let campaign = |extra: &[&str]| {
        let mut args = vec![
            "create-campaign",
            "--name",
            "Kế hoạch",
            "--reference",
            "241-KH/TĐTN-TCKT",
        ];
        args.extend_from_slice(extra);
        gocua(db, &args)
    };

    let run = campaign(&[
        "--from",
        "2026-02-30",
        "--to",
        "2026-06-30",
        "--deadline",
        "2026-03-31",
    ])
    .failed();
    assert!(
        run.stderr.contains("\"2026-02-30\" không hợp lệ"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("is not a valid date (expected YYYY-MM-DD"),
        "{}",
        run.stderr
    );

    let run = campaign(&[
        "--from",
        "2026-06-30",
        "--to",
        "2026-02-18",
        "--deadline",
        "2026-06-30",
    ])
    .failed();
    assert!(
        run.stderr
            .contains("Ngày kết thúc (18/02/2026) trước ngày bắt đầu (30/06/2026)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("The end date (2026-02-18) is before the start date (2026-06-30)"),
        "{}",
        run.stderr
    );

    let run = campaign(&[
        "--from",
        "2026-02-18",
        "--to",
        "2026-06-30",
        "--deadline",
        "2026-03-31",
        "--peak",
        "Tháng Thanh niên:2026-03-01",
    ])
    .failed();
    assert!(
        run.stderr.contains("TÊN:TỪ-NGÀY:ĐẾN-NGÀY"),
        "{}",
        run.stderr
    );
    let run = campaign(&[
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--deadline",
        "2026-06-30",
        "--peak",
        "Tháng Thanh niên:2026-03-01:2026-03-31",
    ])
    .failed();
    assert!(
        run.stderr.contains("phải nằm trong thời gian của kế hoạch"),
        "{}",
        run.stderr
    );
    assert_eq!(
        count(db, "SELECT count(*) FROM campaigns"),
        1,
        "failed commands create nothing"
    );

    let run = gocua(db, &["campaigns"]).ok();
    assert!(run.stdout.contains("241-KH/TĐTN-TCKT"), "{}", run.stdout);
    let run = gocua(
        db,
        &[
            "add-member",
            "--team",
            &Uuid::now_v7().to_string(),
            "--name",
            "Ai đó",
        ],
    )
    .failed();
    assert!(run.stderr.contains("Không có đội"), "{}", run.stderr);
    let _ = &org.member;
}

/// Serves `db` on a free port in a background thread until the returned sender is dropped.
fn serve(db: &Path) -> (String, mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let db = gocua_server::domain::open::open_database(db.to_str().unwrap()).unwrap();
    let (addr_tx, addr_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            let stop = async move {
                let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
            };
            gocua_server::app::serve_on(db, listener, stop)
                .await
                .unwrap();
        });
    });
    let addr = addr_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    (format!("http://{addr}"), stop_tx, handle)
}

#[test]
fn enrol_codes_devices_and_revocation() {
    let dir = tempfile::tempdir().unwrap();
    let org = organisation(&dir);
    let db = &org.db;

    let run = gocua(db, &["devices"]).ok();
    assert!(run.stdout.contains("Chưa có thiết bị"), "{}", run.stdout);
    let run = gocua(
        db,
        &[
            "enrol-code",
            "--team",
            &org.team,
            "--member",
            &Uuid::now_v7().to_string(),
        ],
    )
    .failed();
    assert!(run.stderr.contains("add-member"), "{}", run.stderr);
    let run = gocua(
        db,
        &[
            "enrol-code",
            "--team",
            &org.team,
            "--member",
            &org.member,
            "--valid-hours",
            "0",
        ],
    )
    .failed();
    assert!(run.stderr.contains("1 đến"), "{}", run.stderr);

    let (url, stop, handle) = serve(db);
    let run = gocua(
        db,
        &[
            "enrol-code",
            "--team",
            &org.team,
            "--member",
            &org.member,
            "--valid-hours",
            "48",
            "--server-url",
            &url,
        ],
    )
    .ok();
    let code = run
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| {
            l.len() == 9
                && l.as_bytes()[4] == b'-'
                && l.chars()
                    .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        .unwrap_or_else(|| panic!("no ABCD-EFGH code in:\n{}", run.stdout))
        .to_owned();
    assert!(
        run.stdout.contains(&format!(
            "QR: gocua://enrol?server={url}&code={}",
            code.replace('-', "")
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Lê Thị Hoa"), "{}", run.stdout);

    let device_id = Uuid::now_v7();
    let enrolled = gocua_core::enrol(
        &url,
        &EnrolRequest {
            protocol_version: PROTOCOL_VERSION,
            code: code.to_lowercase(),
            device_id,
            device_label: "Samsung Galaxy A05".into(),
            app_version: "test".into(),
        },
    )
    .expect("enrol with the printed code");
    assert_eq!(enrolled.volunteer_name, "Lê Thị Hoa");
    let transport = HttpTransport::new(&url, Some(enrolled.device_token.clone())).unwrap();
    let pull = PullRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id,
        cursor: None,
    };
    assert_eq!(transport.pull(&pull).unwrap().reference.teams.len(), 1);

    let run = gocua(db, &["devices"]).ok();
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(&device_id.to_string()))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains("Đội TNTN phường Bến Tre")
            && line.contains("Lê Thị Hoa")
            && line.contains("Samsung Galaxy A05"),
        "{line}"
    );
    assert!(!line.contains("REVOKED"), "{line}");
    let run = gocua(db, &["devices", "--team", &org.team]).ok();
    assert!(
        run.stdout.contains(&device_id.to_string()),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 thiết bị (1 đang hoạt động)"),
        "{}",
        run.stdout
    );

    let run = gocua(db, &["revoke-device", &device_id.to_string()]).ok();
    assert!(run.stdout.contains("Đã thu hồi"), "{}", run.stdout);
    let run = gocua(db, &["devices"]).ok();
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(&device_id.to_string()))
        .unwrap();
    assert!(line.contains("ĐÃ THU HỒI / REVOKED"), "{line}");
    assert!(
        run.stdout.contains("1 thiết bị (0 đang hoạt động)"),
        "{}",
        run.stdout
    );
    // The token stops working at once.
    match transport.pull(&pull) {
        Err(TransportError::Refused { status, .. }) => {
            assert!(status == 401 || status == 403, "{status}")
        }
        other => panic!("a revoked device must be refused: {other:?}"),
    }
    let run = gocua(db, &["revoke-device", &Uuid::now_v7().to_string()]).failed();
    assert!(run.stderr.contains("Không có thiết bị"), "{}", run.stderr);

    drop(stop);
    handle.join().unwrap();
}
